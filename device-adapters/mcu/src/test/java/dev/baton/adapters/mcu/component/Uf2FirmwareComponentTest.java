package dev.baton.adapters.mcu.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.testing.RecordingContext;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code uf2} back-end through the {@code firmware} provider, with a temporary directory acting as the
 * bootloader's volume ({@link Uf2Volume}). This is the real code path: the provider finds the volume by its
 * INFO_UF2.TXT, copies and syncs the file, and waits for the volume to go away; only the bootloader is a thread.
 */
class Uf2FirmwareComponentTest {

    private static final byte[] IMAGE = Uf2Volume.file(Uf2Volume.RP2040, 0x1000_0000L, 40, 1);

    @TempDir
    Path tmp;

    private final FirmwareProvider provider = new FirmwareProvider();

    private ComponentSpec spec(final String sha256, final String... extra) {
        final ObjectNode properties = JsonNodeFactory.instance
                .objectNode()
                .put("flasher", "uf2")
                .put("artifact", sha256)
                .put("rebootTimeoutMs", 5_000);
        properties.putArray("volumeRoots").add(tmp.resolve("media").toString());
        for (int i = 0; i < extra.length; i += 2) {
            properties.put(extra[i], extra[i + 1]);
        }
        return new ComponentSpec("pico", "firmware", properties, List.of());
    }

    @Test
    void theImageIsCopiedToTheVolumeFoundByItsInfoFileAndTheVolumeGoingAwayCompletesTheFlash() throws Exception {
        final RecordingContext context = new RecordingContext("pico", tmp.resolve("state"));
        final String sha = context.addArtifact(IMAGE);
        final ComponentSpec spec = spec(sha);
        provider.validate(spec);

        final String message;
        try (Uf2Volume volume = Uf2Volume.mount(tmp.resolve("media/RPI-RP2"), "RPI-RP2", IMAGE.length, true)) {
            message = provider.apply(spec, context);
            assertThat(volume.taken()).isEqualTo(IMAGE);
        }

        assertThat(message).contains("flashed image " + sha.substring(0, 12)).contains("Board-ID RPI-RP2");
        final JsonNode device = context.outputs().get("devices").get(0);
        assertThat(device.get("sha256").asText()).isEqualTo(sha);
        assertThat(device.get("verified").asBoolean())
                .as("a UF2 bootloader cannot be read back")
                .isFalse();
        assertThat(device.get("chipId").asText()).isEqualTo("0xE48BFF56");
        assertThat(context.events())
                .anyMatch(
                        e -> e.type().equals("firmware.progress") && e.message().contains("write 100%"));
        assertThat(provider.observe(spec, context).synced()).isTrue();
    }

