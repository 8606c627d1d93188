package dev.baton.sim.mcu;

import java.util.Arrays;

/**
 * Where time went on a simulated wire, in microseconds (median and 90th percentile): how long the host took from
 * receiving an answer to its next bytes reaching the simulator (the client's turnaround, plus the pty's and the
 * simulator thread's wake-up), and how late the simulator sent answers against the wire model (the simulation's own
 * error, charged to the client in throughput figures).
 */
public record WireStats(
        int turnarounds,
        double hostTurnaroundMedianMicros,
        double hostTurnaroundP90Micros,
        double lateAnswerMedianMicros,
        double lateAnswerP90Micros) {

    /** Collects samples on the device thread; snapshots may be taken from any thread. */
    static final class Recorder {

        private static final int CAPACITY = 1 << 20;
        private long[] turnarounds = new long[1024];
        private int turnaroundCount;
        private long[] late = new long[1024];
        private int lateCount;

        synchronized void hostTurnaround(final long nanos) {
            if (turnaroundCount < CAPACITY) {
                if (turnaroundCount == turnarounds.length) {
                    turnarounds = Arrays.copyOf(turnarounds, turnarounds.length * 2);
                }
                turnarounds[turnaroundCount++] = nanos;
            }
        }

        synchronized void lateAnswer(final long nanos) {
            if (lateCount < CAPACITY) {
                if (lateCount == late.length) {
                    late = Arrays.copyOf(late, late.length * 2);
                }
                late[lateCount++] = Math.max(0, nanos);
            }
        }

        synchronized WireStats snapshot() {
            final long[] t = Arrays.copyOf(turnarounds, turnaroundCount);
            final long[] l = Arrays.copyOf(late, lateCount);
            Arrays.sort(t);
            Arrays.sort(l);
            return new WireStats(t.length, micros(t, 0.5), micros(t, 0.9), micros(l, 0.5), micros(l, 0.9));
        }

        private static double micros(final long[] sorted, final double quantile) {
            return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, sorted.length * quantile)] / 1e3;
        }
    }
}
