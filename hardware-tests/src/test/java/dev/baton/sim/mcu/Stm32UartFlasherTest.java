package dev.baton.sim.mcu;

import static dev.baton.sim.mcu.Stm32BootloaderSimulator.READ_MEMORY;
import static dev.baton.sim.mcu.Stm32BootloaderSimulator.WRITE_MEMORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.adapters.mcu.ChipIdentity;
import dev.baton.adapters.mcu.EraseMode;
import dev.baton.adapters.mcu.FirmwareImage;
import dev.baton.adapters.mcu.FlashException;
import dev.baton.adapters.mcu.FlashOptions;
import dev.baton.adapters.mcu.FlashPhase;
import dev.baton.adapters.mcu.FlashProgress;
import dev.baton.adapters.mcu.FlashProgressListener;
import dev.baton.adapters.mcu.FlashReport;
import dev.baton.adapters.mcu.Flasher;
import dev.baton.adapters.mcu.FlasherFactory;
import dev.baton.adapters.mcu.SerialLink;
import dev.baton.adapters.mcu.SerialLinkConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Baton's {@code stm32-uart} flasher against the AN3155 simulator over a real pty pair. */
class Stm32UartFlasherTest {

    private static final long FLASH = 0x0800_0000L;
    private static final byte[] IMAGE = TestImages.random(20_000, 11);
    private static final byte[] UNTOUCHED = TestImages.random(1024, 12);

    @TempDir
    Path tmp;

    private static Stm32BootloaderSimulator f103(final SimFault... faults) {
        final Stm32SimConfig.Builder config = Stm32SimConfig.builder(Stm32ChipProfile.F103_MEDIUM_DENSITY);
        for (final SimFault fault : faults) {
            config.fault(fault);
        }
        final Stm32BootloaderSimulator sim = new Stm32BootloaderSimulator(config.build());
        sim.flash().load(FLASH + 0x1F000, UNTOUCHED); // page 124, far from the image
        return sim;
    }

    private static Flasher flasher(final SimulatorRig rig) {
        return FlasherFactory.byId("stm32-uart").orElseThrow().create(rig.link());
    }

    private static FlashReport flash(final SimulatorRig rig, final FirmwareImage image, final FlashOptions options) {
        return flasher(rig).flash(image, options, FlashProgressListener.NONE);
    }

    private static FirmwareImage image() {
        return FirmwareImage.ofBinary(IMAGE, FLASH);
    }

    @Test
    void identifyReportsTheProductIdNameVersionAndLayoutWithoutErasingAnything() throws Exception {
        try (Stm32BootloaderSimulator sim = f103();
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            final ChipIdentity chip = flasher(rig).identify();

            assertThat(chip.chipId()).isEqualTo(0x410);
            assertThat(chip.chipIdHex()).isEqualTo("0x410");
            assertThat(chip.chipName()).contains("medium-density");
            assertThat(chip.bootloaderVersion()).isEqualTo("2.2");
            assertThat(chip.flash().pages()).hasSize(128);
            assertThat(sim.flash().totalErases()).isZero();
        }
    }

    @Test
    void flashWritesAndVerifiesTheImageErasingOnlyThePagesItCovers() throws Exception {
        try (Stm32BootloaderSimulator sim = f103();
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            final FlashReport report = flash(
                    rig, image(), FlashOptions.builder().expectedChipId(0x410).build());

            assertThat(sim.flash().read(FLASH, IMAGE.length)).isEqualTo(IMAGE);
            assertThat(sim.flash().read(FLASH + 0x1F000, UNTOUCHED.length)).isEqualTo(UNTOUCHED);
            assertThat(report.pagesErased())
                    .containsExactlyElementsOf(IntStream.range(0, 20).boxed().toList());
            for (int page = 0; page < 128; page++) {
                assertThat(sim.flash().eraseCount(page)).as("page " + page).isEqualTo(page < 20 ? 1 : 0);
            }
            assertThat(report.verified()).isTrue();
            assertThat(report.bytesWritten()).isEqualTo(20_000); // 20,000 is a multiple of 4: no padding
            assertThat(report.rewrittenPages()).isEmpty();
            assertThat(sim.optionByteChanges()).isZero();
            assertThat(sim.goAddress()).isEmpty();
            assertThat(sim.failure()).isEmpty();
        }
    }