    @Test
    void aSecondApplyOfTheSameImageCopiesNothing() throws Exception {
        final RecordingContext context = new RecordingContext("pico", tmp.resolve("state"));
        final String sha = context.addArtifact(IMAGE);
        try (Uf2Volume volume = Uf2Volume.mount(tmp.resolve("media/RPI-RP2"), "RPI-RP2", IMAGE.length, true)) {
            provider.apply(spec(sha), context);
        }
        try (Uf2Volume again = Uf2Volume.mount(tmp.resolve("media/RPI-RP2"), "RPI-RP2", IMAGE.length, false)) {
            assertThat(provider.apply(spec(sha), context)).contains("already flashed");
            assertThat(again.taken()).isNull();
            try (var files = Files.list(again.path())) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("INFO_UF2.TXT");
            }
        }
    }

    @Test
    void aFileOfAnotherFamilyThanTheBoardTakesIsRefusedBeforeAnythingIsCopied() throws Exception {
        final RecordingContext context = new RecordingContext("pico", tmp.resolve("state"));
        final String sha = context.addArtifact(Uf2Volume.file(Uf2Volume.SAMD21, 0x2000, 4, 2));
        try (Uf2Volume volume = Uf2Volume.mount(tmp.resolve("media/RPI-RP2"), "RPI-RP2", 2048, true)) {
            assertThatThrownBy(() -> provider.apply(spec(sha), context))
                    .isInstanceOf(ComponentException.class)
                    .hasMessageContaining("chip id mismatch")
                    .hasMessageContaining("takes UF2 family 0xE48BFF56, but the file's blocks are 0x68ED2B88");
            try (var files = Files.list(volume.path())) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("INFO_UF2.TXT");
            }
        }
        assertThat(provider.observe(spec(sha), context).synced()).isFalse();
    }

    @Test
    void anExpectedFamilyOtherThanTheFilesIsRefused() throws Exception {
        final RecordingContext context = new RecordingContext("pico", tmp.resolve("state"));
        final String sha = context.addArtifact(IMAGE);
        try (Uf2Volume volume = Uf2Volume.mount(tmp.resolve("media/VOL"), "SOME-BOARD", IMAGE.length, true)) {
            assertThatThrownBy(() -> provider.apply(spec(sha, "chipId", "0x68ed2b88"), context))
                    .hasMessageContaining(
                            "expected UF2 family 0x68ED2B88 (chipId), but the file's blocks are" + " 0xE48BFF56");
            assertThat(volume.taken()).isNull();
        }
    }

    @Test
    void aVolumeThatDoesNotGoAwayFailsTheFlashAfterTheRebootTimeout() throws Exception {
        final RecordingContext context = new RecordingContext("pico", tmp.resolve("state"));
        final String sha = context.addArtifact(IMAGE);
        final ObjectNode properties = spec(sha).properties().put("rebootTimeoutMs", 300);
        final ComponentSpec stubborn = new ComponentSpec("pico", "firmware", properties, List.of());
        try (Uf2Volume volume = Uf2Volume.mount(tmp.resolve("media/RPI-RP2"), "RPI-RP2", IMAGE.length, false)) {
            assertThatThrownBy(() -> provider.apply(stubborn, context))
                    .hasMessageContaining("timeout: the UF2 volume " + volume.path() + " was still there 300 ms");
        }
        assertThat(provider.observe(stubborn, context).synced()).isFalse();
        assertThat(context.outputs().get("devices")).isEmpty();
    }

    @Test
    void withoutAVolumeTheFailureSaysWhereItLookedAndWhatToDo() {
        final RecordingContext context = new RecordingContext("pico", tmp.resolve("state"));
        final String sha = context.addArtifact(IMAGE);
        assertThatThrownBy(() -> provider.apply(spec(sha), context))
                .hasMessageContaining("no UF2 bootloader volume (a directory with INFO_UF2.TXT) is mounted below "
                        + tmp.resolve("media"))
                .hasMessageContaining("put the board into its UF2 bootloader");
    }

    @Test
    void aSelectedDeviceWithoutABlockNodeIsRefusedRatherThanFlashingAnotherBoardsVolume() throws Exception {
        final RecordingContext context = new RecordingContext("pico", tmp.resolve("state"));
        final String sha = context.addArtifact(IMAGE);
        context.devices(List.of(new Device(
                "usb:2e8a:0003:E660",
                "mcu",
                "usb",
                "RP2 Boot",
                JsonNodeFactory.instance.objectNode().put("vid", "2e8a").put("pid", "0003"))));
        final ObjectNode properties = spec(sha).properties();
        properties.putObject("select").put("vid", "2e8a").put("pid", "0003");
        try (Uf2Volume other = Uf2Volume.mount(tmp.resolve("media/RPI-RP2"), "RPI-RP2", IMAGE.length, true)) {
            assertThatThrownBy(
                            () -> provider.apply(new ComponentSpec("pico", "firmware", properties, List.of()), context))
                    .hasMessageContaining("device usb:2e8a:0003:E660 has no block device (devnodes)");
            assertThat(other.taken()).isNull();
        }
    }

    @Test
    void aUsbAppCheckWaitsForTheApplicationsDeviceInTheInventory() throws Exception {
        final RecordingContext context = new RecordingContext("pico", tmp.resolve("state"));
        final String sha = context.addArtifact(IMAGE);
        final ObjectNode properties = spec(sha).properties();
        properties
                .putObject("appCheck")
                .put("timeoutMs", 5_000)
                .putObject("usb")
                .put("vid", "2E8A")
                .put("pid", "000a");
        final ComponentSpec spec = new ComponentSpec("pico", "firmware", properties, List.of());
        provider.validate(spec);
        try (Uf2Volume volume = Uf2Volume.mount(tmp.resolve("media/RPI-RP2"), "RPI-RP2", IMAGE.length, true)) {
            final Thread enumerates = new Thread(() -> {
                while (Files.exists(volume.path())) {
                    Thread.onSpinWait();
                }
                context.devices(List.of(new Device(
                        "usb:2e8a:000a:E660",
                        "usb-device",
                        "usb",
                        "Pico app",
                        JsonNodeFactory.instance.objectNode().put("vid", "2e8a").put("pid", "000a"))));
            });
            enumerates.start();
            assertThat(provider.apply(spec, context)).contains("flashed image");
            enumerates.join(5_000);
        }
    }

    @Test
    void aUsbAppCheckThatSeesNoDeviceFailsNamingTheIds() throws Exception {
        final RecordingContext context = new RecordingContext("pico", tmp.resolve("state"));
        final String sha = context.addArtifact(IMAGE);
        final ObjectNode properties = spec(sha).properties();
        properties
                .putObject("appCheck")
                .put("timeoutMs", 300)
                .putObject("usb")
                .put("vid", "2e8a")
                .put("pid", "000a");
        try (Uf2Volume volume = Uf2Volume.mount(tmp.resolve("media/RPI-RP2"), "RPI-RP2", IMAGE.length, true)) {
            assertThatThrownBy(
                            () -> provider.apply(new ComponentSpec("pico", "firmware", properties, List.of()), context))
                    .hasMessageContaining("the application did not start: no USB device 2e8a:000a appeared in this"
                            + " node's inventory within 300 ms");
        }
        assertThat(context.outputs().get("devices")).isEmpty();
    }
}
