package dev.baton.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

    @Test
    void nodeTopicsFollowTheV1Layout() {
        assertThat(Topics.topic("default", "edge-01", Topics.Channel.DESIRED))
                .isEqualTo("baton/v1/default/edge-01/desired");
        assertThat(Topics.topic("default", "edge-01", Topics.Channel.COMMAND_REQUEST))
                .isEqualTo("baton/v1/default/edge-01/cmd/req");
        assertThat(Topics.nodePrefix("acme", "n1")).isEqualTo("baton/v1/acme/n1/");
    }

    @ParameterizedTest
    @EnumSource(Topics.Channel.class)
    void everyChannelTopicParsesBackToItsParts(final Topics.Channel channel) {
        final String topic = Topics.topic("acme", "line-3", channel);

        assertThat(Topics.parse(topic)).contains(new Topics.NodeTopic("acme", "line-3", channel));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "baton/v2/acme/n1/desired",
                "baton/v1/acme/n1/desired/extra",
                "baton/v1/acme/n1/unknown",
                "baton/v1/acme//desired",
                "baton/v1/Acme/n1/desired",
                "baton/v1/+/n1/desired",
                "baton/v1/acme/#",
                "other/topic"
            })
    void topicsOutsideTheLayoutDoNotParse(final String topic) {
        assertThat(Topics.parse(topic)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "+",
                "#",
                "a/b",
                "",
                "-a",
                "a-",
                "UPPER",
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            })
    void namesThatCouldEscapeTheirTopicLevelAreRefused(final String name) {
        assertThatThrownBy(() -> Topics.topic("default", name, Topics.Channel.STATUS))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("node must be 1 to 63 lower-case letters");
    }

    @Test
    void sharedSubscriptionCoversEveryNodeOfEveryTenant() {
        assertThat(Topics.sharedSubscription("hub", Topics.Channel.REPORTED))
                .isEqualTo("$share/hub/baton/v1/+/+/reported");
    }

    @Test
    void onlyDesiredAndCommandRequestsFlowToTheAgent() {
        assertThat(Topics.Channel.DESIRED.fromAgent()).isFalse();
        assertThat(Topics.Channel.COMMAND_REQUEST.fromAgent()).isFalse();
        assertThat(Topics.Channel.REPORTED.fromAgent()).isTrue();
        assertThat(Topics.Channel.COMMAND_RESPONSE.fromAgent()).isTrue();
    }
}
