package dev.baton.agent.internal.discovery;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.discovery.DiscoveryConfig;
import dev.baton.adapters.api.discovery.DiscoveryEnvironment;
import dev.baton.adapters.api.discovery.DiscoveryException;
import dev.baton.adapters.api.discovery.DiscoveryHandler;
import dev.baton.adapters.api.discovery.DiscoveryHandlerFactory;
import dev.baton.adapters.api.discovery.DiscoveryListener;
import dev.baton.adapters.api.discovery.HostFactsSource;
import dev.baton.adapters.api.discovery.ScanContext;
import dev.baton.adapters.api.discovery.ScanResult;
import dev.baton.agent.internal.outbox.NodeReporter;
import dev.baton.agent.internal.reconcile.DesiredSection;
import dev.baton.protocol.DesiredDocument;
import dev.baton.protocol.ProtocolException;
import dev.baton.protocol.Severity;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the node's discovery handlers as the desired document's {@code discovery} section says: validates each
 * handler's configuration before a document is accepted, scans each enabled handler on its interval (and soon after
 * a Hello), hands the results to the {@link InventoryTracker}, and collects host facts.
 *
 * <p>Threading: scans run on a small pool "baton-discovery-{node}", never two scans of one handler at once (a
 * per-handler lock); a scan that finds its handler busy is skipped, since the running one reports the same world.
 * Configuration changes are serialised on the pool too. Public methods return at once.
 */
public final class DiscoveryScheduler implements DesiredSection, DiscoveryListener, AutoCloseable {

