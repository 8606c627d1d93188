package dev.baton.sim.mcu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The STM32 simulator is only worth testing flashers against if the reference client accepts it: stm32flash 0.7
 * writes and verifies images through it, over a real pty pair.
 */
class Stm32flashValidationTest {

    private static final long FLASH = 0x0800_0000L;

    @TempDir
    Path tmp;

    private void writeAndVerify(final Stm32SimConfig config, final byte[] image, final int pageSize) throws Exception {
        final ExternalTool stm32flash = ExternalTool.require("stm32flash");
        ExternalTool.requireSocat();
        final Path file = tmp.resolve("image.bin");
        Files.write(file, image);
        try (PtyPair pair = PtyPair.open(tmp, "stm32");
                Stm32BootloaderSimulator sim = new Stm32BootloaderSimulator(config)) {
            sim.flash().load(FLASH + 0x1F000, TestImages.random(1024, 99)); // a page the image does not cover
            sim.attach(pair);

            final ExternalTool.Run run = stm32flash.run(
                    tmp,
                    Duration.ofSeconds(60),
                    "-m",
                    "8n1",
                    "-b",
                    "115200",
                    "-w",
                    file.toString(),
                    "-v",
                    pair.clientEnd().toString());

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).contains("Wrote and verified").contains("(100.00%) Done");
            assertThat(sim.flash().read(FLASH, image.length)).isEqualTo(image);
            assertThat(sim.flash().read(FLASH + 0x1F000, 1024)).isEqualTo(TestImages.random(1024, 99));
            final int pagesCovered = (image.length + pageSize - 1) / pageSize;
            for (int page = 0; page < sim.flash().pageCount(); page++) {
                assertThat(sim.flash().eraseCount(page))
                        .as("erases of page " + page)
                        .isEqualTo(sim.flash().pageStart(page) < FLASH + (long) pagesCovered * pageSize ? 1 : 0);
            }
            assertThat(sim.optionByteChanges()).isZero();
            assertThat(sim.failure()).isEmpty();
        }
    }

    @Test
    void stm32flashWritesAndVerifiesThroughAnF103WithTheOneByteEraseCommand() throws Exception {
        writeAndVerify(
                Stm32SimConfig.builder(Stm32ChipProfile.F103_MEDIUM_DENSITY).build(),
                TestImages.random(20_000, 1),
                1024);
    }

    @Test
    void stm32flashWritesAndVerifiesThroughAnF407WithExtendedEraseOfSectors() throws Exception {
        writeAndVerify(Stm32SimConfig.builder(Stm32ChipProfile.F407).build(), TestImages.random(40_000, 2), 16384);
    }

    @Test
    void stm32flashKeepsItsTimeoutsOnAWireThrottledTo115200BaudWithEraseAndProgramTimes() throws Exception {
        writeAndVerify(
                Stm32SimConfig.builder(Stm32ChipProfile.F103_MEDIUM_DENSITY)
                        .wire(WireTiming.of8e1(115_200).withTurnaround(Duration.ofMillis(1)))
                        .pageEraseTime(Duration.ofMillis(20))
                        .blockProgramTime(Duration.ofMillis(7))
                        .build(),
                TestImages.random(4096, 3),
                1024);
    }

    @Test
    void stm32flashReadsBackWhatTheSimulatorHolds() throws Exception {
        final ExternalTool stm32flash = ExternalTool.require("stm32flash");
        ExternalTool.requireSocat();
        final byte[] content = TestImages.random(3000, 4);
        try (PtyPair pair = PtyPair.open(tmp, "stm32");
                Stm32BootloaderSimulator sim =
                        new Stm32BootloaderSimulator(Stm32SimConfig.builder(Stm32ChipProfile.F103_MEDIUM_DENSITY)
                                .build())) {
            sim.flash().load(FLASH, content);
            sim.attach(pair);
            final Path out = tmp.resolve("read.bin");

            final ExternalTool.Run run = stm32flash.run(
                    tmp,
                    Duration.ofSeconds(60),
                    "-m",
                    "8n1",
                    "-b",
                    "115200",
                    "-S",
                    "0x08000000:3000",
                    "-r",
                    out.toString(),
                    pair.clientEnd().toString());

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(Files.readAllBytes(out)).isEqualTo(content);
            assertThat(sim.flash().totalErases()).isZero();
            assertThat(Arrays.equals(sim.flash().read(FLASH, 3000), content)).isTrue();
        }
    }

    /** stm32flash -C: by Read Memory and its own CRC without 0xA1, by the bootloader's Get Checksum with it. */
    private String crcAsStm32flashPrintsIt(final boolean checksumCommand, final byte[] content) throws Exception {
        final ExternalTool stm32flash = ExternalTool.require("stm32flash");
        ExternalTool.requireSocat();
        try (PtyPair pair = PtyPair.open(tmp, "crc" + checksumCommand);
                Stm32BootloaderSimulator sim =
                        new Stm32BootloaderSimulator(Stm32SimConfig.builder(Stm32ChipProfile.F103_MEDIUM_DENSITY)
                                .checksumCommand(checksumCommand)
                                .build())) {
            sim.flash().load(FLASH, content);
            sim.attach(pair);

            final ExternalTool.Run run = stm32flash.run(
                    tmp,
                    Duration.ofSeconds(60),
                    "-m",
                    "8n1",
                    "-b",
                    "115200",
                    "-S",
                    "0x08000000:" + content.length,
                    "-C",
                    pair.clientEnd().toString());

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(sim.commandCount(Stm32BootloaderSimulator.GET_CHECKSUM)).isEqualTo(checksumCommand ? 1 : 0);
            final java.util.regex.Matcher crc = java.util.regex.Pattern.compile(
                            "CRC\\(0x08000000-0x[0-9a-f]+\\) = (0x[0-9a-f]{8})")
                    .matcher(run.output());
            assertThat(crc.find()).as(run.output()).isTrue();
            return crc.group(1);
        }
    }

    @Test
    void theSimulatorsGetChecksumAgreesWithTheCrcStm32flashComputesFromReadMemory() throws Exception {
        final byte[] content = TestImages.random(4096, 5);

        final String computedByStm32flash = crcAsStm32flashPrintsIt(false, content);
        final String computedBySimulator = crcAsStm32flashPrintsIt(true, content);

        assertThat(computedBySimulator).isEqualTo(computedByStm32flash);
        assertThat(computedBySimulator).isEqualTo(String.format("0x%08x", Stm32BootloaderSimulator.stm32Crc(content)));
    }
}
