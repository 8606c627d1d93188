package dev.baton.sim.mcu;

import static dev.baton.sim.mcu.OptibootSimulator.PROG_PAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.adapters.mcu.ChipIdentity;
import dev.baton.adapters.mcu.FirmwareImage;
import dev.baton.adapters.mcu.FlashException;
import dev.baton.adapters.mcu.FlashOptions;
import dev.baton.adapters.mcu.FlashProgressListener;
import dev.baton.adapters.mcu.FlashReport;
import dev.baton.adapters.mcu.Flasher;
import dev.baton.adapters.mcu.FlasherFactory;
import dev.baton.adapters.mcu.ResetLines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Baton's {@code avr-optiboot} flasher against the optiboot simulator over a real pty pair. */
class AvrOptibootFlasherTest {

    private static final byte[] IMAGE = TestImages.random(10_000, 31);
    private static final int PAGES = 79; // 10,000 bytes in 128-byte pages

    @TempDir
    Path tmp;

    /** The Arduino auto-reset circuit: DTR asserted pulls RESET low through a capacitor. */
    private static final class DtrResetsChip implements ResetLines {
        private final OptibootSimulator sim;
        private final List<String> calls = new ArrayList<>();

        DtrResetsChip(final OptibootSimulator sim) {
            this.sim = sim;
        }

        @Override
        public void setDtr(final boolean asserted) {
            calls.add("DTR " + asserted);
            if (asserted) {
                sim.reset();
            }
        }

        @Override
        public void setRts(final boolean asserted) {
            calls.add("RTS " + asserted);
        }
    }

    private static OptibootSimulator atmega328p(final SimFault... faults) {
        final OptibootSimConfig.Builder config = OptibootSimConfig.builder(AvrChipProfile.ATMEGA328P);
        for (final SimFault fault : faults) {
            config.fault(fault);
        }
        return new OptibootSimulator(config.build());
    }

    private static Flasher flasher(final SimulatorRig rig) {
        return FlasherFactory.byId("avr-optiboot").orElseThrow().create(rig.link());
    }

    private static FlashReport flash(final SimulatorRig rig, final FlashOptions options) {
        return flasher(rig).flash(FirmwareImage.ofBinary(IMAGE, 0), options, FlashProgressListener.NONE);
    }

    @Test
    void identifyReadsTheSignatureAndOptibootVersion() throws Exception {
        try (OptibootSimulator sim = atmega328p();
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            final ChipIdentity chip = flasher(rig).identify();

            assertThat(chip.chipId()).isEqualTo(0x1E950F);
            assertThat(chip.chipName()).isEqualTo("ATmega328P");
            assertThat(chip.bootloaderVersion()).isEqualTo("optiboot 8.0");
            assertThat(chip.flash().end())
                    .as("application section, below optiboot")
                    .isEqualTo(0x7E00);
        }
    }

    @Test
    void flashWritesWholePagesVerifiesThemAndStartsTheApplication() throws Exception {
        try (OptibootSimulator sim = atmega328p();
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            final FlashReport report =
                    flash(rig, FlashOptions.builder().expectedChipId(0x1E950F).build());

            assertThat(sim.flash().read(0, IMAGE.length)).isEqualTo(IMAGE);
            assertThat(sim.flash().read(IMAGE.length, PAGES * 128 - IMAGE.length))
                    .containsOnly(0xFF);
            assertThat(report.bytesWritten()).isEqualTo(PAGES * 128);
            assertThat(report.verified()).isTrue();
            assertThat(sim.commandCount(PROG_PAGE)).isEqualTo(PAGES);
            assertThat(sim.bootSectionIntact()).isTrue();
            assertThat(sim.applicationRunning()).isTrue();
            assertThat(sim.failure()).isEmpty();
        }
    }

    @Test
    void theDtrPulseResetsARunningChipIntoOptibootWithinItsWatchdogWindow() throws Exception {
        final OptibootSimulator sim = new OptibootSimulator(OptibootSimConfig.builder(AvrChipProfile.ATMEGA328P)
                .watchdog(Duration.ofSeconds(2)) // optiboot waits 1 s; 2 s keeps a loaded CI machine in time
                .build());
        final DtrResetsChip dtr = new DtrResetsChip(sim);
        try (sim;
                SimulatorRig rig = SimulatorRig.start(tmp, sim, dtr)) {
            flash(rig, FlashOptions.defaults());
            assertThat(sim.applicationRunning()).isTrue();

            flash(rig, FlashOptions.defaults());

            assertThat(dtr.calls)
                    .containsExactly(
                            "DTR false",
                            "RTS false",
                            "DTR true",
                            "RTS true",
                            "DTR false",
                            "RTS false",
                            "DTR true",
                            "RTS true");
            assertThat(sim.commandCount(PROG_PAGE)).isEqualTo(2 * PAGES);
        }
    }