    @Test
    void anImageWithGapsIsWrittenBlockByBlockGapsReadErasedAndBlocksOfFfAreOnlyVerified() throws Exception {
        final byte[] ff = new byte[256];
        java.util.Arrays.fill(ff, (byte) 0xFF);
        final FirmwareImage image = FirmwareImage.builder()
                .add(FLASH + 0x10, new byte[] {1, 2, 3, 4, 5})
                .add(FLASH + 0x400, ff) // page 1: all 0xFF, which the erase alone provides
                .add(FLASH + 0x900, new byte[] {6, 7, 8, 9})
                .build();
        try (Stm32BootloaderSimulator sim = f103();
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            sim.flash().load(FLASH + 0x400, UNTOUCHED); // old contents of page 1
            final FlashReport report = flash(rig, image, FlashOptions.defaults());

            assertThat(sim.flash().read(FLASH + 0x10, 8)).containsExactly(1, 2, 3, 4, 5, 0xFF, 0xFF, 0xFF);
            assertThat(sim.flash().read(FLASH + 0x900, 4)).containsExactly(6, 7, 8, 9);
            assertThat(sim.flash().read(FLASH + 0x400, 1024)).containsOnly(0xFF);
            assertThat(report.pagesErased()).containsExactly(0, 1, 2);
            assertThat(report.bytesWritten()).isEqualTo(8 + 4);
            assertThat(sim.commandCount(WRITE_MEMORY)).isEqualTo(2);
            assertThat(sim.commandCount(READ_MEMORY)).isEqualTo(3);
        }
    }

    @Test
    void anF407IsErasedSectorBySectorWithExtendedErase() throws Exception {
        final byte[] image = TestImages.random(40_000, 13);
        try (Stm32BootloaderSimulator sim = new Stm32BootloaderSimulator(
                        Stm32SimConfig.builder(Stm32ChipProfile.F407).build());
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            final FlashReport report = flash(
                    rig,
                    FirmwareImage.ofBinary(image, FLASH),
                    FlashOptions.builder().expectedChipId(0x413).build());

            assertThat(sim.flash().read(FLASH, image.length)).isEqualTo(image);
            assertThat(report.pagesErased()).containsExactly(0, 1, 2);
            assertThat(sim.commandCount(Stm32BootloaderSimulator.EXTENDED_ERASE))
                    .isEqualTo(1);
            assertThat(sim.commandCount(Stm32BootloaderSimulator.ERASE)).isZero();
        }
    }

    @Test
    void aChipWithAnotherIdIsRefusedBeforeAnythingIsErasedOrWritten() throws Exception {
        try (Stm32BootloaderSimulator sim = new Stm32BootloaderSimulator(
                        Stm32SimConfig.builder(Stm32ChipProfile.F407).build());
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            assertThatThrownBy(() -> flash(
                            rig,
                            image(),
                            FlashOptions.builder().expectedChipId(0x410).build()))
                    .isInstanceOfSatisfying(FlashException.class, e -> assertThat(e.reason())
                            .isEqualTo(FlashException.Reason.CHIP_MISMATCH))
                    .hasMessageContaining("0x413")
                    .hasMessageContaining("0x410")
                    .hasMessageContaining("nothing was erased or written");

            assertThat(sim.commandCount(Stm32BootloaderSimulator.EXTENDED_ERASE))
                    .isZero();
            assertThat(sim.commandCount(WRITE_MEMORY)).isZero();
            assertThat(sim.flash().totalErases()).isZero();
            assertThat(sim.flash().programmedBytes()).isZero();
        }
    }

