package dev.baton.bench.fleet;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.DesiredSpec;
import dev.baton.protocol.ReconcilePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jetbrains.annotations.NotNull;

/**
 * One change to every node, measured. The hub has no fleet-wide deployment yet, so the change is one {@code PUT
 * …/nodes/{node}/desired} per node, at most {@code putConcurrency} in flight, each raising the node's generation to
 * {@code generation}. The round's figure is the time from the first PUT until a {@code GET …/nodes} listing shows
 * every node with desired and observed generation equal to {@code generation}: what the hub's API shows.
 *
 * <p>Listing N nodes is not free for the hub: the hub builds the listing on its store thread, which also takes the
 * PUTs and reports (10,000 nodes: about 0.1 to 0.3 s per listing). So the poller lists back to back only once the
 * agents hold a PUBACK for every report of the round, and before that only every {@code poll} if that is not zero;
 * the figure is late by at most about one listing. The hub's own stamp of the last report stored ({@code lastSeen})
 * gives the same moment without that lag.
 *
 * <p>Per node, from the moment its PUT was sent:
 *
 * <ul>
 *   <li>to the report stored at the hub — the node's {@code lastSeen} in the final listing, which the hub stamps
 *       (epoch milliseconds, its wall clock, the same machine's) when it stores the report; no polling in it;
 *   <li>to the desired document at the simulated agent, and to the broker's PUBACK of its report (this JVM's clock).
 * </ul>
 *
 * <p>Threading: {@link #run} blocks the calling thread (which issues the PUTs) and starts one polling thread.
 */
final class FleetRound {

    /** What one round measured; times in nanoseconds from the first PUT sent, -1 where a node has no figure. */
    record Result(
            long generation,
            long lastPutAnsweredNanos,
            long allVisibleNanos,
            long lastStoredNanos,
            int converged,
            int polls,
            long slowestListNanos,
            long @NotNull [] storedNanos,
            long @NotNull [] desiredAtAgentNanos,
            long @NotNull [] reportAckedNanos,
            @NotNull List<String> notConverged) {}

    private final FleetApi api;
    private final List<SimulatedAgent> agents;
    private final FleetOptions options;
    private final FleetCounters counters;
    private final Map<String, Integer> indexOf = new HashMap<>();

    FleetRound(
            final @NotNull FleetApi api,
            final @NotNull List<SimulatedAgent> agents,
            final @NotNull FleetCounters counters,
            final @NotNull FleetOptions options) {
        this.api = api;
        this.agents = agents;
        this.counters = counters;
        this.options = options;
        for (int i = 0; i < agents.size(); i++) {
            indexOf.put(agents.get(i).node(), i);
        }
    }

    /** The change of round {@code round}: one {@code file} component whose content names the round. */
    static @NotNull DesiredSpec change(final int round) {
        final ComponentSpec file = new ComponentSpec(
                "fleet-config",
                "file",
                JsonNodeFactory.instance
                        .objectNode()
                        .put("path", "/var/lib/baton-fleet/config.txt")
                        .put("content", "round " + round + "\n"),
                List.of());
        return new DesiredSpec(List.of(file), ReconcilePolicy.DEFAULT);
    }

