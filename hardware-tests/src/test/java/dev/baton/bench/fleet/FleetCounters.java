package dev.baton.bench.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * What the simulated agents saw, summed over the fleet: documents received and reported, and everything that went
 * wrong, with the first few failures kept as text so a run that breaks says why.
 *
 * <p>Thread-safe: written from every client callback thread, read by the benchmark.
 */
final class FleetCounters {

    private static final int KEPT_FAILURES = 10;

    private final LongAdder desiredReceived = new LongAdder();
    private final LongAdder reportsAcked = new LongAdder();
    private final LongAdder reportsFailed = new LongAdder();
    private final LongAdder stale = new LongAdder();
    private final LongAdder invalid = new LongAdder();
    private final LongAdder ignored = new LongAdder();
    private final LongAdder disconnected = new LongAdder();
    private final List<String> failures = new ArrayList<>(); // guarded by itself

    void desiredReceived() {
        desiredReceived.increment();
    }

    void reportAcked() {
        reportsAcked.increment();
    }

    void stale() {
        stale.increment();
    }

    void ignored() {
        ignored.increment();
    }

    void reportFailed(final String node, final Throwable cause) {
        reportsFailed.increment();
        keep(node + ": report not acknowledged: " + cause);
    }

    void invalid(final String node, final Throwable cause) {
        invalid.increment();
        keep(node + ": invalid desired document: " + cause.getMessage());
    }

    void disconnected(final String node, final @Nullable Throwable cause) {
        disconnected.increment();
        keep(node + ": disconnected: " + cause);
    }

    long desiredReceivedCount() {
        return desiredReceived.sum();
    }

    long reportsAckedCount() {
        return reportsAcked.sum();
    }

    long disconnectedCount() {
        return disconnected.sum();
    }

    /** One line: every counter, and the first failures if any. */
    @NotNull
    String summary() {
        final StringBuilder line = new StringBuilder()
                .append("desired received ")
                .append(desiredReceived.sum())
                .append(", reports acknowledged ")
                .append(reportsAcked.sum())
                .append(", reports failed ")
                .append(reportsFailed.sum())
                .append(", stale documents ")
                .append(stale.sum())
                .append(", invalid documents ")
                .append(invalid.sum())
                .append(", other messages ")
                .append(ignored.sum())
                .append(", unexpected disconnects ")
                .append(disconnected.sum());
        synchronized (failures) {
            if (!failures.isEmpty()) {
                line.append("; first failures: ").append(String.join(" | ", failures));
            }
        }
        return line.toString();
    }

    private void keep(final String failure) {
        synchronized (failures) {
            if (failures.size() < KEPT_FAILURES) {
                failures.add(failure);
            }
        }
    }
}