    @Test
    void anImageOutsideFlashIsRefusedBeforeAnythingIsErased() throws Exception {
        try (Stm32BootloaderSimulator sim = f103();
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            assertThatThrownBy(() -> flash(rig, FirmwareImage.ofBinary(IMAGE, 0), FlashOptions.defaults()))
                    .isInstanceOfSatisfying(FlashException.class, e -> assertThat(e.reason())
                            .isEqualTo(FlashException.Reason.IMAGE_OUT_OF_RANGE))
                    .hasMessageContaining("base address 0x08000000");

            assertThat(sim.flash().totalErases()).isZero();
        }
    }

    @Test
    void aRefusedWriteIsRetriedAndTheFlashCompletes() throws Exception {
        try (Stm32BootloaderSimulator sim = f103(new SimFault.Refuse(WRITE_MEMORY, 5, 2));
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            flash(rig, image(), FlashOptions.defaults());

            assertThat(sim.flash().read(FLASH, IMAGE.length)).isEqualTo(IMAGE);
            assertThat(sim.commandCount(WRITE_MEMORY)).isEqualTo(79 + 2); // 20,000 bytes = 79 blocks, 2 refused
        }
    }

    @Test
    void aWriteRefusedMoreOftenThanRetriesAllowFailsNamingTheCommandAndAddress() throws Exception {
        try (Stm32BootloaderSimulator sim = f103(new SimFault.Refuse(WRITE_MEMORY, 10, 100));
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            assertThatThrownBy(() -> flash(
                            rig, image(), FlashOptions.builder().retries(3).build()))
                    .isInstanceOfSatisfying(FlashException.class, e -> {
                        assertThat(e.reason()).isEqualTo(FlashException.Reason.REFUSED);
                        assertThat(e.address()).hasValue(FLASH + 9 * 256);
                    })
                    .hasMessageContaining("Write Memory at 0x08000900 was refused (NACK) 4 time(s)");

            assertThat(sim.commandCount(WRITE_MEMORY)).isEqualTo(9 + 4);
        }
    }

    @Test
    void aBootloaderThatFallsSilentMidFlashIsATimeoutAtTheBlockAndAReflashRecovers() throws Exception {
        try (Stm32BootloaderSimulator sim = f103(new SimFault.Silence(WRITE_MEMORY, 7));
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            assertThatThrownBy(() -> flash(rig, image(), FlashOptions.defaults()))
                    .isInstanceOfSatisfying(FlashException.class, e -> {
                        assertThat(e.reason()).isEqualTo(FlashException.Reason.TIMEOUT);
                        assertThat(e.address()).hasValue(FLASH + 6 * 256);
                    })
                    .hasMessageContaining("Write Memory at 0x08000600");

            final FlashReport report = flash(rig, image(), FlashOptions.defaults());

            assertThat(report.verified()).isTrue();
            assertThat(sim.flash().read(FLASH, IMAGE.length)).isEqualTo(IMAGE);
        }
    }

    @Test
    void unpluggingMidFlashIsReportedAsALostLinkAndReflashingAfterReplugRecovers() throws Exception {
        try (Stm32BootloaderSimulator sim = f103(new SimFault.Unplug(WRITE_MEMORY, 30));
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            assertThatThrownBy(() -> flash(rig, image(), FlashOptions.defaults()))
                    .isInstanceOfSatisfying(FlashException.class, e -> {
                        assertThat(e.reason()).isEqualTo(FlashException.Reason.LINK_LOST);
                        assertThat(e.address()).hasValue(FLASH + 29 * 256);
                    })
                    .hasMessageContaining("Write Memory at 0x08001D00")
                    .hasMessageContaining(rig.pair().clientEnd().toString());
            assertThat(sim.unplugged()).isTrue();
            assertThat(sim.flash().read(FLASH + 29 * 256, 256)).containsOnly(0xFF);

            rig.replug();
            flash(rig, image(), FlashOptions.defaults());

            assertThat(sim.flash().read(FLASH, IMAGE.length)).isEqualTo(IMAGE);
            assertThat(sim.failure()).isEmpty();
        }
    }

