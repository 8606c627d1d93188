package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.cli.BatonCli;
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
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jetbrains.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code baton device ID} against a real hub: the firmware image a node's {@code firmware} component last flashed on the
 * device, as the agent reports it in the component's outputs.
 */
@ExtendWith(SharedHub.class)
class BatonDeviceCommandTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final MessageCodec CODEC = new MessageCodec();
    private static final String SHA_A = "3f5a1c0b".repeat(8);
    private static final String SHA_B = "0d9e7a41".repeat(8);

    private record Run(int exitCode, String out, String err) {}

    @Test
    void deviceShowsTheImageLastFlashedAndVerifiedOnItThenANewerUnverifiedFlashInstead(
            final HubApi api, final BatonHub hub) throws Exception {
        final EnrollmentResponse enrolled = api.enroll("cli-fw-node");
        final Device port = InventoryTest.serial("cli-fw-node", "/dev/ttyACM0");
        final Instant flashedAt = Instant.parse("2026-11-22T10:00:00Z");
        try (FakeNode node = FakeNode.connect("default", "cli-fw-node", enrolled.mqtt())) {
            node.publish(Topics.Channel.INVENTORY, InventoryTest.snapshot(1, List.of(port), null));
            await().atMost(WAIT)
                    .until(() -> InventoryTest.device(api, port.id()).status() == 200);
            final Run before = cli(hub, "device", port.id());
            assertThat(before.exitCode()).as(before.err()).isZero();
            assertThat(before.out()).contains("Device:     " + port.id()).doesNotContain("Firmware:");

            node.publish(Topics.Channel.REPORTED, reported(1, port.id(), SHA_A, true, "0x410", flashedAt));
            awaitFirmware(api, port.id(), SHA_A);
            final Run verified = cli(hub, "device", port.id());

            assertThat(verified.exitCode()).as(verified.err()).isZero();
            assertThat(verified.out().lines().toList())
                    .contains("Firmware:   " + SHA_A
                            + " (verified, chip 0x410, flashed 2026-11-22T10:00:00Z by cli-fw-node/blinky)");
            final JsonNode json = new JsonMapper()
                    .readTree(cli(hub, "--json", "device", port.id()).out());
            assertThat(json.path("firmware").path("sha256").asText()).isEqualTo(SHA_A);
            assertThat(json.path("firmware").path("verified").asBoolean()).isTrue();

            node.publish(
                    Topics.Channel.REPORTED, reported(2, port.id(), SHA_B, false, null, flashedAt.plusSeconds(60)));
            awaitFirmware(api, port.id(), SHA_B);
            final Run unverified = cli(hub, "device", port.id());

            assertThat(unverified.out().lines().toList())
                    .contains("Firmware:   " + SHA_B + " (not read back, flashed 2026-11-22T10:01:00Z by"
                            + " cli-fw-node/blinky)")
                    .noneMatch(line -> line.contains(SHA_A));
        }
    }

    private static void awaitFirmware(final HubApi api, final String device, final String sha) {
        await().atMost(WAIT)
                .until(
                        () -> InventoryTest.device(api, device)
                                .body()
                                .path("firmware")
                                .path("sha256")
                                .asText(),
                        sha::equals);
    }

    /** What a node's agent reports after its {@code firmware} component flashed {@code sha} on {@code device}. */
    private static byte[] reported(
            final long seq,
            final String device,
            final String sha,
            final boolean verified,
            final @Nullable String chipId,
            final Instant flashedAt) {
        final ObjectNode outputs = JsonNodeFactory.instance.objectNode().put("sha256", sha);
        final ObjectNode entry = outputs.putArray("devices")
                .addObject()
                .put("device", device)
                .put("port", "/dev/ttyACM0")
                .put("sha256", sha)
                .put("verified", verified);
        if (chipId != null) {
            entry.put("chipId", chipId);
        }
        entry.put("flashedAt", flashedAt.toString());
        return CODEC.encode(
                new ReportedState(
                        seq,
                        "boot-cli-fw",
                        Instant.now(),
                        seq,
                        List.of(new ComponentStatus(
                                "blinky", "firmware", ComponentState.HEALTHY, "flashed", seq, Instant.now(), outputs)),
                        List.of()),
                MessageType.REPORTED);
    }

    private static Run cli(final BatonHub hub, final String... args) {
        final String[] all = new String[args.length + 4];
        all[0] = "--hub";
        all[1] = "http://127.0.0.1:" + hub.httpPort();
        all[2] = "--token";
        all[3] = hub.adminToken();
        System.arraycopy(args, 0, all, 4, args.length);
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final var commandLine = BatonCli.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        final int exit = commandLine.execute(all);
        return new Run(exit, out.toString(), err.toString());
    }
}
