package dev.baton.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.agent.BatonAgent;
import dev.baton.bench.fleet.ProcessMeter;
import dev.baton.testing.Desired;
import dev.baton.testing.HubApi;
import dev.baton.testing.InProcessFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Desired → applied → visible at the hub, sequentially, on loopback: for each update, the time from sending
 * {@code PUT …/desired} to the answer of {@code GET …/nodes/{n}?waitForGeneration=G}, which the hub sends once it has
 * stored the node's report of the new generation settled (here: the component healthy). Hub, embedded broker and
 * agent run in this JVM. Figures before 2026-11-22 (session 4) polled the plain GET every 0.2 ms instead, which loaded the hub's
 * store thread with reads in front of the report it waited for.
 *
 * <pre>
 * mvn -q -B -DskipTests install &amp;&amp; mvn -q -B -pl hardware-tests exec:exec -Dbench=DesiredLatencyBenchmark [-Dbench.args="UPDATES WARMUP"]
 * </pre>
 */
public final class DesiredLatencyBenchmark {

    public static void main(final String[] args) throws Exception {
        final String[] words = String.join(" ", args).strip().split("\\s+");
        final int updates = words[0].isEmpty() ? 2000 : Integer.parseInt(words[0]);
        // About 15 s of updates: by then the JIT compiler is mostly done (after 1,000 it still took 3 ms of CPU per
        // update, after 3,000 under 2 ms); a hub and an agent run for days, so that steady state is the figure.
        final int warmup = words.length > 1 ? Integer.parseInt(words[1]) : 3000;
        final Path dir = Files.createTempDirectory("baton-bench-latency");
        try (InProcessFleet fleet = InProcessFleet.start(dir)) {
            final HubApi api = fleet.api();
            final BatonAgent agent = fleet.startAgent(fleet.enroll("bench"));
            agent.awaitConnected(Duration.ofSeconds(30));
            final Path file = dir.resolve("out/bench.txt");
            final long[] nanos = new long[updates];
            // Where the time goes, from the timestamps hub and agent write (one clock: same JVM):
            // hub stored the generation -> agent stamped its report -> the benchmark saw the report at the hub.
            final long[] toReport = new long[updates];
            final long[] reportToVisible = new long[updates];
            // Where the CPU goes once warmed up: this JVM's threads by name, from /proc (the JIT compiler included).
            final ProcessMeter meter = new ProcessMeter();
            final long pid = ProcessHandle.current().pid();
            long cpuAtStart = 0;
            Map<String, Long> threadsAtStart = Map.of();
            for (int i = 0; i < warmup + updates; i++) {
                if (i == warmup) {
                    cpuAtStart = meter.cpuNanos(pid);
                    threadsAtStart = meter.cpuNanosByThread(pid);
                }
                final long started = System.nanoTime();
                final long generation =
                        api.setDesired("bench", Desired.of(List.of(Desired.file("bench", file, "update " + i + "\n"))));
                final JsonNode node = awaitVisible(api, generation);
                final Instant seen = Instant.now();
                if (i >= warmup) {
                    final int n = i - warmup;
                    nanos[n] = System.nanoTime() - started;
                    final Instant stored =
                            Instant.parse(node.get("desired").get("updatedAt").asText());
                    final Instant reported =
                            Instant.parse(node.get("reported").get("timestamp").asText());
                    toReport[n] = Duration.between(stored, reported).toNanos();
                    reportToVisible[n] = Duration.between(reported, seen).toNanos();
                }
            }
            final double cpuPerUpdate = (meter.cpuNanos(pid) - cpuAtStart) / 1e6 / updates;
            final Map<String, Long> threadsBefore = threadsAtStart;
            final String busiest = meter.cpuNanosByThread(pid).entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - threadsBefore.getOrDefault(e.getKey(), 0L)))
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(6)
                    .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / 1e6 / updates))
                    .collect(Collectors.joining(", "));
            Arrays.sort(nanos);
            Arrays.sort(toReport);
            Arrays.sort(reportToVisible);
            System.out.printf(
                    "desired->applied->visible, %d sequential updates after %d warm-up: p50 %.2f ms, p90 %.2f ms,"
                            + " p99 %.2f ms, max %.2f ms%n",
                    updates,
                    warmup,
                    millis(nanos, 0.50),
                    millis(nanos, 0.90),
                    millis(nanos, 0.99),
                    nanos[nanos.length - 1] / 1e6);
            System.out.printf(
                    "  of which hub stored -> agent reported: p50 %.2f ms, p99 %.2f ms;"
                            + " agent reported -> visible at the hub: p50 %.2f ms, p99 %.2f ms%n",
                    millis(toReport, 0.50),
                    millis(toReport, 0.99),
                    millis(reportToVisible, 0.50),
                    millis(reportToVisible, 0.99));
            System.out.printf(
                    "  CPU time of this JVM (hub, broker, agent, client) per update: %.2f ms; busiest threads (ms): %s%n",
                    cpuPerUpdate, busiest);
        }
    }

    private static JsonNode awaitVisible(final HubApi api, final long generation) {
        final JsonNode node = api.nodeWhenSettled("bench", generation, 30);
        if (node.get("reported").get("components").size() != 1 || !HubApi.converged(node, generation)) {
            throw new IllegalStateException("generation " + generation + " not settled healthy within 30 s: " + node);
        }
        return node;
    }

    private static double millis(final long[] sorted, final double quantile) {
        final int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    private DesiredLatencyBenchmark() {}
}