    @Test
    void aBitThatFailedToProgramIsCaughtByVerifyAndRepairedByReErasingOnlyItsPage() throws Exception {
        final long weak = FLASH + 0x2345; // page 8
        final int mask = Integer.lowestOneBit(IMAGE[0x2345] & 0xFF);
        assertThat(mask)
                .as("the image byte must have a bit set for a weak cell to clear")
                .isNotZero();
        try (Stm32BootloaderSimulator sim = f103(new SimFault.WeakCell(weak, mask));
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            final FlashReport report = flash(rig, image(), FlashOptions.defaults());

            assertThat(report.rewrittenPages()).containsExactly(8);
            assertThat(sim.flash().eraseCount(8)).isEqualTo(2);
            assertThat(sim.flash().eraseCount(7)).isEqualTo(1);
            assertThat(sim.flash().eraseCount(9)).isEqualTo(1);
            assertThat(sim.flash().read(FLASH, IMAGE.length)).isEqualTo(IMAGE);
        }
    }

    @Test
    void aNoisyReadBackIsRewrittenAndVerifiedAgain() throws Exception {
        // Read Memory #2 reads back the second block (page 0); nothing reads before verification.
        try (Stm32BootloaderSimulator sim = f103(new SimFault.CorruptAnswer(READ_MEMORY, 2));
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            final FlashReport report = flash(rig, image(), FlashOptions.defaults());

            assertThat(report.rewrittenPages()).containsExactly(0);
            assertThat(sim.flash().eraseCount(0)).isEqualTo(2);
            assertThat(sim.flash().read(FLASH, IMAGE.length)).isEqualTo(IMAGE);
        }
    }

    @Test
    void verifyFailsWhenRewritesCannotRepairTheFlash() throws Exception {
        final long weak = FLASH + 0x10;
        final int mask = Integer.lowestOneBit(IMAGE[0x10] & 0xFF);
        try (Stm32BootloaderSimulator sim = f103(new SimFault.WeakCell(weak, mask));
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            assertThatThrownBy(() -> flash(
                            rig,
                            image(),
                            FlashOptions.builder().rewriteRounds(0).build()))
                    .isInstanceOfSatisfying(FlashException.class, e -> {
                        assertThat(e.reason()).isEqualTo(FlashException.Reason.VERIFY_FAILED);
                        assertThat(e.address()).hasValue(FLASH);
                    });
        }
    }

    @Test
    void aReadProtectedChipIsRefusedUntouchedUnlessRemovingTheProtectionIsAllowed() throws Exception {
        final Stm32BootloaderSimulator sim =
                new Stm32BootloaderSimulator(Stm32SimConfig.builder(Stm32ChipProfile.F103_MEDIUM_DENSITY)
                        .readProtected(true)
                        .build());
        sim.flash().load(FLASH + 0x1F000, UNTOUCHED);
        try (sim;
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            assertThatThrownBy(() -> flash(rig, image(), FlashOptions.defaults()))
                    .isInstanceOfSatisfying(FlashException.class, e -> assertThat(e.reason())
                            .isEqualTo(FlashException.Reason.READ_PROTECTED))
                    .hasMessageContaining("removeReadProtection");
            assertThat(sim.optionByteChanges()).isZero();
            assertThat(sim.flash().read(FLASH + 0x1F000, UNTOUCHED.length)).isEqualTo(UNTOUCHED);

            flash(
                    rig,
                    image(),
                    FlashOptions.builder().removeReadProtection(true).build());

            assertThat(sim.readProtected()).isFalse();
            assertThat(sim.optionByteChanges()).isEqualTo(1);
            assertThat(sim.flash().read(FLASH, IMAGE.length)).isEqualTo(IMAGE);
            assertThat(sim.flash().read(FLASH + 0x1F000, UNTOUCHED.length)).containsOnly(0xFF);
        }
    }

