package dev.baton.mcu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.baton.adapters.mcu.FlashException;
import dev.baton.adapters.mcu.FlashPhase;
import dev.baton.adapters.mcu.FlashProgress;
import dev.baton.adapters.mcu.FlashReport;
import dev.baton.adapters.mcu.external.AvrdudeSettings;
import dev.baton.adapters.mcu.external.ExternalFlasher;
import dev.baton.adapters.mcu.external.ExternalFlashers;
import dev.baton.adapters.mcu.external.ExternalToolFailure;
import dev.baton.sim.mcu.AvrChipProfile;
import dev.baton.sim.mcu.OptibootSimConfig;
import dev.baton.sim.mcu.OptibootSimulator;
import dev.baton.sim.mcu.PtyPair;
import dev.baton.sim.mcu.SimFault;
import dev.baton.sim.mcu.WireTiming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The avrdude wrapper driving the real avrdude (Debian package) against the optiboot simulator on a socat pty pair:
 * a complete flash with live progress and a read-back of the simulated chip, and a weak flash cell that avrdude's
 * verification catches and the wrapper reports as VERIFY_FAILED.
 */
class ExternalAvrdudeFlashTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void toolsInstalled() {
        for (final String tool : List.of("avrdude", "socat")) {
            final boolean installed = Files.isExecutable(Path.of("/usr/bin", tool));
            if (System.getenv("CI") == null) {
                Assumptions.assumeTrue(installed, tool + " is not installed (apt-get install " + tool + ")");
            }
            assertThat(installed).as(tool + " (apt-get install " + tool + ")").isTrue();
        }
    }

    private static ExternalFlasher avrdude(final PtyPair pair) {
        return ExternalFlashers.create(
                new AvrdudeSettings(
                        "arduino",
                        "m328p",
                        Optional.of(pair.clientEnd().toString()),
                        OptionalLong.of(115200),
                        true,
                        Optional.empty(),
                        Duration.ofSeconds(120)),
                List.of(Path.of("/usr/bin")));
    }

    private Path randomImage(final int size, final long seed) throws Exception {
        final byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        final Path image = tmp.resolve("app.bin");
        Files.write(image, bytes);
        return image;
    }

    @Test
    void avrdudeThroughTheWrapperWritesVerifiesAndReportsProgressAndTheChipReadsBackTheImage() throws Exception {
        final Path image = randomImage(12_000, 41);
        final List<FlashProgress> progress = new ArrayList<>();
        // a 115200-baud wire makes the write take about a second, so avrdude draws its bar over many reads
        try (PtyPair pair = PtyPair.open(tmp, "avr");
                OptibootSimulator sim = new OptibootSimulator(OptibootSimConfig.builder(AvrChipProfile.ATMEGA328P)
                        .wire(new WireTiming(115_200, 10, Duration.ZERO))
                        .build())) {
            sim.attach(pair);

            final FlashReport report = avrdude(pair).flash(image, progress::add);

            assertThat(sim.flash().read(0, 12_000)).isEqualTo(Files.readAllBytes(image));
            assertThat(sim.bootSectionIntact()).isTrue();
            assertThat(sim.failure()).isEmpty();
            assertThat(report.verified()).isTrue();
            assertThat(report.bytesWritten()).isEqualTo(12_000);
            assertThat(report.chip().chipId()).isEqualTo(AvrChipProfile.ATMEGA328P.signature());
            assertThat(report.chip().flasher()).isEqualTo("avrdude");
        }
        final List<Long> written = progress.stream()
                .filter(p -> p.phase() == FlashPhase.WRITE)
                .map(FlashProgress::done)
                .toList();
        assertThat(written).isSorted().endsWith(12_000L);
        assertThat(written)
                .as("progress while avrdude draws its bar, not only at the end")
                .anyMatch(done -> done > 0 && done < 12_000);
        assertThat(progress)
                .filteredOn(p -> p.phase() == FlashPhase.VERIFY)
                .last()
                .extracting(FlashProgress::done)
                .isEqualTo(12_000L);
    }

    @Test
    void aFlashCellThatDoesNotTakeItsValueIsReportedAsVerifyFailed() throws Exception {
        final Path image = randomImage(4096, 42);
        final byte[] bytes = Files.readAllBytes(image);
        bytes[0x200] = (byte) 0xA5;
        Files.write(image, bytes);
        try (PtyPair pair = PtyPair.open(tmp, "avr");
                OptibootSimulator sim = new OptibootSimulator(OptibootSimConfig.builder(AvrChipProfile.ATMEGA328P)
                        .fault(new SimFault.WeakCell(0x200, 0x05)) // 0xA5 is stored as 0xA0
                        .build())) {
            sim.attach(pair);

            final FlashException thrown =
                    catchThrowableOfType(() -> avrdude(pair).flash(image, p -> {}), FlashException.class);

            assertThat(thrown).isNotNull();
            assertThat(thrown.reason()).isEqualTo(FlashException.Reason.VERIFY_FAILED);
            final ExternalToolFailure failure = ExternalToolFailure.of(thrown).orElseThrow();
            assertThat(failure.reason()).isEqualTo(ExternalToolFailure.Reason.VERIFY_FAILED);
            assertThat(failure.exitCode()).hasValue(1);
            assertThat(thrown.getMessage()).contains("the flash read back differs from the image");
        }
    }
}
