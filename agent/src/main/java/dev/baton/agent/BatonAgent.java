package dev.baton.agent;

import dev.baton.adapters.api.ComponentProviderFactory;
import dev.baton.agent.internal.artifact.HubArtifactSource;
import dev.baton.agent.internal.command.CommandHandler;
import dev.baton.agent.internal.discovery.DiscoveryScheduler;
import dev.baton.agent.internal.discovery.InventoryTracker;
import dev.baton.agent.internal.link.LinkListener;
import dev.baton.agent.internal.link.MqttLink;
import dev.baton.agent.internal.outbox.NodeReporter;
import dev.baton.agent.internal.outbox.OutboxBounds;
import dev.baton.agent.internal.outbox.OutboxPublisher;
import dev.baton.agent.internal.outbox.OutboxStore;
import dev.baton.agent.internal.reconcile.ProviderRegistry;
import dev.baton.agent.internal.reconcile.ProviderServices;
import dev.baton.agent.internal.reconcile.Reconciler;
import dev.baton.agent.internal.reconcile.ReconcilerSettings;
import dev.baton.agent.internal.store.AgentDatabase;
import dev.baton.agent.internal.store.StateStore;
import dev.baton.protocol.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Baton agent: it reconciles the node's desired state from its local store at once (also without a
 * connection), connects to the hub's broker, receives desired documents and commands, and sends reports and events
 * through its durable outbox.
 *
 * <p>Threads: "baton-reconciler-{node}" owns desired and applied state and calls the providers;
 * "baton-outbox-{node}" drains the outbox; "baton-scheduler-{node}" is the shared scheduler handed to providers (and
 * used for small timers); these are daemon threads. The MQTT client adds one Netty event-loop thread, which is not a
 * daemon thread: {@link #close()} cancels any pending reconnect so that it ends.
 *
 * <p>Several agents may run in one JVM, each on its own data directory. Typical use in a test:
 *
 * <pre>{@code
 * AgentConfig config = AgentConfig.builder()
 *         .dataDirectory(dir).tenant("default").node("edge-1")
 *         .mqttServerUri("tcp://127.0.0.1:1883").mqttPassword("secret")
 *         .build();
 * try (BatonAgent agent = BatonAgent.start(config)) {
 *     agent.awaitConnected(Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class BatonAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatonAgent.class);
    private static final String LOCK_FILE = "agent.lock";
    private static final String DATABASE_FILE = "agent.db";
    /** Verified artifacts (service archives, firmware images) by SHA-256, under the data directory. */
    private static final String ARTIFACT_CACHE = "artifacts";
    /** The largest artifact an agent downloads: a firmware image or a service archive, not a disk image. */
    private static final long MAX_ARTIFACT_BYTES = 4L << 30;
    /** A download that receives nothing for this long is cut and resumed at the next attempt. */
    private static final Duration ARTIFACT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final AgentConfig config;
    private final String bootId;
    private final Deque<AutoCloseable> closeInReverse;
    private final Reconciler reconciler;
    private final MqttLink link;
    private final AtomicBoolean closed = new AtomicBoolean();

    private BatonAgent(
            final AgentConfig config,
            final String bootId,
            final Deque<AutoCloseable> closeInReverse,
            final Reconciler reconciler,
            final MqttLink link) {
        this.config = config;
        this.bootId = bootId;
        this.closeInReverse = closeInReverse;
        this.reconciler = reconciler;
        this.link = link;
    }

    /**
     * Starts an agent and returns without waiting for the connection. The stored desired document is reconciled at
     * once.
     *
     * @throws IllegalStateException when another agent runs on the same data directory, or two providers claim one
     *     kind
     * @throws dev.baton.agent.internal.store.StoreException when the store cannot be opened
     */
    public static @NotNull BatonAgent start(final @NotNull AgentConfig config) {
        final String bootId = UUID.randomUUID().toString();
        final Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            return start(config, bootId, resources);
        } catch (final RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    private static BatonAgent start(
            final AgentConfig config, final String bootId, final Deque<AutoCloseable> resources) {
        final Path data = config.dataDirectory();
        createDirectories(data);
        resources.push(lock(data));

        final MessageCodec codec = new MessageCodec();
        final Clock clock = Clock.systemUTC();
        final AgentDatabase database = AgentDatabase.open(data.resolve(DATABASE_FILE));
        resources.push(database);
        final OutboxStore outbox =
                new OutboxStore(database, new OutboxBounds(config.outboxMaxBytes(), config.outboxMaxAge()), clock);

        final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            final Thread thread = new Thread(runnable, "baton-scheduler-" + config.node());
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        resources.push(scheduler::shutdownNow);

        final List<ComponentProviderFactory> factories =
                config.providerFactories().orElseGet(ProviderRegistry::discover);
        final ProviderRegistry providers = ProviderRegistry.create(factories, scheduler);
        resources.push(providers);

        final NodeReporter reporter = new NodeReporter(outbox, codec, bootId, clock);
        final InventoryTracker inventory = new InventoryTracker(database, codec, reporter, clock);
        final DiscoveryScheduler discovery = DiscoveryScheduler.start(
                config.node(),
                config.discoveryHandlerFactories().orElseGet(DiscoveryScheduler::discoverHandlers),
                DiscoveryScheduler.discoverHostFacts(),
                data.resolve("secrets"),
                scheduler,
                inventory,
                reporter,
                clock);
        resources.push(discovery);

        final Reconciler reconciler = new Reconciler(
                new ReconcilerSettings(
                        config.tenant(),
                        config.node(),
                        data.resolve("state").resolve("components"),
                        config.retryBackoff(),
                        config.reconcileInterval().orElse(null)),
                new StateStore(database, codec),
                reporter,
                providers,
                new ProviderServices(
                        new HubArtifactSource(
                                config.hubUrl().orElse(null),
                                config.tenant(),
                                config.mqttUsername(),
                                config.mqttPassword(),
                                data.resolve(ARTIFACT_CACHE),
                                MAX_ARTIFACT_BYTES,
                                ARTIFACT_IDLE_TIMEOUT,
                                scheduler),
                        inventory::devices,
                        data.resolve("secrets")),
                discovery,
                codec,
                clock);
        resources.push(reconciler);
        reconciler.start();

        final Wiring wiring = new Wiring(reconciler, discovery);
        final MqttLink link =
                new MqttLink(config, bootId, agentVersion(), reconciler::observedGeneration, wiring, scheduler, codec);
        final OutboxPublisher publisher = new OutboxPublisher(outbox, link, config.node());
        wiring.publisher = publisher;
        wiring.commands = new CommandHandler(codec, reconciler, discovery, link, clock);
        resources.push(publisher);
        publisher.start();
        resources.push(link);
        link.start();

        LOG.info(
                "agent {}/{} started (boot {}, data {}, version {})",
                config.tenant(),
                config.node(),
                bootId,
                data,
                agentVersion());
        return new BatonAgent(config, bootId, resources, reconciler, link);
    }

    /** Routes link callbacks to the reconciler, the publisher and the command handler. */
    private static final class Wiring implements LinkListener {
        private final Reconciler reconciler;
        private final DiscoveryScheduler discovery;
        private volatile OutboxPublisher publisher;
        private volatile CommandHandler commands;

        Wiring(final Reconciler reconciler, final DiscoveryScheduler discovery) {
            this.reconciler = reconciler;
            this.discovery = discovery;
        }

        @Override
        public void onConnected() {
            reconciler.reportNow();
            discovery.snapshotNow();
            publisher.wake();
        }

        @Override
        public void onDisconnected() {
            publisher.wake();
        }

        @Override
        public void onDesired(final byte @NotNull [] payload) {
            reconciler.offerDesired(payload);
        }

        @Override
        public void onCommandRequest(final byte @NotNull [] payload) {
            commands.onRequest(payload);
        }
    }

    public @NotNull AgentConfig config() {
        return config;
    }

    public @NotNull String tenant() {
        return config.tenant();
    }

    public @NotNull String node() {
        return config.node();
    }

    /** A random identifier of this process start, carried by birth, will, reports and events. */
    public @NotNull String bootId() {
        return bootId;
    }

    public @NotNull ConnectionState connectionState() {
        return link.state();
    }

    /**
     * Waits until the agent is connected, has published its birth and has subscribed.
     *
     * @return false when the timeout passed first, or the agent was closed
     */
    public boolean awaitConnected(final @NotNull Duration timeout) throws InterruptedException {
        return link.awaitConnected(timeout);
    }

    /** The generation of the last desired document the agent accepted and worked through; 0 before the first. */
    public long observedGeneration() {
        return reconciler.observedGeneration();
    }

    /**
     * Stops the agent: publishes an offline status, disconnects, stops its threads, closes the providers (which
     * leave their processes running for the next agent to adopt) and the store. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("stopping agent {}/{}", config.tenant(), config.node());
        closeAll(closeInReverse);
    }

    /** The version in the jar's manifest, or "dev" when running from classes. */
    static @NotNull String agentVersion() {
        final String version = BatonAgent.class.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? "dev" : version;
    }

    private static void closeAll(final Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            final AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (final Exception e) {
                LOG.warn("stopping {} failed: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }

    private static void createDirectories(final Path data) {
        try {
            Files.createDirectories(data.resolve("state").resolve("components"));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + data + ": " + e, e);
        }
    }

    /** One agent per data directory: two would fight over the store and the node's MQTT session. */
    private static AutoCloseable lock(final Path data) {
        final Path file = data.resolve(LOCK_FILE);
        final FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e, e);
        }
        final FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (final IOException | OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new IllegalStateException("another agent is running on data directory " + data, e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new IllegalStateException("another agent is running on data directory " + data);
        }
        return () -> {
            lock.release();
            channel.close();
        };
    }

    private static void closeQuietly(final FileChannel channel) {
        try {
            channel.close();
        } catch (final IOException e) {
            LOG.debug("closing the lock file failed", e);
        }
    }
}