    /**
     * Runs the round whose PUTs must all answer {@code generation}.
     *
     * @throws IllegalStateException when a PUT fails or answers another generation
     */
    @NotNull
    Result run(final long generation, final @NotNull DesiredSpec spec) throws InterruptedException {
        final int n = agents.size();
        final long[] sentNanos = new long[n];
        final Instant[] sentWall = new Instant[n];
        final Poller poller = new Poller(generation, counters.reportsAckedCount() + n);
        final Semaphore inFlight = new Semaphore(options.putConcurrency());
        final List<CompletableFuture<Long>> puts = new ArrayList<>(n);
        final long first = System.nanoTime();
        poller.start(first);
        for (int i = 0; i < n; i++) {
            final String node = agents.get(i).node();
            sentWall[i] = Instant.now();
            sentNanos[i] = System.nanoTime();
            puts.add(api.putDesired(node, spec, inFlight).thenApply(answered -> {
                if (answered != generation) {
                    throw new IllegalStateException(
                            "PUT desired of " + node + " answered generation " + answered + ", not " + generation);
                }
                return answered;
            }));
        }
        try {
            CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new))
                    .get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            poller.stop();
            throw new IllegalStateException("a PUT failed: " + e.getCause().getMessage(), e.getCause());
        } catch (final TimeoutException e) {
            poller.stop();
            throw new IllegalStateException(
                    "PUTs not answered within " + options.timeout().toSeconds() + " s");
        }
        final long lastPutAnswered = System.nanoTime() - first;
        final long allVisible = poller.await(options.timeout());

        final long[] stored = new long[n];
        Arrays.fill(stored, -1);
        long lastStoredMillis = Long.MIN_VALUE;
        int converged = 0;
        final List<String> notConverged = new ArrayList<>();
        for (final FleetApi.NodeLine line : api.nodes()) {
            final Integer index = indexOf.get(line.name());
            if (index == null) {
                continue;
            }
            if (line.desiredGeneration() == generation
                    && line.observedGeneration() == generation
                    && line.lastSeen() != null) {
                converged++;
                final long millis = line.lastSeen().toEpochMilli();
                stored[index] = TimeUnit.MILLISECONDS.toNanos(millis) - toNanos(sentWall[index]);
                lastStoredMillis = Math.max(lastStoredMillis, millis);
            } else if (notConverged.size() < 10) {
                notConverged.add(line.name() + " (desired " + line.desiredGeneration() + ", observed "
                        + line.observedGeneration() + ", online " + line.online() + ")");
            }
        }
        final long[] atAgent = new long[n];
        final long[] acked = new long[n];
        for (int i = 0; i < n; i++) {
            final SimulatedAgent agent = agents.get(i);
            final boolean observed = agent.observedGeneration() == generation;
            atAgent[i] = observed ? agent.desiredReceivedNanos() - sentNanos[i] : -1;
            acked[i] = observed && agent.reportAckedNanos() != 0 ? agent.reportAckedNanos() - sentNanos[i] : -1;
        }
        final long lastStored = lastStoredMillis == Long.MIN_VALUE
                ? -1
                : TimeUnit.MILLISECONDS.toNanos(lastStoredMillis) - toNanos(sentWall[0]);
        return new Result(
                generation,
                lastPutAnswered,
                allVisible,
                lastStored,
                converged,
                poller.polls,
                poller.slowestList,
                stored,
                atAgent,
                acked,
                notConverged);
    }

    private static long toNanos(final Instant instant) {
        return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
    }

    /**
     * Lists {@code GET …/nodes} every {@code poll} until the agents hold PUBACKs for all of this round's reports, then
     * back to back, until one listing shows every node with {@code generation} desired and observed.
     */
    private final class Poller {

        private final long generation;
        private final long reportsAckedWhenDone;
        private final CompletableFuture<Long> allVisible = new CompletableFuture<>();
        private final AtomicReference<Thread> thread = new AtomicReference<>();
        private volatile boolean stopped;
        // Written by the polling thread only.
        private volatile int polls;
        private volatile long slowestList;

        Poller(final long generation, final long reportsAckedWhenDone) {
            this.generation = generation;
            this.reportsAckedWhenDone = reportsAckedWhenDone;
        }

        void start(final long first) {
            final Thread polling = new Thread(
                    () -> {
                        if (options.poll().isZero()) {
                            awaitReports();
                        }
                        poll(first);
                    },
                    "fleet-poller");
            polling.setDaemon(true);
            thread.set(polling);
            polling.start();
        }

        private void awaitReports() {
            while (!stopped && counters.reportsAckedCount() < reportsAckedWhenDone) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }

        private void poll(final long first) {
            try {
                while (!stopped) {
                    final long listing = System.nanoTime();
                    final List<FleetApi.NodeLine> lines = api.nodes();
                    final long now = System.nanoTime();
                    polls++;
                    slowestList = Math.max(slowestList, now - listing);
                    int converged = 0;
                    for (final FleetApi.NodeLine line : lines) {
                        if (indexOf.containsKey(line.name())
                                && line.desiredGeneration() == generation
                                && line.observedGeneration() == generation) {
                            converged++;
                        }
                    }
                    if (converged == indexOf.size()) {
                        allVisible.complete(now - first);
                        return;
                    }
                    // Once every report is acknowledged (always so when poll is zero), list again at once.
                    final long next = listing + options.poll().toNanos();
                    while (!stopped
                            && counters.reportsAckedCount() < reportsAckedWhenDone
                            && System.nanoTime() - next < 0) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    }
                }
            } catch (final RuntimeException e) {
                allVisible.completeExceptionally(e);
            }
        }

        /** Nanoseconds from the first PUT to the listing that showed every node converged; -1 on timeout. */
        long await(final Duration timeout) throws InterruptedException {
            try {
                return allVisible.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (final TimeoutException e) {
                stop();
                return -1;
            } catch (final ExecutionException e) {
                throw new IllegalStateException("polling GET …/nodes failed: " + e.getCause(), e.getCause());
            }
        }

        void stop() {
            stopped = true;
            final Thread polling = thread.get();
            if (polling != null) {
                polling.interrupt();
                try {
                    polling.join(TimeUnit.MINUTES.toMillis(1));
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
