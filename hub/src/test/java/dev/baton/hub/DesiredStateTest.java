package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.baton.hub.internal.mqtt.DesiredPublisher;
import dev.baton.hub.testing.FakeNode;
import dev.baton.hub.testing.HubApi;
import dev.baton.hub.testing.LogCapture;
import dev.baton.hub.testing.SharedHub;
import dev.baton.protocol.DesiredDocument;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.Topics;
import dev.baton.protocol.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code PUT/GET …/nodes/{node}/desired}: generations, compare-and-set, validation, publishing. */
@ExtendWith(SharedHub.class)
class DesiredStateTest {

    private static final MessageCodec CODEC = new MessageCodec();
    private static final String SPEC = Fixtures.text("desired-spec.json");

    @Test
    void aDesiredDocumentReachesTheSubscribedNodeRetainedWithItsGeneration(final HubApi api) throws Exception {
        final EnrollmentResponse enrolled = api.enroll("subscriber");
        try (LogCapture log = LogCapture.of(DesiredPublisher.class)) {
            final HubApi.Response put = api.putDesired("subscriber", SPEC);
            assertThat(put.status()).isEqualTo(200);
            assertThat(put.body().get("generation").asLong()).isEqualTo(1);
            // The PUT answers once the document is stored, before the broker has it; a node that subscribed
            // earlier would get it live rather than retained.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> log.contains("published desired generation 1 on baton/v1/default/subscriber/desired"));
        }

        try (FakeNode node = FakeNode.connect("default", "subscriber", enrolled.mqtt())) {
            node.subscribe(node.topic(Topics.Channel.DESIRED));

            final Mqtt5Publish retained = node.received().poll(10, TimeUnit.SECONDS);
            assertThat(retained).isNotNull();
            assertThat(retained.isRetain()).isTrue();
            final DesiredDocument first = CODEC.decode(retained.getPayloadAsBytes(), MessageType.DESIRED);
            assertThat(first.tenant()).isEqualTo("default");
            assertThat(first.node()).isEqualTo("subscriber");
            assertThat(first.generation()).isEqualTo(1);
            assertThat(first.components()).extracting(c -> c.name()).containsExactly("motd");

            assertThat(api.putDesired("subscriber", "{\"components\": []}")
                            .body()
                            .get("generation")
                            .asLong())
                    .isEqualTo(2);
            final Mqtt5Publish live = node.received().poll(10, TimeUnit.SECONDS);
            assertThat(live).isNotNull();
            assertThat(CODEC.decode(live.getPayloadAsBytes(), MessageType.DESIRED)
                            .generation())
                    .isEqualTo(2);
        }
    }

    @Test
    void ifMatchWithAnOutdatedGenerationIs409AndStoresNothing(final HubApi api) {
        api.putDesired("cas", SPEC);

        final HubApi.Response conflict = api.put(
                HubApi.nodePath("cas") + "/desired",
                "{\"components\": []}".getBytes(StandardCharsets.UTF_8),
                Map.of("If-Match", "\"0\""));

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.reason()).isEqualTo("GENERATION_CONFLICT");
        assertThat(conflict.body().get("currentGeneration").asLong()).isEqualTo(1);
        assertThat(conflict.error()).contains("If-Match: \"1\"");
        final HubApi.Response current = api.get(HubApi.nodePath("cas") + "/desired");
        assertThat(current.body().get("generation").asLong()).isEqualTo(1);
        assertThat(current.body().get("components")).hasSize(1);
        assertThat(current.headers().firstValue("ETag")).hasValue("\"1\"");

