package dev.baton.hub.internal;

import dev.baton.hub.BatonHub;
import dev.baton.hub.HubConfig;
import dev.baton.hub.HubStartException;
import dev.baton.hub.internal.api.ApiServer;
import dev.baton.hub.internal.api.HubHealth;
import dev.baton.hub.internal.broker.EmbeddedBroker;
import dev.baton.hub.internal.desired.DesiredStateService;
import dev.baton.hub.internal.desired.ReportSignals;
import dev.baton.hub.internal.enroll.EnrollmentService;
import dev.baton.hub.internal.mqtt.CommandPublisher;
import dev.baton.hub.internal.mqtt.DesiredPublisher;
import dev.baton.hub.internal.mqtt.HubMqttLink;
import dev.baton.hub.internal.mqtt.MqttEndpoint;
import dev.baton.hub.internal.mqtt.NodeMessageIngest;
import dev.baton.hub.internal.security.AdminTokenFile;
import dev.baton.hub.internal.security.ApiTokens;
import dev.baton.hub.internal.security.HubIdentity;
import dev.baton.hub.internal.security.SecretTokens;
import dev.baton.hub.internal.store.ArtifactTable;
import dev.baton.hub.internal.store.DeviceStore;
import dev.baton.hub.internal.store.HubStore;
import dev.baton.hub.internal.store.StoreException;
import dev.baton.protocol.MessageCodec;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the hub together and owns its parts: data directory, store, embedded broker, MQTT link, Vert.x and the REST
 * API. Parts start in that order and stop in the reverse one, so nothing runs against a closed dependency; a part
 * that fails to start closes the ones before it.
 *
 * <p>Threading: {@link #start} and {@link #close} block; call them from an ordinary thread, never an event loop.
 */
public final class HubRuntime implements BatonHub {

    private static final Logger log = LoggerFactory.getLogger(HubRuntime.class);
    private static final Duration MQTT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final long VERTX_CLOSE_TIMEOUT_SECONDS = 30;
    private static final String ADMIN_TOKEN_ID = "admin";

    private final HubConfig config;
    private final Deque<Part> parts;
    private final ApiServer api;
    private final HubHealth health;
    private final String adminToken;
    private final int mqttPort;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A started part and how to stop it. */
    private record Part(String name, AutoCloseable closer) {}

    private HubRuntime(final Startup startup) {
        this.config = startup.config;
        this.parts = startup.parts;
        this.api = startup.api;
        this.health = startup.health;
        this.adminToken = startup.adminToken;
        this.mqttPort = startup.mqttPort;
    }

    /** See {@link BatonHub#start}. */
    public static @NotNull BatonHub start(final @NotNull HubConfig config) {
        final Startup startup = new Startup(config);
        try {
            startup.run();
        } catch (final RuntimeException e) {
            log.error("the hub did not start: {}", e.getMessage());
            closeAll(startup.parts);
            throw e;
        }
        final HubRuntime hub = new HubRuntime(startup);
        hub.awaitHealthy();
        return hub;
    }

    @Override
    public @NotNull HubConfig config() {
        return config;
    }

    @Override
    public int httpPort() {
        return api.port();
    }

    @Override
    public int mqttPort() {
        return mqttPort;
    }

    @Override
    public @NotNull String adminToken() {
        return adminToken;
    }

    @Override
    public boolean isHealthy() {
        return health.healthy();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        final long stopping = System.nanoTime();
        log.info("stopping the hub");
        closeAll(parts);
        log.info("hub stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));
    }

    private static Map<String, Boolean> healthChecks(
            final HubStore store, final @Nullable EmbeddedBroker broker, final HubMqttLink link) {
        final Map<String, Boolean> checks = new LinkedHashMap<>();
        checks.put("store", store.isOpen());
        if (broker != null) {
            checks.put("broker", broker.isRunning());
        }
        checks.put("mqtt", link.isConnected());
        return checks;
    }

    private void awaitHealthy() {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!isHealthy()) {
            if (System.nanoTime() > deadline) {
                final Map<String, Boolean> checks = health.checks();
                close();
                throw new HubStartException(
                        HubStartException.Reason.MQTT_UNAVAILABLE, "the hub started but is not healthy: " + checks);
            }
            try {
                Thread.sleep(20);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new HubStartException(HubStartException.Reason.INTERRUPTED, "interrupted while starting", e);
            }
        }
    }

    private static void closeAll(final Deque<Part> parts) {
        while (!parts.isEmpty()) {
            final Part part = parts.pop();
            try {
                part.closer().close();
            } catch (final Exception e) {
                log.warn("stopping {} failed: {}", part.name(), e.toString());
            }
        }
    }

    /** The start sequence; {@code parts} collects what must be stopped again, newest first. */
    private static final class Startup {

        private final HubConfig config;
        private final Deque<Part> parts = new ArrayDeque<>();
        private final Clock clock = Clock.systemUTC();
        private final MessageCodec codec = new MessageCodec();
        private HubStore store;
        private @Nullable EmbeddedBroker broker;
        private HubMqttLink link;
        private ApiServer api;
        private HubHealth health;
        private String adminToken;
        private int mqttPort;

        Startup(final HubConfig config) {
            this.config = config;
        }

        void run() {
            final long started = System.nanoTime();
            if (config.httpPort() != 0) {
                ListenPorts.checkFree(config.httpHost(), config.httpPort(), "HTTP");
            }
            final DataDirectory directory = DataDirectory.open(config.dataDir());
            parts.push(new Part("data directory lock", directory));

            long step = System.nanoTime();
            store = openStore(directory);
            parts.push(new Part("store", store));
            adminToken = adminToken(directory);
            final ApiTokens tokens = new ApiTokens(store.listApiTokens().join());
            final long storeMillis = millisSince(step);

            step = System.nanoTime();
            final MqttEndpoint endpoint;
            if (config.externalMqttUri().isEmpty()) {
                final HubIdentity identity = HubIdentity.forEmbeddedBroker(directory.instanceId());
                broker = EmbeddedBroker.start(
                        directory.brokerFolder(),
                        config.mqttHost(),
                        config.mqttPort(),
                        identity,
                        store::findCredentialHash);
                parts.push(new Part("embedded MQTT broker", broker));
                mqttPort = broker.port();
                endpoint = new MqttEndpoint(
                        loopbackFor(config.mqttHost()),
                        mqttPort,
                        identity.clientId(),
                        identity.username(),
                        identity.password());
            } else {
                final URI uri = config.externalMqttUri().get();
                mqttPort = uri.getPort();
                endpoint = new MqttEndpoint(
                        HostNames.unbracket(uri.getHost()),
                        mqttPort,
                        HubIdentity.clientIdFor(directory.instanceId()),
                        config.externalMqttUsername().orElse(null),
                        config.externalMqttPassword().orElse(null));
            }
            final long brokerMillis = millisSince(step);

            step = System.nanoTime();
            // Hubs sharing a database share the ingest too: one that stops hands its share to the others at once.
            // A hub with its own embedded broker is that broker's only subscriber: no group to share.
            link = new HubMqttLink(
                    endpoint,
                    config.externalMqttUri().isPresent() ? config.sharedSubscriptionGroup() : null,
                    config.databaseUrl().isPresent()
                            ? HubMqttLink.SessionAfterClose.END
                            : HubMqttLink.SessionAfterClose.KEEP);
            parts.push(new Part("hub MQTT client", link));
            final DesiredPublisher publisher = new DesiredPublisher(link);
            final DeviceStore devices = new DeviceStore(store, codec);
            final ReportSignals reportSignals = new ReportSignals();
            link.start(
                    new NodeMessageIngest(
                            store, devices, codec, publisher, new CommandPublisher(link, codec, clock), reportSignals),
                    MQTT_CONNECT_TIMEOUT);
            final long mqttMillis = millisSince(step);

            step = System.nanoTime();
            final Vertx vertx = Vertx.vertx();
            parts.push(new Part("Vert.x", () -> vertx.close()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(VERTX_CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)));
            final HubStore openStore = store;
            final EmbeddedBroker startedBroker = broker;
            final HubMqttLink connectedLink = link;
            health = () -> healthChecks(openStore, startedBroker, connectedLink);
            final int port = mqttPort;
            api = ApiServer.start(
                    vertx,
                    config.httpHost(),
                    config.httpPort(),
                    new ApiServer.Dependencies(
                            store,
                            devices,
                            new ArtifactTable(store),
                            config.artifactDir(),
                            config.maxArtifactBytes(),
                            codec,
                            store.listTenants().join(),
                            tokens,
                            "the admin token is in " + directory.adminTokenFile(),
                            new EnrollmentService(store, clock),
                            new DesiredStateService(store, codec, publisher),
                            reportSignals,
                            health,
                            config.mqttAdvertisedUri()
                                    .or(config::externalMqttUri)
                                    .orElse(null),
                            () -> port));
            parts.push(new Part("REST API", api));
            final long httpMillis = millisSince(step);

            log.info(
                    "hub started in {} ms (store {} ms, broker {} ms, MQTT client {} ms, REST API {} ms): http port {},"
                            + " mqtt port {}, data {}, database {}, artifacts {}",
                    millisSince(started),
                    storeMillis,
                    brokerMillis,
                    mqttMillis,
                    httpMillis,
                    api.port(),
                    mqttPort,
                    config.dataDir(),
                    store.database(),
                    config.artifactDir());
        }

        private HubStore openStore(final DataDirectory directory) {
            try {
                if (config.databaseUrl().isPresent()) {
                    return HubStore.openPostgres(
                            config.databaseUrl().get(),
                            config.databasePassword().orElse(null),
                            clock);
                }
                return HubStore.openSqlite(directory.database(), clock);
            } catch (final StoreException e) {
                throw new HubStartException(HubStartException.Reason.STORE_UNUSABLE, e.getMessage(), e);
            }
        }

        private String adminToken(final DataDirectory directory) {
            try {
                return config.databaseUrl().isPresent() ? sharedAdminToken(directory) : ownAdminToken(directory);
            } catch (final UncheckedIOException e) {
                throw new HubStartException(HubStartException.Reason.DATA_DIR_UNUSABLE, e.getMessage(), e);
            } catch (final ExecutionException | TimeoutException e) {
                throw new HubStartException(
                        HubStartException.Reason.STORE_UNUSABLE, "cannot store the admin token's hash: " + e, e);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HubStartException(HubStartException.Reason.INTERRUPTED, "interrupted", e);
            }
        }

        /** SQLite: the store is this hub's alone, and {@code admin.token} is the admin token. */
        private String ownAdminToken(final DataDirectory directory)
                throws ExecutionException, TimeoutException, InterruptedException {
            final String token = AdminTokenFile.loadOrCreate(directory.adminTokenFile());
            store.putApiToken(ADMIN_TOKEN_ID, null, SecretTokens.sha256Hex(token))
                    .get(30, TimeUnit.SECONDS);
            return token;
        }

        /**
         * PostgreSQL: the database may be shared with other hubs, and all of them take one admin token, the one
         * the first hub made. A hub whose {@code admin.token} is missing or differs refuses to start rather than
         * make a second one, which would lock the first hub's users out.
         */
        private String sharedAdminToken(final DataDirectory directory)
                throws ExecutionException, TimeoutException, InterruptedException {
            final Path file = directory.adminTokenFile();
            final boolean existed = Files.exists(file);
            final String token = AdminTokenFile.loadOrCreate(file);
            final String hash = SecretTokens.sha256Hex(token);
            final String stored =
                    store.claimApiToken(ADMIN_TOKEN_ID, null, hash).get(30, TimeUnit.SECONDS);
            if (!stored.equals(hash)) {
                if (!existed) {
                    // The token just made is of no use: leave no file that looks like this hub's admin token.
                    deleteQuietly(file);
                }
                throw adminTokenMismatch(file, existed ? "holds a different token" : "does not exist");
            }
            return token;
        }

        private HubStartException adminTokenMismatch(final Path file, final String what) {
            return new HubStartException(
                    HubStartException.Reason.ADMIN_TOKEN_MISMATCH,
                    "the database " + store.database() + " is shared with another hub, which made its admin token;"
                            + " this hub's " + file + " " + what + ". Copy admin.token from the data directory of a"
                            + " hub already using this database to " + file + " (mode 0600), then start again.");
        }

        private static void deleteQuietly(final Path file) {
            try {
                Files.deleteIfExists(file);
            } catch (final IOException e) {
                log.warn("cannot delete {}: {}", file, e.toString());
            }
        }

        /** Where the hub reaches a broker listening on {@code host}: loopback for a wildcard address. */
        private static String loopbackFor(final String host) {
            return switch (host) {
                case "0.0.0.0" -> "127.0.0.1";
                case "::", "[::]" -> "::1";
                default -> HostNames.unbracket(host);
            };
        }

        private static long millisSince(final long nanos) {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
        }
    }
}