    @Test
    void massEraseWhenAskedErasesEveryPageAndGoStartsTheApplication() throws Exception {
        try (Stm32BootloaderSimulator sim = f103();
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            final FlashReport report = flash(
                    rig,
                    image(),
                    FlashOptions.builder()
                            .eraseMode(EraseMode.MASS)
                            .startApplication(true)
                            .build());

            assertThat(report.massErased()).isTrue();
            assertThat(report.pagesErased()).isEmpty();
            assertThat(sim.flash().read(FLASH + 0x1F000, UNTOUCHED.length)).containsOnly(0xFF);
            assertThat(sim.flash().read(FLASH, IMAGE.length)).isEqualTo(IMAGE);
            assertThat(sim.goAddress()).hasValue(FLASH);
        }
    }

    @Test
    void progressCoversEachPhaseUpToItsTotal() throws Exception {
        final List<FlashProgress> seen = new ArrayList<>();
        try (Stm32BootloaderSimulator sim = f103();
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            flasher(rig).flash(image(), FlashOptions.defaults(), seen::add);
        }

        assertThat(seen)
                .extracting(FlashProgress::phase)
                .containsSubsequence(FlashPhase.ERASE, FlashPhase.WRITE, FlashPhase.VERIFY);
        final FlashProgress lastWrite = seen.stream()
                .filter(p -> p.phase() == FlashPhase.WRITE)
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(lastWrite.done()).isEqualTo(20_000);
        assertThat(lastWrite.percent()).isEqualTo(100.0);
        assertThat(lastWrite.rate()).isPositive();
        assertThat(seen.stream().filter(p -> p.phase() == FlashPhase.WRITE).count())
                .isEqualTo(1 + 79);
    }

    @Test
    void aResponseTimeoutShorterThanOneReadSliceStillTakesEveryAnswerAndFlashes() throws Exception {
        // Under 100 ms every wait ends inside jSerialComm's first read slice; answers must still be taken as they come.
        final byte[] image = TestImages.random(8192, 15);
        try (Stm32BootloaderSimulator sim =
                        new Stm32BootloaderSimulator(Stm32SimConfig.builder(Stm32ChipProfile.F103_MEDIUM_DENSITY)
                                .wire(WireTiming.of8e1(115_200))
                                .build());
                PtyPair pair = PtyPair.open(tmp, "short");
                SerialLink link = attach(sim, pair, Duration.ofMillis(40))) {
            final FlashReport report = FlasherFactory.byId("stm32-uart")
                    .orElseThrow()
                    .create(link)
                    .flash(FirmwareImage.ofBinary(image, FLASH), FlashOptions.defaults(), FlashProgressListener.NONE);

            assertThat(report.verified()).isTrue();
            assertThat(sim.flash().read(FLASH, image.length)).isEqualTo(image);
        }
    }

    private static SerialLink attach(final BootloaderSimulator sim, final PtyPair pair, final Duration responseTimeout)
            throws Exception {
        ExternalTool.requireSocat();
        sim.attach(pair);
        return SerialLink.open(SerialLinkConfig.builder(pair.clientEnd().toString())
                .baud(115_200)
                .parity(dev.baton.adapters.mcu.Parity.NONE)
                .controlLines(SerialLinkConfig.ControlLines.NONE)
                .responseTimeout(responseTimeout)
                .build());
    }

    @Test
    void aWireThrottledTo115200Baud8e1WithRealisticEraseAndProgramTimesStillFlashes() throws Exception {
        final byte[] image = TestImages.random(4096, 14);
        try (Stm32BootloaderSimulator sim =
                        new Stm32BootloaderSimulator(Stm32SimConfig.builder(Stm32ChipProfile.F103_MEDIUM_DENSITY)
                                .wire(WireTiming.of8e1(115_200).withTurnaround(Duration.ofMillis(1)))
                                .pageEraseTime(Duration.ofMillis(20))
                                .blockProgramTime(Duration.ofMillis(7))
                                .build());
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            flash(rig, FirmwareImage.ofBinary(image, FLASH), FlashOptions.defaults());

            assertThat(sim.flash().read(FLASH, image.length)).isEqualTo(image);
        }
    }
}
