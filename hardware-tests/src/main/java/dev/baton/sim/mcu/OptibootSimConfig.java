package dev.baton.sim.mcu;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How an {@link OptibootSimulator} behaves.
 *
 * @param chip the AVR it pretends to be
 * @param wire wire timing
 * @param pageProgramTime how long erasing and writing one page takes (about 4.5 ms on an ATmega328P)
 * @param watchdog optiboot's timeout: when no byte arrives for this long after reset or after the previous command,
 *     it starts the application and stops answering until the next reset; empty for a bootloader that waits forever
 * @param faults faults to inject
 * @param majorVersion what GET_PARAMETER 0x81 answers (optiboot 8.0: 8)
 * @param minorVersion what GET_PARAMETER 0x82 answers
 */
public record OptibootSimConfig(
        AvrChipProfile chip,
        WireTiming wire,
        Duration pageProgramTime,
        Optional<Duration> watchdog,
        List<SimFault> faults,
        int majorVersion,
        int minorVersion) {

    public OptibootSimConfig {
        Objects.requireNonNull(chip, "chip");
        Objects.requireNonNull(wire, "wire");
        Objects.requireNonNull(watchdog, "watchdog");
        faults = List.copyOf(faults);
    }

    public static Builder builder(final AvrChipProfile chip) {
        return new Builder(chip);
    }

    /** Builds {@link OptibootSimConfig}; not thread-safe. */
    public static final class Builder {

        private final AvrChipProfile chip;
        private WireTiming wire = WireTiming.unthrottled();
        private Duration pageProgramTime = Duration.ZERO;
        private Optional<Duration> watchdog = Optional.empty();
        private final List<SimFault> faults = new ArrayList<>();

        private Builder(final AvrChipProfile chip) {
            this.chip = chip;
        }

        public Builder wire(final WireTiming wire) {
            this.wire = wire;
            return this;
        }

        public Builder pageProgramTime(final Duration pageProgramTime) {
            this.pageProgramTime = pageProgramTime;
            return this;
        }

        public Builder watchdog(final Duration watchdog) {
            this.watchdog = Optional.of(watchdog);
            return this;
        }

        public Builder fault(final SimFault fault) {
            this.faults.add(fault);
            return this;
        }

        public OptibootSimConfig build() {
            return new OptibootSimConfig(chip, wire, pageProgramTime, watchdog, faults, 8, 0);
        }
    }
}
