package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.baton.hub.internal.mqtt.NodeMessageIngest;
import dev.baton.hub.testing.FakeNode;
import dev.baton.hub.testing.HubApi;
import dev.baton.hub.testing.LogCapture;
import dev.baton.hub.testing.SharedHub;
import dev.baton.hub.testing.TestMessages;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.Topics;
import dev.baton.protocol.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the hub makes of node messages that arrive at least once, out of order, late or broken. A dropped message
 * leaves no trace in the store, so these tests wait for the hub's log line saying it handled the message.
 */
@ExtendWith(SharedHub.class)
class IngestTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aReportedStateWithASeqAlreadySeenOrOlderChangesNothing(final HubApi api) {
        final EnrollmentResponse enrolled = api.enroll("dup-reporter");
        try (LogCapture log = LogCapture.of(NodeMessageIngest.class);
                FakeNode node = FakeNode.connect("default", "dup-reporter", enrolled.mqtt())) {
            node.publish(Topics.Channel.REPORTED, TestMessages.reported(6, 1, "app", "original"));
            await().atMost(WAIT).until(() -> message(api.node("dup-reporter")), "original"::equals);

            node.publish(Topics.Channel.REPORTED, TestMessages.reported(6, 2, "app", "duplicate"));
            node.publish(Topics.Channel.REPORTED, TestMessages.reported(5, 3, "app", "stale"));

            await().atMost(WAIT)
                    .until(() -> log.contains("ignored reported state seq 6 of default/dup-reporter")
                            && log.contains("ignored reported state seq 5 of default/dup-reporter"));
            final JsonNode shown = api.node("dup-reporter");
            assertThat(message(shown)).isEqualTo("original");
            assertThat(shown.get("reported").get("observedGeneration").asLong()).isEqualTo(1);
        }
    }

    @Test
    void anEventDeliveredTwiceIsStoredOnceAndEventsListNewestFirst(final HubApi api) {
        final EnrollmentResponse enrolled = api.enroll("chatter");
        try (FakeNode node = FakeNode.connect("default", "chatter", enrolled.mqtt())) {
            node.publish(Topics.Channel.EVENTS, TestMessages.event(10, "first delivery"));
            node.publish(Topics.Channel.EVENTS, TestMessages.event(10, "second delivery"));
            node.publish(Topics.Channel.EVENTS, TestMessages.event(11, "marker"));

            // Same topic, same connection: the marker is handled after both deliveries of seq 10.
            final JsonNode events = await().atMost(WAIT)
                    .until(
                            () -> api.get(HubApi.nodePath("chatter") + "/events")
                                    .body(),
                            json -> json.get("items").size() >= 2);
            assertThat(events.get("items")).hasSize(2);
            assertThat(events.get("items").get(0).get("seq").asLong()).isEqualTo(11);
            assertThat(events.get("items").get(1).get("seq").asLong()).isEqualTo(10);
            assertThat(events.get("items").get(1).get("message").asText()).isEqualTo("first delivery");
            assertThat(events.get("items").get(1).get("type").asText()).isEqualTo("component.healthy");
            assertThat(events.get("items").get(1).get("severity").asText()).isEqualTo("info");
            assertThat(api.get(HubApi.nodePath("chatter") + "/events?limit=1")
                            .body()
                            .get("items"))
                    .hasSize(1);
        }
    }

    @Test
    void aBirthWithAnOlderObservedGenerationMakesTheHubPublishTheDesiredDocumentAgain(final HubApi api)
            throws Exception {
        final EnrollmentResponse enrolled = api.enroll("returning");
        api.putDesired("returning", Fixtures.text("desired-spec.json"));
        try (FakeNode node = FakeNode.connect("default", "returning", enrolled.mqtt())) {
            node.subscribe(node.topic(Topics.Channel.DESIRED));
            final Mqtt5Publish retained = node.received().poll(10, TimeUnit.SECONDS);
            assertThat(retained).as("the retained document").isNotNull();

            node.publish(Topics.Channel.STATUS, TestMessages.birth("boot-returning-1", 0));

            final Mqtt5Publish republished = node.received().poll(10, TimeUnit.SECONDS);
            assertThat(republished)
                    .as("the document published again after the birth")
                    .isNotNull();
            assertThat(TestMessages.CODEC
                            .decode(republished.getPayloadAsBytes(), MessageType.DESIRED)
                            .generation())
                    .isEqualTo(1);
        }
    }

    @Test
    void aBirthThatObservedTheNewestGenerationGetsNoRepublish(final HubApi api) throws Exception {
        final EnrollmentResponse enrolled = api.enroll("up-to-date");
        api.putDesired("up-to-date", Fixtures.text("desired-spec.json"));
        try (LogCapture log = LogCapture.of(NodeMessageIngest.class);
                FakeNode node = FakeNode.connect("default", "up-to-date", enrolled.mqtt())) {
            node.subscribe(node.topic(Topics.Channel.DESIRED));
            assertThat(node.received().poll(10, TimeUnit.SECONDS))
                    .as("the retained document")
                    .isNotNull();

            node.publish(Topics.Channel.STATUS, TestMessages.birth("boot-uptodate-1", 1));

            // Logged where the hub decides against publishing again, so the decision has been made by now.
            await().atMost(WAIT).until(() -> log.contains("node default/up-to-date needs no desired document again"));
            assertThat(log.messages()).noneMatch(message -> message.contains("default/up-to-date observed generation"));
            assertThat(node.received().poll(1, TimeUnit.SECONDS))
                    .as("a desired document published again")
                    .isNull();
            assertThat(api.node("up-to-date").get("inSync").asBoolean()).isTrue();
        }
    }

    @Test
    void aWillOfAnOlderBootIsIgnoredWhileTheWillOfTheCurrentBootTakesTheNodeOffline(final HubApi api) {
        final EnrollmentResponse enrolled = api.enroll("flaky");
        final String statusTopic = Topics.topic("default", "flaky", Topics.Channel.STATUS);
        try (LogCapture log = LogCapture.of(NodeMessageIngest.class)) {
            final FakeNode node = FakeNode.connect(
                    "default",
                    "flaky",
                    enrolled.mqtt(),
                    enrolled.mqtt().clientId(),
                    statusTopic,
                    TestMessages.status("boot-flaky-2", false, 0, "0.1.0"));
            node.publish(Topics.Channel.STATUS, TestMessages.birth("boot-flaky-2", 0));
            await().atMost(WAIT).until(() -> api.node("flaky").get("online").asBoolean());

            node.publish(Topics.Channel.STATUS, TestMessages.status("boot-flaky-1", false, 0, "0.1.0"));
            await().atMost(WAIT)
                    .until(() -> log.contains("ignored offline status of default/flaky for boot boot-flaky-1"));
            assertThat(api.node("flaky").get("online").asBoolean()).isTrue();

            node.dropWithWill();
            await().atMost(WAIT).until(() -> !api.node("flaky").get("online").asBoolean());
            assertThat(api.node("flaky").get("bootId").asText()).isEqualTo("boot-flaky-2");
        }
    }

    @Test
    void aMalformedMessageIsLoggedWithItsTopicAndChangesNothing(final HubApi api) {
        final EnrollmentResponse enrolled = api.enroll("garbled");
        try (LogCapture log = LogCapture.of(NodeMessageIngest.class);
                FakeNode node = FakeNode.connect("default", "garbled", enrolled.mqtt())) {
            node.publish(Topics.Channel.REPORTED, TestMessages.reported(3, 1, "app", "good"));
            await().atMost(WAIT).until(() -> message(api.node("garbled")), "good"::equals);

            node.publish(
                    Topics.Channel.REPORTED, "{\"seq\": \"4\", \"bootId\": \"nope\"}".getBytes(StandardCharsets.UTF_8));
            node.publish(Topics.Channel.EVENTS, Fixtures.bytes("invalid/event-zero-seq.json"));

            await().atMost(WAIT)
                    .until(() -> log.messages().stream()
                                    .filter(line -> line.startsWith("refused message on 'baton/v1/default/garbled/"))
                                    .count()
                            == 2);
            assertThat(message(api.node("garbled"))).isEqualTo("good");
            assertThat(api.get(HubApi.nodePath("garbled") + "/events").body().get("items"))
                    .isEmpty();
        }
    }

    private static String message(final JsonNode node) {
        final JsonNode components = node.get("reported").get("components");
        return components.isEmpty() ? null : components.get(0).get("message").asText();
    }
}
