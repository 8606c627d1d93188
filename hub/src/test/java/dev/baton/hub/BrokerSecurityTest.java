package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.baton.hub.testing.FakeNode;
import dev.baton.hub.testing.HubApi;
import dev.baton.hub.testing.LogCapture;
import dev.baton.hub.testing.SharedHub;
import dev.baton.hub.testing.TestMessages;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.MqttCredentials;
import dev.baton.protocol.Topics;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The embedded broker's identity and topic rules, as a node's MQTT client meets them. */
@ExtendWith(SharedHub.class)
class BrokerSecurityTest {

    @Test
    void aNodePublishesItsReportedStateAndTheHubShowsIt(final HubApi api) {
        final EnrollmentResponse enrolled = api.enroll("reporter");

        try (FakeNode node = FakeNode.connect("default", "reporter", enrolled.mqtt())) {
            node.publish(Topics.Channel.STATUS, TestMessages.birth("boot-reporter-1", 3));
            node.publish(Topics.Channel.REPORTED, TestMessages.goldenReported());

            final JsonNode shown = await().atMost(Duration.ofSeconds(10))
                    .until(
                            () -> api.node("reporter"),
                            json -> json.get("reported").get("components").size() == 2);
            assertThat(shown.get("online").asBoolean()).isTrue();
            assertThat(shown.get("bootId").asText()).isEqualTo("boot-reporter-1");
            assertThat(shown.get("agentVersion").asText()).isEqualTo("0.1.0");
            assertThat(shown.get("reported").get("observedGeneration").asLong()).isEqualTo(3);
            assertThat(shown.get("reported").get("timestamp").asText()).isEqualTo("2026-11-22T09:00:00Z");
            final JsonNode failed = shown.get("reported").get("components").get(1);
            assertThat(failed.get("name").asText()).isEqualTo("collector");
            assertThat(failed.get("kind").asText()).isEqualTo("process");
            assertThat(failed.get("state").asText()).isEqualTo("failed");
            assertThat(failed.get("message").asText()).contains("No such file or directory");
            assertThat(failed.get("generation").asLong()).isEqualTo(3);
            assertThat(failed.get("lastTransition").asText()).isEqualTo("2026-11-22T08:59:59Z");
            assertThat(shown.get("reported")
                            .get("conditions")
                            .get(0)
                            .get("type")
                            .asText())
                    .isEqualTo("DesiredAccepted");
            assertThat(shown.get("lastSeen").isNull()).isFalse();
        }
    }

    @Test
    void aNodeThatPublishesOnAnotherNodesTopicGetsNotAuthorizedAndNothingIsStored(final HubApi api) {
        final EnrollmentResponse intruder = api.enroll("intruder");
        api.enroll("victim");
        final String victimTopic = Topics.topic("default", "victim", Topics.Channel.REPORTED);

        try (LogCapture log = LogCapture.of("dev.baton.hub.internal.broker");
                FakeNode node = FakeNode.connect("default", "intruder", intruder.mqtt())) {
            assertThatThrownBy(() -> node.publish(victimTopic, TestMessages.reported(1, 0, "forged", "forged")))
                    .isInstanceOfSatisfying(Mqtt5PubAckException.class, e -> assertThat(
                                    e.getMqttMessage().getReasonCode())
                            .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
            assertThat(log.messages())
                    .anyMatch(message -> message.contains("default.intruder") && message.contains(victimTopic));
            // HiveMQ follows the refused PUBACK with a DISCONNECT (Not authorized).
            await().atMost(Duration.ofSeconds(10)).until(() -> !node.isConnected());
        }
        // The broker refused the message, so it never reached the hub's subscription.
        assertThat(api.node("victim").get("reported").get("components")).isEmpty();
        assertThat(api.node("victim").get("reported").get("timestamp").isNull()).isTrue();
    }

    @Test
    void aNodeThatSubscribesToAnotherNodesDesiredStateGetsNotAuthorized(final HubApi api) {
        final EnrollmentResponse snoop = api.enroll("snoop");
        api.putDesired("secret-keeper", "{\"components\": []}");

        try (FakeNode node = FakeNode.connect("default", "snoop", snoop.mqtt())) {
            for (final String filter : new String[] {
                Topics.topic("default", "secret-keeper", Topics.Channel.DESIRED),
                "baton/v1/default/+/desired",
                "baton/v1/#",
                "$share/hub/baton/v1/+/+/reported"
            }) {
                assertThatThrownBy(() -> node.subscribe(filter))
                        .as(filter)
                        .isInstanceOfSatisfying(Mqtt5SubAckException.class, e -> assertThat(
                                        e.getMqttMessage().getReasonCodes())
                                .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED));
            }
            assertThat(node.received()).isEmpty();
        }
    }

    @Test
    void aWrongPasswordIsRefusedAtConnect(final HubApi api) {
        final MqttCredentials real = api.enroll("guarded").mqtt();
        final MqttCredentials wrong =
                new MqttCredentials(real.serverUri(), real.clientId(), real.username(), "not-the-password");

        assertThatThrownBy(() -> FakeNode.connect("default", "guarded", wrong))
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(
                                e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
    }

    @Test
    void aClientIdentifierOtherThanTheUsernameIsRefusedAtConnect(final HubApi api) {
        final MqttCredentials credentials = api.enroll("twin").mqtt();

        assertThatThrownBy(() -> FakeNode.connect("default", "twin", credentials, "default.other", null, null))
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(
                                e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID));
    }

    @Test
    void aWillOnAnotherNodesTopicIsRefusedAtConnect(final HubApi api) {
        final MqttCredentials credentials = api.enroll("will-forger").mqtt();
        final String victimStatus = Topics.topic("default", "victim", Topics.Channel.STATUS);

        assertThatThrownBy(() -> FakeNode.connect(
                        "default",
                        "will-forger",
                        credentials,
                        credentials.clientId(),
                        victimStatus,
                        TestMessages.status("boot-forged-1", false, 0, "0.1.0")))
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(
                                e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
    }

    @Test
    void aNodeThatWasNeverEnrolledCannotConnectEvenWhenTheHubKnowsItsName(final HubApi api, final BatonHub hub) {
        api.putDesired("not-enrolled", "{\"components\": []}");
        final MqttCredentials guess = new MqttCredentials(
                "tcp://127.0.0.1:" + hub.mqttPort(), "default.not-enrolled", "default.not-enrolled", "guess");

        assertThatThrownBy(() -> FakeNode.connect("default", "not-enrolled", guess))
                .isInstanceOf(Mqtt5ConnAckException.class);
    }
}
