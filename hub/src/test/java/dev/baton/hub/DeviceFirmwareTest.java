package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.hub.testing.FakeNode;
import dev.baton.hub.testing.HubApi;
import dev.baton.hub.testing.SharedHub;
import dev.baton.protocol.ComponentState;
import dev.baton.protocol.ComponentStatus;
import dev.baton.protocol.Device;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.ReportedState;
import dev.baton.protocol.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A device's view shows the firmware image a node's {@code firmware} component reports to have flashed on it (its
 * {@code outputs.devices[]}), the most recent flash winning.
 */
@ExtendWith(SharedHub.class)
class DeviceFirmwareTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final MessageCodec CODEC = new MessageCodec();
    private static final String SHA_A = "a1".repeat(32);
    private static final String SHA_B = "b2".repeat(32);

    @Test
    void theDeviceViewShowsTheImageLastFlashedOnItAndAnOlderReportDoesNotReplaceIt(final HubApi api) {
        final EnrollmentResponse enrolled = api.enroll("fw-node");
        final Device port = InventoryTest.serial("fw-node", "/dev/ttyACM0");
        final Instant flashedAt = Instant.parse("2026-11-22T10:00:00Z");
        try (FakeNode node = FakeNode.connect("default", "fw-node", enrolled.mqtt())) {
            node.publish(Topics.Channel.INVENTORY, InventoryTest.snapshot(1, List.of(port), null));
            await().atMost(WAIT)
                    .until(() -> InventoryTest.device(api, port.id()).status() == 200);
            assertThat(InventoryTest.device(api, port.id()).body().has("firmware"))
                    .isFalse();

            node.publish(Topics.Channel.REPORTED, reported(1, port.id(), SHA_A, flashedAt));
            final JsonNode firmware = await().atMost(WAIT)
                    .until(() -> InventoryTest.device(api, port.id()).body().path("firmware"), JsonNode::isObject);
            assertThat(firmware.get("sha256").asText()).isEqualTo(SHA_A);
            assertThat(firmware.get("verified").asBoolean()).isTrue();
            assertThat(firmware.get("chipId").asText()).isEqualTo("0x410");
            assertThat(firmware.get("flashedAt").asText()).isEqualTo("2026-11-22T10:00:00Z");
            assertThat(firmware.get("node").asText()).isEqualTo("fw-node");
            assertThat(firmware.get("component").asText()).isEqualTo("blinky");

            node.publish(Topics.Channel.REPORTED, reported(2, port.id(), SHA_B, flashedAt.plusSeconds(60)));
            await().atMost(WAIT)
                    .until(
                            () -> InventoryTest.device(api, port.id())
                                    .body()
                                    .path("firmware")
                                    .path("sha256")
                                    .asText(),
                            SHA_B::equals);

            node.publish(Topics.Channel.REPORTED, reported(3, port.id(), SHA_A, flashedAt.minusSeconds(60)));
            node.publish(Topics.Channel.REPORTED, reported(4, "serial:fw-node:other", SHA_A, flashedAt));
            // Reports carry their seq as observed generation here: seq 4 stored means seq 3 was too.
            await().atMost(WAIT)
                    .until(() -> api.node("fw-node")
                                    .path("reported")
                                    .path("observedGeneration")
                                    .asLong()
                            == 4);
            assertThat(InventoryTest.device(api, port.id())
                            .body()
                            .path("firmware")
                            .path("sha256")
                            .asText())
                    .as("an older flash does not replace a newer one")
                    .isEqualTo(SHA_B);
        }
    }

    private static byte[] reported(final long seq, final String device, final String sha, final Instant flashedAt) {
        final ObjectNode outputs = JsonNodeFactory.instance.objectNode().put("sha256", sha);
        outputs.putArray("devices")
                .addObject()
                .put("device", device)
                .put("port", "/dev/ttyACM0")
                .put("sha256", sha)
                .put("verified", true)
                .put("chipId", "0x410")
                .put("flashedAt", flashedAt.toString());
        return CODEC.encode(
                new ReportedState(
                        seq,
                        "boot-firmware-test",
                        Instant.now(),
                        seq,
                        List.of(new ComponentStatus(
                                "blinky", "firmware", ComponentState.HEALTHY, "flashed", seq, Instant.now(), outputs)),
                        List.of()),
                MessageType.REPORTED);
    }
}
