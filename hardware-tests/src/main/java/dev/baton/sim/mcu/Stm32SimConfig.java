package dev.baton.sim.mcu;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link Stm32BootloaderSimulator} behaves.
 *
 * @param chip the chip it pretends to be
 * @param wire wire timing (baud, frame, turnaround)
 * @param pageEraseTime how long erasing one page takes
 * @param massEraseTime how long a mass erase takes
 * @param blockProgramTime how long programming one Write Memory block takes
 * @param faults faults to inject
 * @param readProtected whether read-out protection is on at power-up
 * @param checksumCommand whether Get offers Get Checksum (0xA1)
 */
public record Stm32SimConfig(
        Stm32ChipProfile chip,
        WireTiming wire,
        Duration pageEraseTime,
        Duration massEraseTime,
        Duration blockProgramTime,
        List<SimFault> faults,
        boolean readProtected,
        boolean checksumCommand) {

    public Stm32SimConfig {
        Objects.requireNonNull(chip, "chip");
        Objects.requireNonNull(wire, "wire");
        faults = List.copyOf(faults);
    }

    public static Builder builder(final Stm32ChipProfile chip) {
        return new Builder(chip);
    }

    /** Builds {@link Stm32SimConfig}; not thread-safe. */
    public static final class Builder {

        private final Stm32ChipProfile chip;
        private WireTiming wire = WireTiming.unthrottled();
        private Duration pageEraseTime = Duration.ZERO;
        private Duration massEraseTime = Duration.ZERO;
        private Duration blockProgramTime = Duration.ZERO;
        private final List<SimFault> faults = new ArrayList<>();
        private boolean readProtected;
        private boolean checksumCommand;

        private Builder(final Stm32ChipProfile chip) {
            this.chip = chip;
        }

        public Builder wire(final WireTiming wire) {
            this.wire = wire;
            return this;
        }

        public Builder pageEraseTime(final Duration pageEraseTime) {
            this.pageEraseTime = pageEraseTime;
            return this;
        }

        public Builder massEraseTime(final Duration massEraseTime) {
            this.massEraseTime = massEraseTime;
            return this;
        }

        public Builder blockProgramTime(final Duration blockProgramTime) {
            this.blockProgramTime = blockProgramTime;
            return this;
        }

        public Builder fault(final SimFault fault) {
            this.faults.add(fault);
            return this;
        }

        public Builder readProtected(final boolean readProtected) {
            this.readProtected = readProtected;
            return this;
        }

        public Builder checksumCommand(final boolean checksumCommand) {
            this.checksumCommand = checksumCommand;
            return this;
        }

        public Stm32SimConfig build() {
            return new Stm32SimConfig(
                    chip, wire, pageEraseTime, massEraseTime, blockProgramTime, faults, readProtected, checksumCommand);
        }
    }
}
