package dev.baton.adapters.mcu.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.mcu.FlashException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real tools, installed from Debian by .ci/run, on a host without any probe or board: each fails, and the
 * wrapper must say why with the right reason. A developer machine without a tool skips its test; CI must not.
 */
class RealToolFailureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static void requireInstalled(final String tool, final String executable, final String debianPackage) {
        final boolean installed = Files.isExecutable(Path.of("/usr/bin", executable));
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(installed, tool + " is not installed (apt-get install " + debianPackage + ")");
        }
        assertThat(installed)
                .as(executable + " (apt-get install " + debianPackage + ")")
                .isTrue();
    }

    private ExternalToolFailure flashFails(final String tool, final String settings) throws IOException {
        final Path image = tmp.resolve("fw.bin");
        Files.write(image, new byte[1024]);
        final ExternalFlasher flasher = ExternalFlashers.create(
                ExternalFlashers.settings(tool, (ObjectNode) JSON.readTree(settings), Set.of()),
                List.of(Path.of("/usr/bin")));
        final FlashException thrown = catchThrowableOfType(() -> flasher.flash(image, p -> {}), FlashException.class);
        assertThat(thrown).as(tool + " must fail without hardware").isNotNull();
        return ExternalToolFailure.of(thrown).orElseThrow();
    }

    @Test
    void openocdWithACmsisDapInterfaceAndNoProbeReportsNoDevice() throws IOException {
        requireInstalled("openocd", "openocd", "openocd");

        final ExternalToolFailure failure = flashFails(
                "openocd", "{\"interface\": \"cmsis-dap\", \"target\": \"stm32f1x\", \"address\": \"0x08000000\"}");

        assertThat(failure.reason()).isEqualTo(ExternalToolFailure.Reason.NO_DEVICE);
        assertThat(failure.getMessage()).contains("no debug probe found").contains("CMSIS-DAP");
        assertThat(failure.exitCode()).hasValue(1);
    }

    @Test
    void openocdWithATargetScriptThatDoesNotExistSaysSo() throws IOException {
        requireInstalled("openocd", "openocd", "openocd");

        final ExternalToolFailure failure =
                flashFails("openocd", "{\"interface\": \"cmsis-dap\", \"target\": \"stm32zz\"}");

        assertThat(failure.reason()).isEqualTo(ExternalToolFailure.Reason.FAILED);
        assertThat(failure.getMessage())
                .contains("no such configuration script")
                .contains("target/stm32zz.cfg");
    }

    @Test
    void dfuUtilWithNoDfuDeviceReportsNoDevice() throws IOException {
        requireInstalled("dfu-util", "dfu-util", "dfu-util");

        final ExternalToolFailure failure = flashFails("dfu-util", "{\"alt\": 0, \"address\": \"0x08000000\"}");

        assertThat(failure.reason()).isEqualTo(ExternalToolFailure.Reason.NO_DEVICE);
        assertThat(failure.getMessage()).contains("No DFU capable USB device available");
        assertThat(failure.exitCode()).hasValue(74);
    }

    @Test
    void avrdudeOnAPortThatDoesNotExistReportsNoDevice() throws IOException {
        requireInstalled("avrdude", "avrdude", "avrdude");

        final ExternalToolFailure failure =
                flashFails("avrdude", "{\"programmer\": \"arduino\", \"part\": \"m328p\", \"port\": \"/nonexistent\"}");

        assertThat(failure.reason()).isEqualTo(ExternalToolFailure.Reason.NO_DEVICE);
        assertThat(failure.toFlashException().reason()).isEqualTo(FlashException.Reason.NO_DEVICE);
        assertThat(failure.getMessage()).contains("the port does not exist").contains("/nonexistent");
    }

    @Test
    void pyocdFlashtoolFromDebianWithNoProbeReportsNoDevice() throws IOException {
        requireInstalled("pyocd", "pyocd-flashtool", "python3-pyocd");

        final ExternalToolFailure failure = flashFails("pyocd", "{\"target\": \"stm32f103rc\"}");

        assertThat(failure.reason()).isEqualTo(ExternalToolFailure.Reason.NO_DEVICE);
        assertThat(failure.getMessage()).contains("no debug probe found");
    }
}