    @Test
    void withoutResetLinesARunningApplicationNeverAnswersAndTheFlashFailsToSync() throws Exception {
        try (OptibootSimulator sim = atmega328p();
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            flash(rig, FlashOptions.defaults());

            assertThatThrownBy(() ->
                            flash(rig, FlashOptions.builder().syncAttempts(2).build()))
                    .isInstanceOfSatisfying(
                            FlashException.class, e -> assertThat(e.reason()).isEqualTo(FlashException.Reason.NO_SYNC))
                    .hasMessageContaining("reset the board by hand");
        }
    }

    @Test
    void anotherSignatureIsRefusedBeforeAnyPageIsWritten() throws Exception {
        try (OptibootSimulator sim = new OptibootSimulator(
                        OptibootSimConfig.builder(AvrChipProfile.ATMEGA168).build());
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            assertThatThrownBy(() -> flash(
                            rig, FlashOptions.builder().expectedChipId(0x1E950F).build()))
                    .isInstanceOfSatisfying(FlashException.class, e -> assertThat(e.reason())
                            .isEqualTo(FlashException.Reason.CHIP_MISMATCH))
                    .hasMessageContaining("0x1E9406")
                    .hasMessageContaining("ATmega168");

            assertThat(sim.commandCount(PROG_PAGE)).isZero();
            assertThat(sim.flash().programmedBytes()).isZero();
        }
    }

    @Test
    void anImageReachingIntoTheBootSectionIsRefused() throws Exception {
        try (OptibootSimulator sim = atmega328p();
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            final FirmwareImage tooBig = FirmwareImage.ofBinary(new byte[32 * 1024], 0);

            assertThatThrownBy(() -> flasher(rig).flash(tooBig, FlashOptions.defaults(), FlashProgressListener.NONE))
                    .isInstanceOfSatisfying(FlashException.class, e -> assertThat(e.reason())
                            .isEqualTo(FlashException.Reason.IMAGE_OUT_OF_RANGE));

            assertThat(sim.commandCount(PROG_PAGE)).isZero();
            assertThat(sim.bootSectionIntact()).isTrue();
        }
    }

    @Test
    void aRefusedPageIsProgrammedAgainAfterResynchronising() throws Exception {
        try (OptibootSimulator sim = atmega328p(new SimFault.Refuse(PROG_PAGE, 3, 1));
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            flash(rig, FlashOptions.defaults());

            assertThat(sim.flash().read(0, IMAGE.length)).isEqualTo(IMAGE);
            assertThat(sim.commandCount(PROG_PAGE)).isEqualTo(PAGES + 1);
        }
    }

    @Test
    void aSilentBootloaderIsATimeoutAtThePageItWasProgramming() throws Exception {
        try (OptibootSimulator sim = atmega328p(new SimFault.Silence(PROG_PAGE, 5));
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            assertThatThrownBy(() -> flash(rig, FlashOptions.defaults()))
                    .isInstanceOfSatisfying(FlashException.class, e -> {
                        assertThat(e.reason()).isEqualTo(FlashException.Reason.TIMEOUT);
                        assertThat(e.address()).hasValue(4 * 128);
                    })
                    .hasMessageContaining("PROG_PAGE at 0x00000200");
        }
    }

    @Test
    void unpluggingMidFlashIsALostLinkAndReflashingAfterReplugRecovers() throws Exception {
        try (OptibootSimulator sim = atmega328p(new SimFault.Unplug(PROG_PAGE, 40));
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            assertThatThrownBy(() -> flash(rig, FlashOptions.defaults()))
                    .isInstanceOfSatisfying(FlashException.class, e -> {
                        assertThat(e.reason()).isEqualTo(FlashException.Reason.LINK_LOST);
                        assertThat(e.address()).hasValue(39 * 128);
                    });

            rig.replug();
            flash(rig, FlashOptions.defaults());

            assertThat(sim.flash().read(0, IMAGE.length)).isEqualTo(IMAGE);
        }
    }

    @Test
    void aBitThatFailedToProgramIsCaughtByVerifyAndItsPageIsProgrammedAgain() throws Exception {
        final int at = 0x1234; // page 36
        final int mask = Integer.lowestOneBit(IMAGE[at] & 0xFF);
        assertThat(mask).isNotZero();
        try (OptibootSimulator sim = atmega328p(new SimFault.WeakCell(at, mask));
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            final FlashReport report = flash(rig, FlashOptions.defaults());

            assertThat(report.rewrittenPages()).containsExactly(36);
            assertThat(sim.flash().eraseCount(36)).isEqualTo(2);
            assertThat(sim.flash().eraseCount(35)).isEqualTo(1);
            assertThat(sim.flash().read(0, IMAGE.length)).isEqualTo(IMAGE);
        }
    }
}
