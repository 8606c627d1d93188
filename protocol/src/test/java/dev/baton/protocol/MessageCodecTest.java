package dev.baton.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.protocol.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MessageCodecTest {

    private final MessageCodec codec = new MessageCodec();

    static Stream<Arguments> goldenFixtures() {
        return Stream.of(
                Arguments.of("desired.json", MessageType.DESIRED),
                Arguments.of("desired-spec.json", MessageType.DESIRED_SPEC),
                Arguments.of("desired-discovery.json", MessageType.DESIRED),
                Arguments.of("desired-health.json", MessageType.DESIRED),
                Arguments.of("inventory-snapshot.json", MessageType.INVENTORY),
                Arguments.of("inventory-delta.json", MessageType.INVENTORY),
                Arguments.of("reported.json", MessageType.REPORTED),
                Arguments.of("reported-plan.json", MessageType.REPORTED),
                Arguments.of("status-birth.json", MessageType.STATUS),
                Arguments.of("status-will.json", MessageType.STATUS),
                Arguments.of("event.json", MessageType.EVENT),
                Arguments.of("command-request.json", MessageType.COMMAND_REQUEST),
                Arguments.of("command-response.json", MessageType.COMMAND_RESPONSE),
                Arguments.of("enrollment-request.json", MessageType.ENROLLMENT_REQUEST),
                Arguments.of("enrollment-response.json", MessageType.ENROLLMENT_RESPONSE));
    }

    @ParameterizedTest(name = "{0} decodes and encodes back to the same JSON")
    @MethodSource("goldenFixtures")
    <T> void goldenFixtureRoundTripsUnchanged(final String fixture, final MessageType<T> type) {
        final byte[] wire = Fixtures.bytes(fixture);

        final T message = codec.decode(wire, type);
        final byte[] encoded = codec.encode(message, type);

        assertThat(codec.readTree(encoded)).isEqualTo(withoutEmptyDefaults(codec.readTree(wire)));
        assertThat(codec.decode(encoded, type)).isEqualTo(message);
    }

    @Test
    void desiredDocumentFieldsAreDecoded() {
        final DesiredDocument desired = codec.decode(Fixtures.bytes("desired.json"), MessageType.DESIRED);

        assertThat(desired.generation()).isEqualTo(3);
        assertThat(desired.components()).extracting(ComponentSpec::name).containsExactly("app-config", "collector");
        assertThat(desired.components().get(1).dependsOn()).containsExactly("app-config");
        assertThat(desired.components()
                        .get(1)
                        .properties()
                        .get("command")
                        .get(0)
                        .asText())
                .isEqualTo("/usr/bin/collector");
        // Not the defaults (true, 30): a codec that dropped the field would decode those instead, and fail here.
        assertThat(desired.reconcile()).isEqualTo(new ReconcilePolicy(false, 300));
    }

    @Test
    void healthCheckFieldsLeftOutTakeTheirDefaultsAndChangeTheSpecHash() {
        final DesiredDocument document = codec.decode(
                ("{\"tenant\":\"default\",\"node\":\"edge-01\",\"generation\":1,\"components\":[{\"name\":\"a\","
                                + "\"kind\":\"process\",\"properties\":{},\"health\":{\"tcp\":\"127.0.0.1:8080\"}}]}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                MessageType.DESIRED);

        final HealthCheck health = document.components().get(0).health();
        assertThat(health)
                .isEqualTo(new HealthCheck(
                        "127.0.0.1:8080",
                        null,
                        null,
                        HealthCheck.DEFAULT_INTERVAL_SECONDS,
                        HealthCheck.DEFAULT_TIMEOUT_MS,
                        0,
                        HealthCheck.DEFAULT_START_TIMEOUT_SECONDS,
                        HealthCheck.DEFAULT_FAILURE_THRESHOLD));
        final ComponentSpec without = new ComponentSpec("a", "process", null, null);
        assertThat(document.components().get(0).specHash()).isNotEqualTo(without.specHash());
        assertThat(document.reconcile().rollback()).isNull();
        assertThat(document.reconcile().isDryRun()).isFalse();
    }

    @Test
    void commandRequestAndResponseFieldsAreDecoded() {
        final CommandRequest request =
                codec.decode(Fixtures.bytes("command-request.json"), MessageType.COMMAND_REQUEST);
        final CommandResponse response =
                codec.decode(Fixtures.bytes("command-response.json"), MessageType.COMMAND_RESPONSE);

        assertThat(request.id()).isEqualTo("c0ffee-0001");
        assertThat(request.command()).isEqualTo("reconcile.now");
        assertThat(request.args().get("component").asText()).isEqualTo("collector");
        assertThat(request.deadline()).isEqualTo(Instant.parse("2026-11-22T09:01:00Z"));
        assertThat(response.id()).isEqualTo("c0ffee-0001");
        assertThat(response.outcome()).isEqualTo(CommandResponse.Outcome.OK);
        assertThat(response.message()).isEqualTo("drift check started");
        assertThat(response.result().get("passes").asInt()).isEqualTo(1);
    }

    @Test
    void reportedStateNamesFollowTheAcceptanceContract() {
        final ReportedState reported = codec.decode(Fixtures.bytes("reported.json"), MessageType.REPORTED);

        assertThat(reported.components())
                .extracting(ComponentStatus::state)
                .containsExactly(ComponentState.HEALTHY, ComponentState.FAILED);
        final JsonNode json = codec.readTree(codec.encode(reported, MessageType.REPORTED));
        assertThat(json.get("components").get(1).get("state").asText()).isEqualTo("failed");
        assertThat(codec.readTree(codec.writeValue(ComponentState.ROLLED_BACK)).asText())
                .isEqualTo("rolled-back");
    }

    static Stream<Arguments> invalidFixtures() {
        return Stream.of(
                Arguments.of(
                        "desired-unknown-field.json",
                        MessageType.DESIRED,
                        ProtocolException.Reason.MALFORMED,
                        "unknown field 'colour'"),
                Arguments.of(
                        "desired-cycle.json",
                        MessageType.DESIRED,
                        ProtocolException.Reason.INVALID_FIELD,
                        "cycle: a -> c -> b -> a"),
                Arguments.of(
                        "desired-duplicate-name.json",
                        MessageType.DESIRED,
                        ProtocolException.Reason.INVALID_FIELD,
                        "components[1].name 'a' is already used by components[0]"),
                Arguments.of(
                        "desired-bad-name.json",
                        MessageType.DESIRED,
                        ProtocolException.Reason.INVALID_FIELD,
                        "components[0].name must be 1 to 63 lower-case letters"),
                Arguments.of(
                        "desired-missing-dependency.json",
                        MessageType.DESIRED,
                        ProtocolException.Reason.INVALID_FIELD,
                        "names 'ghost', which is not a component"),
                Arguments.of(
                        "desired-generation-as-string.json",
                        MessageType.DESIRED,
                        ProtocolException.Reason.MALFORMED,
                        "generation"),
                Arguments.of(
                        "desired-zero-generation.json",
                        MessageType.DESIRED,
                        ProtocolException.Reason.INVALID_FIELD,
                        "generation must be at least 1, but was 0"),
                Arguments.of(
                        "desired-duplicate-key.json",
                        MessageType.DESIRED,
                        ProtocolException.Reason.MALFORMED,
                        "Duplicate field 'generation'"),
                Arguments.of(
                        "desired-interval-too-small.json",
                        MessageType.DESIRED,
                        ProtocolException.Reason.INVALID_FIELD,
                        "reconcile.intervalSeconds must be between 1 and 86400, but was 0"),
                Arguments.of(
                        "desired-reconcile-missing-active.json",
                        MessageType.DESIRED,
                        ProtocolException.Reason.MALFORMED,
                        "desired document is malformed: reconcile.active is required"),
                Arguments.of(
                        "status-missing-online.json",
                        MessageType.STATUS,
                        ProtocolException.Reason.MALFORMED,
                        "node status is malformed: online is required"),
                Arguments.of(
                        "desired-trailing-data.json",
                        MessageType.DESIRED,
                        ProtocolException.Reason.MALFORMED,
                        "Trailing token"),
                Arguments.of(
                        "reported-bad-state.json",
                        MessageType.REPORTED,
                        ProtocolException.Reason.INVALID_FIELD,
                        "component state must be one of"),
                Arguments.of(
                        "inventory-delta-without-base.json",
                        MessageType.INVENTORY,
                        ProtocolException.Reason.INVALID_FIELD,
                        "baseHash is required"),
                Arguments.of(
                        "inventory-duplicate-device.json",
                        MessageType.INVENTORY,
                        ProtocolException.Reason.INVALID_FIELD,
                        "devices[1].id 'usb:1' appears more than once"),
                Arguments.of(
                        "desired-discovery-bad-interval.json",
                        MessageType.DESIRED,
                        ProtocolException.Reason.INVALID_FIELD,
                        "discovery.onvif.intervalSeconds must be a whole number from 1 to 86400, but was 0"),
                Arguments.of(
                        "desired-health-two-probes.json",
                        MessageType.DESIRED,
                        ProtocolException.Reason.INVALID_FIELD,
                        "components[0].health may have one of tcp, http or command, but has 2"),
                Arguments.of(
                        "desired-health-gate-longer-than-start.json",
                        MessageType.DESIRED,
                        ProtocolException.Reason.INVALID_FIELD,
                        "startTimeoutSeconds (60) must be more than healthyForSeconds (60)"),
                Arguments.of(
                        "desired-health-tcp-no-port.json",
                        MessageType.DESIRED,
                        ProtocolException.Reason.INVALID_FIELD,
                        "components[0].health.tcp must be host:port"),
                Arguments.of(
                        "desired-rollback-zero.json",
                        MessageType.DESIRED,
                        ProtocolException.Reason.INVALID_FIELD,
                        "reconcile.rollback.afterFailures must be between 1 and 20, but was 0"),
                Arguments.of(
                        "event-zero-seq.json",
                        MessageType.EVENT,
                        ProtocolException.Reason.INVALID_FIELD,
                        "seq must be at least 1, but was 0"));
    }

    @ParameterizedTest(name = "{0} is refused as {2}")
    @MethodSource("invalidFixtures")
    void invalidFixtureIsRefusedWithAReasonThatNamesTheProblem(
            final String fixture,
            final MessageType<?> type,
            final ProtocolException.Reason reason,
            final String messagePart) {
        assertThatThrownBy(() -> codec.decode(Fixtures.bytes("invalid/" + fixture), type))
                .isInstanceOfSatisfying(
                        ProtocolException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(messagePart);
    }

    @Test
    void payloadLargerThanItsLimitIsRefusedBeforeParsing() {
        final byte[] payload = new byte[Limits.MAX_STATUS_BYTES + 1];
        java.util.Arrays.fill(payload, (byte) ' ');

        assertThatThrownBy(() -> codec.decode(payload, MessageType.STATUS))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.reason())
                        .isEqualTo(ProtocolException.Reason.TOO_LARGE))
                .hasMessage("node status must not exceed 8192 bytes, but was 8193 bytes");
    }

    @Test
    void deeplyNestedPropertiesAreRefused() {
        final String nested =
                "{\"a\":".repeat(Limits.MAX_NESTING_DEPTH + 1) + "1" + "}".repeat(Limits.MAX_NESTING_DEPTH + 1);
        final String json = "{\"components\":[{\"name\":\"a\",\"kind\":\"file\",\"properties\":" + nested + "}]}";

        assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8), MessageType.DESIRED_SPEC))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.reason())
                        .isEqualTo(ProtocolException.Reason.MALFORMED))
                .hasMessageContaining("nesting depth");
    }

    @Test
    void tooManyComponentsAreRefused() {
        final List<ComponentSpec> components = new ArrayList<>();
        for (int i = 0; i <= Limits.MAX_COMPONENTS; i++) {
            components.add(new ComponentSpec("c" + i, "file", null, null));
        }
        final DesiredSpec spec = new DesiredSpec(components, null);

        assertThatThrownBy(() -> codec.encode(spec, MessageType.DESIRED_SPEC))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("components must not exceed 256 entries, but was 257");
    }

    @Test
    void encodingRefusesAnInvalidMessageSoItIsNeverSent() {
        final Event event =
                new Event(1, "not a boot id!", Instant.parse("2026-11-22T09:00:00Z"), "x", Severity.INFO, null, "m");

        assertThatThrownBy(() -> codec.encode(event, MessageType.EVENT))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("bootId must be 8 to 64 letters");
    }

    @Test
    void longMessagesAreTruncatedToTheLimit() {
        final Event event = new Event(
                1,
                "6f1c2a4e-1d2b",
                Instant.parse("2026-11-22T09:00:00Z"),
                "component.failed",
                Severity.ERROR,
                "a",
                "x".repeat(10_000));

        assertThat(event.message()).hasSize(Limits.MAX_MESSAGE_CHARS).endsWith("…");
    }

    @Test
    void specHashIgnoresKeyOrderButNotContent() {
        final ObjectNode first =
                JsonNodeFactory.instance.objectNode().put("path", "/a").put("content", "x");
        final ObjectNode reordered =
                JsonNodeFactory.instance.objectNode().put("content", "x").put("path", "/a");
        final ObjectNode changed =
                JsonNodeFactory.instance.objectNode().put("path", "/a").put("content", "y");

        final String hash = new ComponentSpec("c", "file", first, null).specHash();

        assertThat(new ComponentSpec("c", "file", reordered, null).specHash()).isEqualTo(hash);
        assertThat(new ComponentSpec("c", "file", changed, null).specHash()).isNotEqualTo(hash);
        assertThat(new ComponentSpec("c", "process", first, null).specHash()).isNotEqualTo(hash);
        assertThat(new ComponentSpec("c", "file", first, List.of("b")).specHash())
                .isNotEqualTo(hash);
    }

    @Test
    void componentPropertiesCannotBeChangedThroughTheRecord() {
        final ComponentSpec spec = new ComponentSpec(
                "c", "file", JsonNodeFactory.instance.objectNode().put("path", "/a"), null);

        spec.properties().put("path", "/b");

        assertThat(spec.properties().get("path").asText()).isEqualTo("/a");
    }

    @Test
    void secretsNeverAppearInToString() {
        final EnrollmentRequest request =
                codec.decode(Fixtures.bytes("enrollment-request.json"), MessageType.ENROLLMENT_REQUEST);
        final EnrollmentResponse response =
                codec.decode(Fixtures.bytes("enrollment-response.json"), MessageType.ENROLLMENT_RESPONSE);

        assertThat(request.toString()).doesNotContain(request.token()).contains("<redacted>");
        assertThat(response.toString())
                .doesNotContain(response.mqtt().password())
                .contains("<redacted>");
    }

    @Test
    void enrollmentResponseWithANonMqttUriIsRefused() {
        final EnrollmentResponse response = new EnrollmentResponse(
                "default", "edge-01", new MqttCredentials("http://hub:80", "default.edge-01", "u", "p"));

        assertThatThrownBy(() -> codec.encode(response, MessageType.ENROLLMENT_RESPONSE))
                .hasMessageContaining("mqtt.serverUri must be tcp://host:port or ssl://host:port");
    }

    /** Fields the encoder leaves out when empty (dependsOn) are equal to their absence. */
    private static JsonNode withoutEmptyDefaults(final JsonNode node) {
        final JsonNode copy = node.deepCopy();
        if (copy.has("components")) {
            copy.get("components").forEach(component -> {
                if (component.has("dependsOn") && component.get("dependsOn").isEmpty()) {
                    ((ObjectNode) component).remove("dependsOn");
                }
            });
        }
        return copy;
    }
}