        final HubApi.Response matching = api.put(
                HubApi.nodePath("cas") + "/desired",
                "{\"components\": []}".getBytes(StandardCharsets.UTF_8),
                Map.of("If-Match", "\"1\""));
        assertThat(matching.status()).isEqualTo(200);
        assertThat(matching.body().get("generation").asLong()).isEqualTo(2);
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                Arguments.of("not JSON", "{\"components\": [", "MALFORMED"),
                Arguments.of("unknown field", "{\"components\": [], \"generation\": 7}", "MALFORMED"),
                Arguments.of("trailing data", "{\"components\": []} {}", "MALFORMED"),
                Arguments.of(
                        "bad component name",
                        "{\"components\": [{\"name\": \"Bad Name\", \"kind\": \"file\"}]}",
                        "INVALID_FIELD"),
                Arguments.of(
                        "dependency cycle",
                        "{\"components\": [{\"name\": \"a\", \"kind\": \"file\", \"dependsOn\": [\"b\"]},"
                                + " {\"name\": \"b\", \"kind\": \"file\", \"dependsOn\": [\"a\"]}]}",
                        "INVALID_FIELD"),
                Arguments.of(
                        "interval too small",
                        "{\"components\": [], \"reconcile\": {\"active\": true, \"intervalSeconds\": 0}}",
                        "INVALID_FIELD"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSpecs")
    void anInvalidDocumentIs400WithTheCodecsReasonAndKeepsThePreviousGeneration(
            final String what, final String body, final String reason, final HubApi api) {
        final String node = "invalid-" + what.toLowerCase(Locale.ROOT).replace(' ', '-');
        api.putDesired(node, SPEC);

        final HubApi.Response refused = api.putDesired(node, body);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.reason()).isEqualTo(reason);
        assertThat(refused.error()).isNotBlank();
        assertThat(api.node(node).get("desired").get("generation").asLong()).isEqualTo(1);
        assertThat(api.get(HubApi.nodePath(node) + "/desired").body().get("components"))
                .hasSize(1);
    }

    @Test
    void anOversizedDocumentIs413AndKeepsThePreviousGeneration(final HubApi api) {
        api.putDesired("big", SPEC);
        final String justOverTheProtocolLimit = "{\"components\": [{\"name\": \"blob\", \"kind\": \"file\","
                + " \"properties\": {\"content\": \"" + "x".repeat(1024 * 1024) + "\"}}]}";
        final String farOverTheBodyLimit = "{\"components\": [{\"name\": \"blob\", \"kind\": \"file\","
                + " \"properties\": {\"content\": \"" + "x".repeat(3 * 1024 * 1024) + "\"}}]}";

        final HubApi.Response tooLarge = api.putDesired("big", justOverTheProtocolLimit);
        final HubApi.Response farTooLarge = api.putDesired("big", farOverTheBodyLimit);

        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.reason()).isEqualTo("TOO_LARGE");
        assertThat(tooLarge.error()).contains("must not exceed 1048576 bytes");
        assertThat(farTooLarge.status()).isEqualTo(413);
        assertThat(farTooLarge.reason()).isEqualTo("TOO_LARGE");
        assertThat(api.node("big").get("desired").get("generation").asLong()).isEqualTo(1);
    }

    @Test
    void desiredStateMayBeSetBeforeTheNodeEnrollsAndTheNodeShowsEmptyDefaults(final HubApi api) {
        final HubApi.Response put = api.putDesired("early-bird", SPEC);

        assertThat(put.status()).isEqualTo(200);
        final HubApi.Response shown = api.get(HubApi.nodePath("early-bird"));
        assertThat(shown.headers().firstValue("ETag")).hasValue("\"1\"");
        final JsonNode node = shown.body();
        assertThat(node.get("tenant").asText()).isEqualTo("default");
        assertThat(node.get("name").asText()).isEqualTo("early-bird");
        assertThat(node.get("online").asBoolean()).isFalse();
        assertThat(node.get("enrolledAt").isNull()).isTrue();
        assertThat(node.get("desired").get("generation").asLong()).isEqualTo(1);
        assertThat(node.get("desired").get("updatedAt").isNull()).isFalse();
        assertThat(node.get("desired").get("components").get(0).get("name").asText())
                .isEqualTo("motd");
        assertThat(node.get("reported").get("observedGeneration").asLong()).isZero();
        assertThat(node.get("reported").get("components")).isEmpty();
        assertThat(node.get("reported").get("conditions")).isEmpty();
        assertThat(node.get("inSync").asBoolean()).isFalse();
    }

    @Test
    void aNodeWithoutDesiredStateAnswers404OnGetDesired(final HubApi api) {
        api.enroll("blank-slate");

        final HubApi.Response response = api.get(HubApi.nodePath("blank-slate") + "/desired");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.reason()).isEqualTo("DESIRED_NOT_FOUND");
        final JsonNode node = api.node("blank-slate");
        assertThat(node.get("desired").get("generation").asLong()).isZero();
        assertThat(node.get("desired").get("components")).isEmpty();
        assertThat(node.get("inSync").asBoolean()).isTrue();
    }

    @Test
    void aMalformedIfMatchIs400(final HubApi api) {
        final HubApi.Response response = api.put(
                HubApi.nodePath("etag-node") + "/desired",
                SPEC.getBytes(StandardCharsets.UTF_8),
                Map.of("If-Match", "\"abc\""));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).contains("If-Match");
        assertThat(api.get(HubApi.nodePath("etag-node")).status()).isEqualTo(404);
    }
}
