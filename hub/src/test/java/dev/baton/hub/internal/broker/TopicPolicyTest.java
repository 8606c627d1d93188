package dev.baton.hub.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.hub.internal.security.HubIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicPolicyTest {

    private static final HubIdentity HUB = new HubIdentity("baton_hub_0123456789abcdef", "$hub", "secret");
    private final TopicPolicy policy = new TopicPolicy(HUB);

    @ParameterizedTest
    @ValueSource(strings = {"reported", "inventory", "events", "status", "cmd/res"})
    void aNodePublishesOnItsOwnAgentChannels(final String channel) {
        assertThat(policy.mayPublish("default.edge-01", "baton/v1/default/edge-01/" + channel))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "baton/v1/default/edge-02/reported",
                "baton/v1/other/edge-01/reported",
                "baton/v1/default/edge-01/desired",
                "baton/v1/default/edge-01/cmd/req",
                "baton/v1/default/edge-01/reported/extra",
                "baton/v1/default/edge-01",
                "somewhere/else"
            })
    void aNodePublishesNowhereElse(final String topic) {
        assertThat(policy.mayPublish("default.edge-01", topic)).isFalse();
    }

    @Test
    void aNodeSubscribesOnlyToItsOwnDesiredAndCommandRequests() {
        assertThat(policy.maySubscribe("default.edge-01", "baton/v1/default/edge-01/desired"))
                .isTrue();
        assertThat(policy.maySubscribe("default.edge-01", "baton/v1/default/edge-01/cmd/req"))
                .isTrue();
        assertThat(policy.maySubscribe("default.edge-01", "baton/v1/default/edge-02/desired"))
                .isFalse();
        assertThat(policy.maySubscribe("default.edge-01", "baton/v1/default/+/desired"))
                .isFalse();
        assertThat(policy.maySubscribe("default.edge-01", "baton/v1/#")).isFalse();
        assertThat(policy.maySubscribe("default.edge-01", "$share/x/baton/v1/default/edge-01/desired"))
                .isFalse();
        assertThat(policy.maySubscribe("default.edge-01", "baton/v1/default/edge-01/reported"))
                .isFalse();
    }

    @Test
    void theHubMayUseEverythingUnderTheProtocolRootAlsoAsASharedSubscription() {
        assertThat(policy.mayPublish(HUB.clientId(), "baton/v1/default/edge-01/desired"))
                .isTrue();
        assertThat(policy.maySubscribe(HUB.clientId(), "$share/hub/baton/v1/+/+/reported"))
                .isTrue();
        assertThat(policy.maySubscribe(HUB.clientId(), "baton/v1/#")).isTrue();
        assertThat(policy.mayPublish(HUB.clientId(), "other/topic")).isFalse();
        assertThat(policy.maySubscribe(HUB.clientId(), "$share/hub/#")).isFalse();
    }

    @Test
    void aClientIdentifierThatIsNeitherANodeNorTheHubMayDoNothing() {
        assertThat(policy.mayPublish("baton_hub_other", "baton/v1/default/edge-01/reported"))
                .isFalse();
        assertThat(policy.maySubscribe("someone", "baton/v1/default/edge-01/desired"))
                .isFalse();
    }
}
