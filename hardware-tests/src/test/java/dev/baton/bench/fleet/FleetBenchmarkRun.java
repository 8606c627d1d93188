package dev.baton.bench.fleet;

import dev.baton.protocol.EnrollmentResponse;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.jetbrains.annotations.NotNull;

/**
 * The fleet benchmark's phases, in order: start the hub; enroll N nodes with one token of N uses; connect N simulated
 * agents; then, per round, one change to all of them ({@link FleetRound}); finally memory and counters. Every figure
 * is printed with the machine's load average and the CPU time hub, load generator and everything else used
 * meanwhile, because other builds may share the machine.
 *
 * <p>Threading: {@link #run} blocks its caller.
 */
public final class FleetBenchmarkRun {

    private static final Duration ONLINE_POLL = Duration.ofMillis(100);
    private static final int BUSIEST_THREAD_GROUPS = 8;
    private static final int LISTINGS = 5;
    /** The hub store's thread name, as {@link ProcessMeter#cpuNanosByThread} groups it. */
    private static final String STORE_THREAD = "baton-store";
    /** Descriptors besides the agents' sockets: jars, HTTP connections, the hub's store and listeners. */
    private static final long DESCRIPTOR_MARGIN = 1_000;

    private final FleetOptions options;
    private final PrintStream out;
    private final ProcessMeter meter = new ProcessMeter();
    private final long self = ProcessHandle.current().pid();