    public static final String EVENT_PROBLEM = "discovery.problem";
    public static final String EVENT_FAILED = "discovery.failed";

    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryScheduler.class);
    private static final Duration RESCAN_DELAY = Duration.ofMillis(500);
    private static final Duration HOST_FACTS_INTERVAL = Duration.ofMinutes(10);
    private static final int MAX_PROBLEM_EVENTS_PER_SCAN = 10;

    private final String node;
    private final Map<String, Slot> slots = new TreeMap<>();
    private final InventoryTracker tracker;
    private final NodeReporter reporter;
    private final List<HostFactsSource> hostFacts;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor pool;
    private final Object configuring = new Object();

    /** One handler and its schedule. */
    private static final class Slot {
        final DiscoveryHandler handler;
        final ReentrantLock scanning = new ReentrantLock();
        // Guarded by DiscoveryScheduler.configuring.
        @Nullable
        DiscoveryConfig config;

        @Nullable
        ScheduledFuture<?> periodic;
        // Guarded by scanning.
        Set<String> lastProblems = Set.of();

        @Nullable
        String lastFailure;

        volatile boolean rescanQueued;

        Slot(final DiscoveryHandler handler) {
            this.handler = handler;
        }
    }

    private DiscoveryScheduler(
            final String node,
            final InventoryTracker tracker,
            final NodeReporter reporter,
            final List<HostFactsSource> hostFacts,
            final Clock clock,
            final int threads) {
        this.node = node;
        this.tracker = tracker;
        this.reporter = reporter;
        this.hostFacts = List.copyOf(hostFacts);
        this.clock = clock;
        final AtomicInteger count = new AtomicInteger();
        this.pool = new ScheduledThreadPoolExecutor(threads, runnable -> {
            final Thread thread = new Thread(runnable, "baton-discovery-" + node + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        pool.setRemoveOnCancelPolicy(true);
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** The handler factories and host-facts sources {@link ServiceLoader} finds on the class path. */
    public static @NotNull List<DiscoveryHandlerFactory> discoverHandlers() {
        final List<DiscoveryHandlerFactory> factories = new ArrayList<>();
        ServiceLoader.load(DiscoveryHandlerFactory.class).forEach(factories::add);
        return factories;
    }

    public static @NotNull List<HostFactsSource> discoverHostFacts() {
        final List<HostFactsSource> sources = new ArrayList<>();
        ServiceLoader.load(HostFactsSource.class).forEach(sources::add);
        return sources;
    }

    /**
     * Creates one handler per factory and starts collecting host facts; scans start when a document configures
     * them.
     *
     * @throws IllegalStateException when two factories claim one name
     */
    public static @NotNull DiscoveryScheduler start(
            final @NotNull String node,
            final @NotNull List<DiscoveryHandlerFactory> factories,
            final @NotNull List<HostFactsSource> hostFacts,
            final @NotNull Path secretsDirectory,
            final @NotNull ScheduledExecutorService sharedScheduler,
            final @NotNull InventoryTracker tracker,
            final @NotNull NodeReporter reporter,
            final @NotNull Clock clock) {
        final DiscoveryScheduler scheduler = new DiscoveryScheduler(
                node, tracker, reporter, hostFacts, clock, Math.max(1, Math.min(3, factories.size())));
        final DiscoveryEnvironment environment = new DiscoveryEnvironment(secretsDirectory, sharedScheduler, scheduler);
        try {
            for (final DiscoveryHandlerFactory factory : factories) {
                if (scheduler.slots.containsKey(factory.name())) {
                    throw new IllegalStateException("two discovery handlers claim the name '" + factory.name() + "'; "
                            + "remove one of them from the agent's class path");
                }
                scheduler.slots.put(factory.name(), new Slot(factory.create(environment)));
            }
        } catch (final RuntimeException e) {
            scheduler.close();
            throw e;
        }
        LOG.info(
                "discovery handlers: {}",
                scheduler.slots.isEmpty() ? "none" : String.join(", ", scheduler.slots.keySet()));
        scheduler.pool.execute(scheduler::collectHostFacts);
        scheduler.pool.scheduleWithFixedDelay(
                scheduler::collectHostFacts,
                HOST_FACTS_INTERVAL.toMillis(),
                HOST_FACTS_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        return scheduler;
    }

    // ---- DesiredSection ----------------------------------------------------------------------------------------

    @Override
    public @NotNull List<String> problems(final @NotNull DesiredDocument document) {
        final List<String> problems = new ArrayList<>();
        document.discovery().forEach((name, json) -> {
            final Slot slot = slots.get(name);
            if (slot == null) {
                problems.add("discovery handler '" + name + "' is not available on this node (handlers here: "
                        + (slots.isEmpty() ? "none" : String.join(", ", slots.keySet())) + ")");
                return;
            }
            try {
                slot.handler.validate(DiscoveryConfig.of(name, json));
            } catch (final DiscoveryException | ProtocolException e) {
                problems.add(e.getMessage());
            } catch (final RuntimeException e) {
                LOG.error("the {} discovery handler failed to validate its configuration", name, e);
                problems.add("discovery." + name + ": the handler failed to validate it: " + e);
            }
        });
        return problems;
    }

    @Override
    public void accepted(final @NotNull DesiredDocument document) {
        final Map<String, ObjectNode> discovery = document.discovery();
        submit(() -> configure(discovery));
    }

    // ---- DiscoveryListener -------------------------------------------------------------------------------------

    @Override
    public void rescan(final @NotNull String handler) {
        final Slot slot = slots.get(handler);
        if (slot == null || slot.rescanQueued) {
            return;
        }
        slot.rescanQueued = true;
        try {
            pool.schedule(
                    () -> {
                        slot.rescanQueued = false;
                        scan(handler, slot);
                    },
                    RESCAN_DELAY.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (final java.util.concurrent.RejectedExecutionException e) {
            slot.rescanQueued = false; // shutting down
        }
    }

    @Override
    public void departed(final @NotNull String handler, final @NotNull String deviceId) {
        submit(() -> tracker.depart(handler, deviceId));
    }

    // ---- link and commands -------------------------------------------------------------------------------------

    /** Sends a snapshot of the inventory with fresh host facts, e.g. after every connect or when the hub asks. */
    public void snapshotNow() {
        submit(() -> {
            collectHostFacts();
            tracker.snapshot();
        });
    }

    /** Stops every scan and handler. Devices stay in the store for the next start. */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("a discovery scan did not stop within 5 s");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        slots.forEach((name, slot) -> {
            try {
                slot.handler.close();
            } catch (final RuntimeException e) {
                LOG.warn("closing the {} discovery handler failed: {}", name, e.toString());
            }
        });
    }

    // ---- discovery threads -------------------------------------------------------------------------------------

    private void configure(final Map<String, ObjectNode> discovery) {
        synchronized (configuring) {
            final Set<String> configured = new HashSet<>();
            discovery.forEach((name, json) -> {
                final Slot slot = slots.get(name);
                if (slot == null) {
                    return; // refused by problems(); a stored document from an agent with more handlers
                }
                configured.add(name);
                final DiscoveryConfig config;
                try {
                    config = DiscoveryConfig.of(name, json);
                    slot.handler.validate(config);
                } catch (final RuntimeException e) {
                    LOG.warn("not starting discovery with {}: {}", name, e.getMessage());
                    stop(name, slot);
                    return;
                }
                if (config.equals(slot.config)) {
                    return;
                }
                if (!config.settings().enabled()) {
                    stop(name, slot);
                    slot.config = config;
                    return;
                }
                cancel(slot);
                slot.config = config;
                try {
                    slot.handler.configure(config);
                } catch (final RuntimeException e) {
                    LOG.error("the {} discovery handler failed to take its configuration", name, e);
                    reporter.event(
                            EVENT_FAILED,
                            Severity.ERROR,
                            null,
                            "discovery with " + name + " could not start: " + e.getMessage());
                }
                final long interval = config.settings().interval().toMillis();
                slot.periodic = pool.scheduleWithFixedDelay(() -> scan(name, slot), 0, interval, TimeUnit.MILLISECONDS);
                LOG.info("discovery with {} every {}", name, config.settings().interval());
            });
            slots.forEach((name, slot) -> {
                if (!configured.contains(name) && slot.config != null) {
                    stop(name, slot);
                    slot.config = null;
                }
            });
        }
    }

    private void stop(final String name, final Slot slot) {
        cancel(slot);
        if (slot.config != null && slot.config.settings().enabled()) {
            try {
                slot.handler.configure(DiscoveryConfig.of(
                        name, JsonNodeFactory.instance.objectNode().put("enabled", false)));
            } catch (final RuntimeException e) {
                LOG.warn("stopping the {} discovery handler failed: {}", name, e.toString());
            }
            LOG.info("discovery with {} stopped", name);
        }
        tracker.retire(name);
    }

    private static void cancel(final Slot slot) {
        if (slot.periodic != null) {
            slot.periodic.cancel(false);
            slot.periodic = null;
        }
    }

    private void scan(final String name, final Slot slot) {
        final DiscoveryConfig config;
        synchronized (configuring) {
            config = slot.config;
        }
        if (config == null || !config.settings().enabled() || !slot.scanning.tryLock()) {
            return;
        }
        try {
            final ScanResult result = slot.handler.scan(
                    config,
                    new ScanContext(clock.instant().plus(config.settings().timeout())));
            synchronized (configuring) {
                if (slot.config != config) {
                    return; // reconfigured (or stopped) during the scan: its result follows old settings
                }
                tracker.applyScan(name, config.settings(), result.devices());
            }
            problems(name, slot, result.problems());
            slot.lastFailure = null;
        } catch (final DiscoveryException e) {
            failed(name, slot, e.getMessage(), null);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException e) {
            failed(name, slot, "the " + name + " handler failed: " + e, e);
        } finally {
            slot.scanning.unlock();
        }
    }

    private void problems(final String name, final Slot slot, final List<String> problems) {
        final Set<String> now = new HashSet<>(problems);
        int reported = 0;
        for (final String problem : problems) {
            if (!slot.lastProblems.contains(problem) && reported++ < MAX_PROBLEM_EVENTS_PER_SCAN) {
                LOG.warn("discovery with {}: {}", name, problem);
                reporter.event(EVENT_PROBLEM, Severity.WARNING, null, "discovery with " + name + ": " + problem);
            }
        }
        slot.lastProblems = Set.copyOf(now);
    }

    private void failed(final String name, final Slot slot, final String message, final @Nullable Exception e) {
        if (message.equals(slot.lastFailure)) {
            LOG.debug("discovery with {} failed again: {}", name, message);
            return;
        }
        slot.lastFailure = message;
        if (e == null) {
            LOG.warn("discovery with {} failed: {}", name, message);
        } else {
            LOG.error("discovery with {} failed", name, e);
        }
        reporter.event(EVENT_FAILED, Severity.ERROR, null, "discovery with " + name + " failed: " + message);
    }

    private void collectHostFacts() {
        if (hostFacts.isEmpty()) {
            return;
        }
        final ObjectNode facts = JsonNodeFactory.instance.objectNode();
        for (final HostFactsSource source : hostFacts) {
            try {
                facts.setAll(source.collect());
            } catch (final RuntimeException e) {
                LOG.warn(
                        "collecting host facts with {} failed: {}",
                        source.getClass().getSimpleName(),
                        e.toString());
            }
        }
        tracker.hostFacts(facts);
    }

    private void submit(final Runnable task) {
        try {
            pool.execute(() -> {
                try {
                    task.run();
                } catch (final RuntimeException e) {
                    LOG.error("discovery task on node {} failed", node, e);
                }
            });
        } catch (final java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("discovery is stopping; dropped a task");
        }
    }
}
