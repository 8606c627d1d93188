package dev.baton.sim.mcu;

import static dev.baton.sim.mcu.Stm32BootloaderSimulator.GET_CHECKSUM;
import static dev.baton.sim.mcu.Stm32BootloaderSimulator.READ_MEMORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.adapters.mcu.FirmwareImage;
import dev.baton.adapters.mcu.FlashException;
import dev.baton.adapters.mcu.FlashOptions;
import dev.baton.adapters.mcu.FlashProgressListener;
import dev.baton.adapters.mcu.FlashReport;
import dev.baton.adapters.mcu.FlasherFactory;
import dev.baton.adapters.mcu.Verification;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verification by the bootloader's Get Checksum (0xA1) against the AN3155 simulator over a real pty pair, whose
 * checksum {@code Stm32flashValidationTest} checks against stm32flash's {@code -C}.
 */
class Stm32ChecksumVerifyTest {

    private static final long FLASH = 0x0800_0000L;
    private static final byte[] IMAGE = TestImages.random(20_000, 21); // pages 0..19 of 1 KiB, 79 blocks

    @TempDir
    Path tmp;

    private static Stm32BootloaderSimulator f103(final boolean checksumCommand, final SimFault... faults) {
        final Stm32SimConfig.Builder config =
                Stm32SimConfig.builder(Stm32ChipProfile.F103_MEDIUM_DENSITY).checksumCommand(checksumCommand);
        for (final SimFault fault : faults) {
            config.fault(fault);
        }
        return new Stm32BootloaderSimulator(config.build());
    }

    private static FlashReport flash(final SimulatorRig rig, final Verification verification) {
        return FlasherFactory.byId("stm32-uart")
                .orElseThrow()
                .create(rig.link())
                .flash(
                        FirmwareImage.ofBinary(IMAGE, FLASH),
                        FlashOptions.builder().verification(verification).build(),
                        FlashProgressListener.NONE);
    }

    @Test
    void aBootloaderOfferingGetChecksumIsVerifiedByOneChecksumWithoutReadingTheImageBack() throws Exception {
        try (Stm32BootloaderSimulator sim = f103(true);
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            final FlashReport report = flash(rig, Verification.AUTO);

            assertThat(report.verifiedBy()).isEqualTo(Verification.CHECKSUM);
            assertThat(sim.commandCount(GET_CHECKSUM)).isEqualTo(1); // one contiguous region
            assertThat(sim.commandCount(READ_MEMORY)).isZero();
            assertThat(report.rewrittenPages()).isEmpty();
            assertThat(sim.flash().read(FLASH, IMAGE.length)).isEqualTo(IMAGE);
            assertThat(sim.failure()).isEmpty();
        }
    }

    @Test
    void aBootloaderWithoutGetChecksumIsVerifiedByReadingEveryBlockBack() throws Exception {
        try (Stm32BootloaderSimulator sim = f103(false);
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            final FlashReport report = flash(rig, Verification.AUTO);

            assertThat(report.verifiedBy()).isEqualTo(Verification.READBACK);
            assertThat(sim.commandCount(GET_CHECKSUM)).isZero();
            assertThat(sim.commandCount(READ_MEMORY)).isEqualTo(79);
            assertThat(sim.flash().read(FLASH, IMAGE.length)).isEqualTo(IMAGE);
        }
    }

    @Test
    void readbackWhenAskedReadsBackEvenWhereTheBootloaderOffersAChecksum() throws Exception {
        try (Stm32BootloaderSimulator sim = f103(true);
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            final FlashReport report = flash(rig, Verification.READBACK);

            assertThat(report.verifiedBy()).isEqualTo(Verification.READBACK);
            assertThat(sim.commandCount(GET_CHECKSUM)).isZero();
            assertThat(sim.commandCount(READ_MEMORY)).isEqualTo(79);
        }
    }

    @Test
    void checksumVerifyOnABootloaderWithoutGetChecksumIsRefusedBeforeAnythingIsErased() throws Exception {
        try (Stm32BootloaderSimulator sim = f103(false);
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            assertThatThrownBy(() -> flash(rig, Verification.CHECKSUM))
                    .isInstanceOfSatisfying(FlashException.class, e -> assertThat(e.reason())
                            .isEqualTo(FlashException.Reason.UNSUPPORTED))
                    .hasMessageContaining("does not offer Get Checksum (0xA1), but verify is checksum")
                    .hasMessageContaining("nothing was erased or written");

            assertThat(sim.flash().totalErases()).isZero();
            assertThat(sim.flash().programmedBytes()).isZero();
        }
    }

    @Test
    void aBitThatFailedToProgramIsCaughtByTheChecksumAndOnlyItsPageIsReadBackReErasedAndRewritten() throws Exception {
        final long weak = FLASH + 0x2345; // page 8
        final int mask = Integer.lowestOneBit(IMAGE[0x2345] & 0xFF);
        assertThat(mask)
                .as("the image byte must have a bit set for a weak cell to clear")
                .isNotZero();
        try (Stm32BootloaderSimulator sim = f103(true, new SimFault.WeakCell(weak, mask));
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            final FlashReport report = flash(rig, Verification.CHECKSUM);

            assertThat(report.verifiedBy()).isEqualTo(Verification.CHECKSUM);
            assertThat(report.rewrittenPages()).containsExactly(8);
            // Page 8 holds 4 blocks of 256 bytes: only they are read back; the rest is vouched for by checksums.
            assertThat(sim.commandCount(READ_MEMORY)).isEqualTo(4);
            // The region, then each of its 20 pages, then the rewritten page's region again.
            assertThat(sim.commandCount(GET_CHECKSUM)).isEqualTo(1 + 20 + 1);
            assertThat(sim.flash().eraseCount(8)).isEqualTo(2);
            assertThat(sim.flash().eraseCount(7)).isEqualTo(1);
            assertThat(sim.flash().eraseCount(9)).isEqualTo(1);
            assertThat(sim.flash().read(FLASH, IMAGE.length)).isEqualTo(IMAGE);
        }
    }

    @Test
    void aCellThatRewritingCannotRepairFailsTheChecksumVerifyNamingTheBlock() throws Exception {
        final long weak = FLASH + 0x10;
        final int mask = Integer.lowestOneBit(IMAGE[0x10] & 0xFF);
        try (Stm32BootloaderSimulator sim = f103(true, new SimFault.WeakCell(weak, mask));
                SimulatorRig rig = SimulatorRig.start(tmp, sim)) {
            assertThatThrownBy(() -> FlasherFactory.byId("stm32-uart")
                            .orElseThrow()
                            .create(rig.link())
                            .flash(
                                    FirmwareImage.ofBinary(IMAGE, FLASH),
                                    FlashOptions.builder()
                                            .verification(Verification.CHECKSUM)
                                            .rewriteRounds(0)
                                            .build(),
                                    FlashProgressListener.NONE))
                    .isInstanceOfSatisfying(FlashException.class, e -> {
                        assertThat(e.reason()).isEqualTo(FlashException.Reason.VERIFY_FAILED);
                        assertThat(e.address()).hasValue(FLASH);
                    })
                    .hasMessageContaining("read-back of 256 bytes at 0x08000000 differs");
        }
    }
}