    public FleetBenchmarkRun(final @NotNull FleetOptions options, final @NotNull PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs every phase and prints the figures; fails when a phase does not finish within the options' timeout. */
    public void run() throws Exception {
        final int n = options.nodes();
        checkDescriptors();
        final Path dir = Files.createTempDirectory("baton-bench-fleet");
        out.printf(
                "fleet benchmark: %,d simulated agents, %d round(s); %d cores, Java %s; load average %s%n",
                n,
                options.rounds(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.version(),
                meter.loadAverage());
        final long hubStarting = System.nanoTime();
        try (HubUnderTest hub = HubUnderTest.start(options.hub(), dir);
                FleetApi api = new FleetApi(hub.http(), hub.adminToken())) {
            out.printf(
                    "hub: %s; started in %.1f s; log %s%n",
                    hub.description(), seconds(System.nanoTime() - hubStarting), hub.log());
            final List<EnrollmentResponse> identities = enroll(api, hub);
            final FleetCounters counters = new FleetCounters();
            try (SimulatedFleet fleet = new SimulatedFleet(identities, counters)) {
                connect(api, hub, fleet);
                final FleetRound round = new FleetRound(api, fleet.agents(), counters, options);
                for (int r = 1; r <= options.rounds(); r++) {
                    final CpuSample before = sample(hub.pid());
                    final FleetRound.Result result = round.run(r, FleetRound.change(r));
                    print(r, result, before.until(sample(hub.pid())));
                    if (result.allVisibleNanos() < 0) {
                        throw new IllegalStateException("round " + r + " did not converge within "
                                + options.timeout().toSeconds() + " s; hub log: " + hub.log() + "; agents: "
                                + counters.summary());
                    }
                }
                listing(api, hub);
                memory(hub);
                out.println("agents: " + counters.summary());
            }
        }
    }

    /**
     * Each agent holds one socket in this JVM and the broker one more: in-process that is 2N descriptors in one
     * process. Past the limit the broker logs "Too many open files" and agents fail to connect; say so up front.
     */
    private void checkDescriptors() {
        final long perAgent = options.hub() == FleetOptions.HubMode.IN_PROCESS ? 2 : 1;
        final long needed = perAgent * options.nodes() + DESCRIPTOR_MARGIN;
        final long limit = meter.openFileLimit();
        if (needed > limit) {
            throw new IllegalArgumentException(String.format(
                    "%,d agents with hub=%s need about %,d open descriptors in this JVM, but ulimit -n is %,d;"
                            + " use hub=launcher (the hub's sockets are then in its own process) or raise ulimit -n",
                    options.nodes(),
                    options.hub().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    needed,
                    limit));
        }
    }

    private List<EnrollmentResponse> enroll(final FleetApi api, final HubUnderTest hub) throws Exception {
        final int n = options.nodes();
        final CpuSample before = sample(hub.pid());
        final long started = System.nanoTime();
        final String token = api.createEnrollmentToken(n);
        final Semaphore inFlight = new Semaphore(options.enrollConcurrency());
        final List<CompletableFuture<EnrollmentResponse>> enrolled = new ArrayList<>(n);
        final int width = Math.max(5, Integer.toString(n).length());
        for (int i = 1; i <= n; i++) {
            enrolled.add(api.enroll(token, String.format("sim-%0" + width + "d", i), inFlight));
        }
        try {
            CompletableFuture.allOf(enrolled.toArray(CompletableFuture[]::new))
                    .get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("enrollment failed: " + e.getCause().getMessage(), e.getCause());
        } catch (final TimeoutException e) {
            throw new IllegalStateException(
                    "enrollment not done within " + options.timeout().toSeconds() + " s");
        }
        final long elapsed = System.nanoTime() - started;
        out.printf(
                "enroll: %,d nodes (POST /api/v1/enroll, %d in flight) in %.2f s = %,.0f/s; %s%n",
                n,
                options.enrollConcurrency(),
                seconds(elapsed),
                n / seconds(elapsed),
                before.until(sample(hub.pid())));
        return enrolled.stream().map(CompletableFuture::join).toList();
    }

    private void connect(final FleetApi api, final HubUnderTest hub, final SimulatedFleet fleet) throws Exception {
        final int n = options.nodes();
        final CpuSample before = sample(hub.pid());
        final long started = System.nanoTime();
        final SimulatedFleet.ConnectResult connected = fleet.connect(options.connectConcurrency(), options.timeout());
        if (connected.failed() > 0) {
            throw new IllegalStateException(connected.failed() + " of " + n + " agents did not connect within "
                    + options.timeout().toSeconds() + " s; see " + hub.log() + " for the broker's side; agents: "
                    + fleet.counters().summary());
        }
        final long deadline = System.nanoTime() + options.timeout().toNanos();
        long online = 0;
        while (System.nanoTime() < deadline) {
            online = api.nodes().stream().filter(FleetApi.NodeLine::online).count();
            if (online >= n) {
                break;
            }
            Thread.sleep(ONLINE_POLL.toMillis());
        }
        final long allOnline = System.nanoTime() - started;
        out.printf(
                "connect: %,d agents (CONNECT + birth + SUBACK, %d at a time) in %.2f s = %,.0f/s, %d failed;"
                        + " per agent %s%n",
                n,
                options.connectConcurrency(),
                seconds(connected.elapsedNanos()),
                n / seconds(connected.elapsedNanos()),
                connected.failed(),
                new Latencies(connected.perAgentNanos()).summary(n));
        out.printf(
                "  hub API shows %,d of %,d online %.2f s after the first CONNECT (polled every %d ms); %s%n",
                online, n, seconds(allOnline), ONLINE_POLL.toMillis(), before.until(sample(hub.pid())));
        if (online < n) {
            throw new IllegalStateException("only " + online + " of " + n + " nodes online at the hub");
        }
    }

    private void print(final int round, final FleetRound.Result result, final String cpu) {
        final int n = options.nodes();
        out.printf("round %d: one change (generation %d) to all %,d nodes%n", round, result.generation(), n);
        out.printf(
                "  %,d PUT …/desired (%d in flight): all answered %.2f s after the first was sent = %,.0f/s%n",
                n,
                options.putConcurrency(),
                seconds(result.lastPutAnsweredNanos()),
                n / seconds(result.lastPutAnsweredNanos()));
        if (result.allVisibleNanos() >= 0) {
            out.printf(
                    "  first PUT -> GET …/nodes shows all %,d observed: %.2f s (%d listings, %s, then back to back;"
                            + " slowest listing %.0f ms)%n",
                    n,
                    seconds(result.allVisibleNanos()),
                    result.polls(),
                    options.poll().isZero()
                            ? "none until the agents held every PUBACK"
                            : "every " + options.poll().toMillis() + " ms until the agents held every PUBACK",
                    result.slowestListNanos() / 1e6);
        } else {
            out.printf(
                    "  NOT CONVERGED within %d s: %,d of %,d observed; e.g. %s%n",
                    options.timeout().toSeconds(), result.converged(), n, result.notConverged());
        }
        out.printf(
                "  first PUT -> last report stored by the hub (its lastSeen stamp): %.2f s%n",
                seconds(result.lastStoredNanos()));
        out.printf(
                "  per node, PUT sent -> report stored at the hub (lastSeen, ms resolution): %s%n",
                new Latencies(result.storedNanos()).summary(n));
        out.printf(
                "  per node, PUT sent -> desired at the agent: %s%n",
                new Latencies(result.desiredAtAgentNanos()).summary(n));
        out.printf(
                "  per node, PUT sent -> report PUBACK at the agent: %s%n",
                new Latencies(result.reportAckedNanos()).summary(n));
        out.printf("  %s%n", cpu);
    }

    /**
     * What a dashboard's {@code GET …/nodes} costs with every node listed: wall time per listing, and the CPU of the
     * hub's store thread per listing (the hub builds the listing there, so PUTs and reports wait meanwhile).
     */
    private void listing(final FleetApi api, final HubUnderTest hub) {
        final long pid = hub.pid().orElse(self);
        final long storeBefore = meter.cpuNanosByThread(pid).getOrDefault(STORE_THREAD, 0L);
        final long started = System.nanoTime();
        for (int i = 0; i < LISTINGS; i++) {
            api.nodes();
        }
        final long elapsed = System.nanoTime() - started;
        final long store = meter.cpuNanosByThread(pid).getOrDefault(STORE_THREAD, 0L) - storeBefore;
        out.printf(
                "GET …/nodes listing all %,d nodes (%d back to back, fleet idle): %.0f ms each, of which the hub's"
                        + " store thread busy %.0f ms; load average %s%n",
                options.nodes(), LISTINGS, elapsed / 1e6 / LISTINGS, store / 1e6 / LISTINGS, meter.loadAverage());
    }

    private void memory(final HubUnderTest hub) {
        final MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        final long[] own = meter.residentKib(self);
        if (hub.pid().isPresent()) {
            final long pid = hub.pid().getAsLong();
            final long[] hubRss = meter.residentKib(pid);
            out.printf(
                    "hub memory with %,d agents connected: RSS %.0f MiB (peak %.0f MiB), heap %s; %,d open descriptors%n",
                    options.nodes(),
                    hubRss[0] / 1024.0,
                    hubRss[1] / 1024.0,
                    meter.heapOf(pid),
                    meter.openDescriptors(pid));
        } else {
            out.println("hub memory: in-process, see the load generator's (hub included)");
        }
        out.printf(
                "load generator memory: RSS %.0f MiB (peak %.0f MiB), heap used %d MiB of %d MiB committed"
                        + " (max %d MiB); %,d open descriptors%n",
                own[0] / 1024.0,
                own[1] / 1024.0,
                heap.getUsed() >> 20,
                heap.getCommitted() >> 20,
                heap.getMax() >> 20,
                meter.openDescriptors(self));
    }

    private CpuSample sample(final OptionalLong hub) {
        return new CpuSample(
                System.nanoTime(),
                hub.isPresent() ? meter.cpuNanos(hub.getAsLong()) : -1,
                meter.cpuNanos(self),
                meter.machineBusyNanos(),
                hub.isPresent() ? meter.cpuNanosByThread(hub.getAsLong()) : Map.of(),
                meter.cpuNanosByThread(self));
    }

    private static double seconds(final long nanos) {
        return nanos / 1e9;
    }

    /** CPU times at one moment, to subtract from a later one. */
    private final class CpuSample {
        private final long wall;
        private final long hub;
        private final long self;
        private final long machine;
        private final Map<String, Long> hubThreads;
        private final Map<String, Long> selfThreads;

        CpuSample(
                final long wall,
                final long hub,
                final long self,
                final long machine,
                final Map<String, Long> hubThreads,
                final Map<String, Long> selfThreads) {
            this.wall = wall;
            this.hub = hub;
            this.self = self;
            this.machine = machine;
            this.hubThreads = hubThreads;
            this.selfThreads = selfThreads;
        }

        /** The thread groups that used the most CPU between the two samples: "baton-store 0.41 s, …". */
        private static String busiest(final Map<String, Long> before, final Map<String, Long> after) {
            return after.entrySet().stream()
                    .map(entry -> Map.entry(entry.getKey(), entry.getValue() - before.getOrDefault(entry.getKey(), 0L)))
                    .filter(entry -> entry.getValue() >= TimeUnit.MILLISECONDS.toNanos(50))
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(BUSIEST_THREAD_GROUPS)
                    .map(entry -> String.format("%s %.2f s", entry.getKey(), seconds(entry.getValue())))
                    .collect(Collectors.joining(", "));
        }

        /** "CPU over 2.3 s: hub 1.2 s, load generator 0.8 s, others 0.1 s; load average …". */
        String until(final CpuSample later) {
            final double wallSeconds = seconds(later.wall - wall);
            final double selfSeconds = seconds(later.self - self);
            final double machineSeconds = seconds(later.machine - machine);
            final String others;
            final String split;
            if (hub >= 0) {
                final double hubSeconds = seconds(later.hub - hub);
                split = String.format("hub %.1f s, load generator %.1f s", hubSeconds, selfSeconds);
                others = String.format("%.1f s", Math.max(0, machineSeconds - hubSeconds - selfSeconds));
            } else {
                split = String.format("hub + load generator %.1f s", selfSeconds);
                others = String.format("%.1f s", Math.max(0, machineSeconds - selfSeconds));
            }
            final String threads = hub >= 0
                    ? String.format(
                            "%n    hub threads: %s%n    load generator threads: %s",
                            busiest(hubThreads, later.hubThreads), busiest(selfThreads, later.selfThreads))
                    : String.format("%n    threads: %s", busiest(selfThreads, later.selfThreads));
            return String.format(
                    "CPU over %.1f s wall: %s, rest of the machine %s; load average %s%s",
                    wallSeconds, split, others, meter.loadAverage(), threads);
        }
    }
}
