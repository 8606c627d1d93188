package dev.baton.sim.mcu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optiboot simulator is only worth testing flashers against if the reference client accepts it: avrdude's
 * {@code arduino} programmer writes, verifies and reads images through it over a real pty pair.
 */
class AvrdudeValidationTest {

    @TempDir
    Path tmp;

    @Test
    void avrdudeWritesAndVerifiesAnIntelHexImageAndTheBootSectionSurvives() throws Exception {
        final ExternalTool avrdude = ExternalTool.require("avrdude");
        ExternalTool.requireSocat();
        final byte[] image = TestImages.random(10_000, 21);
        final Path hex = tmp.resolve("image.hex");
        Files.write(hex, IntelHexText.of(0, image));
        try (PtyPair pair = PtyPair.open(tmp, "avr");
                OptibootSimulator sim = new OptibootSimulator(
                        OptibootSimConfig.builder(AvrChipProfile.ATMEGA328P).build())) {
            sim.attach(pair);

            final ExternalTool.Run run = avrdude.run(
                    tmp,
                    Duration.ofSeconds(60),
                    "-c",
                    "arduino",
                    "-p",
                    "m328p",
                    "-P",
                    pair.clientEnd().toString(),
                    "-b",
                    "115200",
                    "-U",
                    "flash:w:" + hex + ":i");

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).contains("10000 bytes of flash verified");
            assertThat(sim.flash().read(0, image.length)).isEqualTo(image);
            assertThat(sim.flash().read(10_000, 240))
                    .as("rest of the last page")
                    .containsOnly(0xFF);
            assertThat(sim.bootSectionIntact()).isTrue();
            assertThat(sim.applicationRunning())
                    .as("LEAVE_PROGMODE starts the application")
                    .isTrue();
            assertThat(sim.failure()).isEmpty();
        }
    }

    @Test
    void avrdudeReadsBackWhatTheSimulatorHolds() throws Exception {
        final ExternalTool avrdude = ExternalTool.require("avrdude");
        ExternalTool.requireSocat();
        final byte[] content = TestImages.random(4096, 22);
        try (PtyPair pair = PtyPair.open(tmp, "avr");
                OptibootSimulator sim = new OptibootSimulator(
                        OptibootSimConfig.builder(AvrChipProfile.ATMEGA328P).build())) {
            sim.flash().load(0, content);
            sim.attach(pair);
            final Path out = tmp.resolve("read.bin");

            final ExternalTool.Run run = avrdude.run(
                    tmp,
                    Duration.ofSeconds(60),
                    "-c",
                    "arduino",
                    "-p",
                    "m328p",
                    "-P",
                    pair.clientEnd().toString(),
                    "-b",
                    "115200",
                    "-U",
                    "flash:r:" + out + ":r");

            assertThat(run.exitCode()).as(run.output()).isZero();
            final byte[] read = Files.readAllBytes(out);
            // avrdude trims trailing 0xFF; the boot section is not 0xFF, so the whole flash comes back
            assertThat(read).hasSize(32 * 1024);
            assertThat(java.util.Arrays.copyOf(read, content.length)).isEqualTo(content);
            assertThat(sim.flash().totalErases()).isZero();
        }
    }
}
