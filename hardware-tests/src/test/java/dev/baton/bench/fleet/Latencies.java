package dev.baton.bench.fleet;

import java.util.Arrays;
import org.jetbrains.annotations.NotNull;

/** Sorted durations in nanoseconds, printed as percentiles in milliseconds. Immutable. */
final class Latencies {

    private final long[] sorted;

    /** Takes the values that are not negative; a negative value marks a node without a figure. */
    Latencies(final long @NotNull [] nanos) {
        this.sorted = Arrays.stream(nanos).filter(value -> value >= 0).sorted().toArray();
    }

    int count() {
        return sorted.length;
    }

    /** The smallest value with at least {@code quantile} of all values at or below it. */
    double millis(final double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        final int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    /** "p50 12.3 ms, p90 …, p99 …, max …" (and how many values when some nodes had none). */
    @NotNull
    String summary(final int expected) {
        final String figures = String.format(
                "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
                millis(0.50), millis(0.90), millis(0.99), millis(1));
        return sorted.length == expected ? figures : figures + " (of " + sorted.length + " of " + expected + " nodes)";
    }
}
