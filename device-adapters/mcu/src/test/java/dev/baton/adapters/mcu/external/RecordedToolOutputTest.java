package dev.baton.adapters.mcu.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.mcu.FlashException;
import dev.baton.adapters.mcu.FlashPhase;
import dev.baton.adapters.mcu.FlashProgress;
import dev.baton.adapters.mcu.FlashReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each tool's recorded output (src/test/resources/external; each file says where it comes from) replayed by a
 * script in the tool's place, so that the whole wrapper runs: process, output reader, progress parser, failure
 * classification.
 */
class RecordedToolOutputTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<String, String> SETTINGS = Map.of(
            "openocd", "{\"interface\": \"cmsis-dap\", \"target\": \"stm32f1x\", \"address\": \"0x08000000\"}",
            "dfu-util", "{\"alt\": 0, \"address\": \"0x08000000\"}",
            "avrdude", "{\"programmer\": \"arduino\", \"part\": \"m328p\", \"port\": \"/dev/ttyUSB0\"}",
            "esptool", "{\"chip\": \"esp32\", \"port\": \"/dev/ttyUSB0\", \"address\": \"0x10000\"}",
            "pyocd", "{\"target\": \"stm32f103rc\", \"address\": \"0x08000000\"}");

    @TempDir
    Path tmp;

    private ExternalFlasher replaying(final Recording recording) throws IOException {
        final ObjectNode settings = (ObjectNode) JSON.readTree(SETTINGS.get(recording.tool()));
        settings.put("executable", recording.replayScript(tmp).toString());
        return ExternalFlashers.create(recording.tool(), settings, Set.of());
    }

    private Path image(final int size) throws IOException {
        final Path image = tmp.resolve("fw.bin");
        Files.write(image, new byte[size]);
        return image;
    }

    @ParameterizedTest(name = "{0}/{1} → {2}")
    @CsvSource({
        "openocd, cmsis-dap-no-probe, NO_DEVICE, no debug probe found",
        "openocd, stlink-no-probe, NO_DEVICE, no debug probe found",
        "openocd, jlink-no-probe, NO_DEVICE, no debug probe found",
        "openocd, target-not-answering, NO_DEVICE, target chip does not answer",
        "openocd, usb-access-denied, PERMISSION_DENIED, permission denied",
        "openocd, verify-failed, VERIFY_FAILED, differs from the image",
        "openocd, missing-target-script, FAILED, no such configuration script",
        "dfu-util, no-device, NO_DEVICE, no DFU device found",
        "dfu-util, usb-access-denied, PERMISSION_DENIED, permission denied",
        "dfu-util, several-devices, FAILED, several DFU devices",
        "avrdude, no-port, NO_DEVICE, the port does not exist",
        "avrdude, not-responding, NO_DEVICE, no programmer or bootloader answered",
        "avrdude, permission-denied, PERMISSION_DENIED, permission denied",
        "avrdude, verify-failed, VERIFY_FAILED, differs from the image",
        "avrdude, wrong-part, WRONG_CHIP, not the configured part",
        "esptool, no-port-v4, NO_DEVICE, the serial port does not exist",
        "esptool, no-bootloader-v4, NO_DEVICE, no ESP bootloader answered",
        "esptool, permission-denied-v5, PERMISSION_DENIED, permission denied",
        "esptool, wrong-chip-v4, WRONG_CHIP, not the configured one",
        "esptool, verify-failed-v4, VERIFY_FAILED, differs from the image",
        "pyocd, legacy-no-probe, NO_DEVICE, no debug probe found",
        "pyocd, no-probe-modern, NO_DEVICE, no debug probe found",
        "pyocd, usb-access-denied, PERMISSION_DENIED, permission denied",
    })
    void aRecordedFailureIsMappedToItsReasonWithTheLastLinesOfOutput(
            final String tool, final String name, final ExternalToolFailure.Reason reason, final String summary)
            throws IOException {
        final Recording recording = Recording.load(tool, name);

        final FlashException thrown =
                catchThrowableOfType(() -> replaying(recording).flash(image(1024), p -> {}), FlashException.class);

        final ExternalToolFailure failure = ExternalToolFailure.of(thrown).orElseThrow();
        assertThat(failure.reason()).isEqualTo(reason);
        assertThat(thrown.reason()).isEqualTo(reason.flashReason());
        assertThat(failure.toolId()).isEqualTo(tool);
        assertThat(failure.exitCode()).hasValue(recording.exitCode());
        assertThat(thrown.getMessage())
                .startsWith(tool + " failed")
                .contains(summary)
                .contains("Last output:");
        final List<String> lines =
                recording.output().lines().filter(l -> !l.isBlank()).toList();
        assertThat(failure.lastLines()).isNotEmpty().hasSizeLessThanOrEqualTo(20);
        assertThat(failure.lastLines())
                .last()
                .isEqualTo(lines.get(lines.size() - 1).stripTrailing());
    }

    @Test
    void openocdReportsWriteThenVerifyAndTheVerifiedFlag() throws IOException {
        final List<FlashProgress> progress = new ArrayList<>();

        final FlashReport report =
                replaying(Recording.load("openocd", "success-cmsis-dap")).flash(image(16384), progress::add);

        assertThat(progress)
                .extracting(FlashProgress::phase, FlashProgress::done)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(FlashPhase.WRITE, 0L),
                        org.assertj.core.groups.Tuple.tuple(FlashPhase.WRITE, 16384L),
                        org.assertj.core.groups.Tuple.tuple(FlashPhase.VERIFY, 0L),
                        org.assertj.core.groups.Tuple.tuple(FlashPhase.VERIFY, 16384L));
        assertThat(report.verified()).isTrue();
        assertThat(report.bytesWritten()).isEqualTo(16384);
        assertThat(report.chip().flasher()).isEqualTo("openocd");
        assertThat(report.chip().bootloaderVersion()).isEqualTo("openocd 0.12.0");
        assertThat(report.chip().chipName()).isEqualTo("stm32f1x");
        assertThat(report.chip().flash().start()).isEqualTo(0x08000000L);
    }

    @Test
    void dfuUtilReportsEraseAndDownloadPercentagesRedrawnWithCarriageReturns() throws IOException {
        final List<FlashProgress> progress = new ArrayList<>();

        final FlashReport report =
                replaying(Recording.load("dfu-util", "success-dfuse")).flash(image(16384), progress::add);

        assertThat(progress)
                .filteredOn(p -> p.phase() == FlashPhase.ERASE)
                .extracting(p -> (int) p.percent())
                .containsExactly(0, 25, 50, 75, 100);
        assertThat(progress)
                .filteredOn(p -> p.phase() == FlashPhase.WRITE)
                .extracting(p -> (int) p.percent())
                .containsExactly(0, 25, 50, 75, 100);
        assertThat(progress.get(progress.size() - 1).done()).isEqualTo(16384);
        assertThat(report.bytesWritten()).isEqualTo(16384);
        assertThat(report.verified()).as("dfu-util does not read back").isFalse();
        assertThat(report.chip().bootloaderVersion()).isEqualTo("dfu-util 0.11");
    }

    @Test
    void avrdudeReportsTheWriteAndReadBackBarsAndTheSignatureFromARealRun() throws IOException {
        final List<FlashProgress> progress = new ArrayList<>();

        final FlashReport report =
                replaying(Recording.load("avrdude", "success-optiboot-sim")).flash(image(3000), progress::add);

        assertThat(progress).extracting(FlashProgress::phase).containsSubsequence(FlashPhase.WRITE, FlashPhase.VERIFY);
        assertThat(progress)
                .filteredOn(p -> p.phase() == FlashPhase.WRITE)
                .last()
                .extracting(FlashProgress::done)
                .isEqualTo(3000L);
        assertThat(progress)
                .filteredOn(p -> p.phase() == FlashPhase.VERIFY)
                .last()
                .extracting(FlashProgress::done)
                .isEqualTo(3000L);
        assertThat(report.verified()).isTrue();
        assertThat(report.bytesWritten()).isEqualTo(3000);
        assertThat(report.chip().chipId()).isEqualTo(0x1E950FL);
        assertThat(report.chip().chipIdHex()).isEqualTo("0x1E950F");
        assertThat(report.chip().chipName()).isEqualTo("m328p");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"success-v4, esptool.py 4.7.0, ESP32-D0WD-V3", "success-v5, esptool 5.1.0, ESP32-S3 (QFN56)"})
    void esptoolReportsWritingPercentagesOfBothGenerationsAndTheHashCheck(
            final String name, final String version, final String chip) throws IOException {
        final List<FlashProgress> progress = new ArrayList<>();

        final FlashReport report = replaying(Recording.load("esptool", name)).flash(image(1024), progress::add);

        assertThat(progress).allMatch(p -> p.phase() == FlashPhase.WRITE);
        assertThat(progress)
                .extracting(FlashProgress::done)
                .isSorted()
                .contains(512L)
                .endsWith(1024L);
        assertThat(report.verified()).isTrue();
        assertThat(report.bytesWritten()).isEqualTo(1024);
        assertThat(report.chip().bootloaderVersion()).isEqualTo(version);
        assertThat(report.chip().chipName()).isEqualTo(chip);
        assertThat(report.chip().flash().start()).isEqualTo(0x10000L);
    }

    @Test
    void pyocdReportsItsPipeProgressBarAndTheBytesProgrammed() throws IOException {
        final List<FlashProgress> progress = new ArrayList<>();

        final FlashReport report =
                replaying(Recording.load("pyocd", "success-pipe")).flash(image(16384), progress::add);

        assertThat(progress).extracting(FlashProgress::done).endsWith(16384L);
        assertThat(report.bytesWritten()).isEqualTo(16384);
        assertThat(report.verified()).isFalse();
        assertThat(report.chip().chipName()).isEqualTo("stm32f103rc");
    }
}
