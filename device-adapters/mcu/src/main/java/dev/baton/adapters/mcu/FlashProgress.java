package dev.baton.adapters.mcu;

import java.time.Duration;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * How far a phase of a flash has come.
 *
 * @param phase the phase
 * @param done bytes (or, for {@link FlashPhase#ERASE}, pages) done in this phase
 * @param total bytes (or pages) this phase will do
 * @param elapsed time since the phase started
 */
public record FlashProgress(@NotNull FlashPhase phase, long done, long total, @NotNull Duration elapsed) {

    public FlashProgress {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** 0 to 100. */
    public double percent() {
        return total == 0 ? 100.0 : 100.0 * done / total;
    }

    /** Units per second so far in this phase (bytes per second for write and verify). */
    public double rate() {
        final double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : done / seconds;
    }
}
