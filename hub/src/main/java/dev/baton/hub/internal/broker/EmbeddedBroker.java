package dev.baton.hub.internal.broker;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import dev.baton.hub.HubStartException;
import dev.baton.hub.internal.ListenPorts;
import dev.baton.hub.internal.security.HubIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's default MQTT broker: HiveMQ CE embedded, with {@link BrokerSecurityExtension} for identity and topic
 * rules. Its folders live under {@code <dataDir>/broker/}; the configuration is written anew at each start.
 *
 * <p>Persistence is in memory on purpose: correctness rests on generations and re-sync at every connect (see
 * docs/protocol.md), not on the broker keeping retained messages or sessions across restarts.
 *
 * <p>Threading: {@link #start} and {@link #close} block and must not run on an event loop.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long STOP_TIMEOUT_SECONDS = 30;
    // A desired document may be 1 MiB; a packet above twice that is never ours.
    private static final int MAX_PACKET_BYTES = 2 * 1024 * 1024;

    private final EmbeddedHiveMQ hiveMq;
    private final int port;
    private volatile boolean running;

    private EmbeddedBroker(final EmbeddedHiveMQ hiveMq, final int port) {
        this.hiveMq = hiveMq;
        this.port = port;
    }

    /**
     * Starts the broker and returns once it accepts connections.
     *
     * @param folder the broker's folder, {@code <dataDir>/broker}
     * @param port 0 picks a free port
     * @throws HubStartException when the port is taken or the broker fails to start
     */
    public static @NotNull EmbeddedBroker start(
            final @NotNull Path folder,
            final @NotNull String host,
            final int port,
            final @NotNull HubIdentity hub,
            final @NotNull CredentialLookup credentials) {
        final long started = System.nanoTime();
        final int listenPort = port == 0 ? ListenPorts.pickFree(host) : port;
        // HiveMQ logs a failed bind and carries on with its other listeners; we have one, so check first and fail
        // with a message that says what to do.
        ListenPorts.checkFree(host, listenPort, "MQTT");
        final Path config = folder.resolve("conf");
        final Path data = folder.resolve("data");
        final Path extensions = folder.resolve("extensions");
        try {
            Files.createDirectories(config);
            Files.createDirectories(data);
            Files.createDirectories(extensions);
            Files.writeString(config.resolve("config.xml"), configXml(host, listenPort), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new HubStartException(
                    HubStartException.Reason.DATA_DIR_UNUSABLE,
                    "cannot write the broker configuration under " + folder + ": " + e.getMessage(),
                    e);
        }
        final BrokerSecurityExtension security = new BrokerSecurityExtension(hub, credentials);
        final EmbeddedHiveMQ hiveMq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(config)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .withEmbeddedExtension(EmbeddedExtension.builder()
                        .withId("baton-security")
                        .withName("Baton node identity and topic rules")
                        .withVersion("1")
                        .withAuthor("Baton")
                        .withPriority(1000)
                        .withStartPriority(1000)
                        .withExtensionMain(security)
                        .build())
                // Our logback.xml stays in charge; HiveMQ would otherwise install its own.
                .withoutLoggingBootstrap()
                .build();
        // The embedded builder lets everyone in while no authenticator is registered; should our extension fail
        // to start, refuse every client instead.
        InternalConfigurations.AUTH_DENY_UNAUTHENTICATED_CONNECTIONS.set(true);
        final EmbeddedBroker broker = new EmbeddedBroker(hiveMq, listenPort);
        try {
            hiveMq.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            broker.close();
            final Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new HubStartException(
                    HubStartException.Reason.BROKER_FAILED,
                    "the embedded MQTT broker did not start on " + host + ':' + listenPort + ": " + cause
                            + "; see the log above for HiveMQ's reason",
                    cause);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            broker.close();
            throw new HubStartException(
                    HubStartException.Reason.INTERRUPTED, "interrupted while starting the broker", e);
        }
        if (!security.started()) {
            broker.close();
            throw new HubStartException(
                    HubStartException.Reason.BROKER_FAILED,
                    "the embedded MQTT broker started without Baton's security extension; see the log for why");
        }
        broker.running = true;
        log.info(
                "embedded MQTT broker listening on {}:{} (started in {} ms)",
                host,
                listenPort,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return broker;
    }

    public int port() {
        return port;
    }

    public boolean isRunning() {
        return running;
    }

    /** Stops the broker (HiveMQ lets its network threads drain for a few seconds). Idempotent. */
    @Override
    public void close() {
        running = false;
        final long stopping = System.nanoTime();
        try {
            hiveMq.stop().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            log.warn("the embedded MQTT broker did not stop cleanly: {}", e.toString());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            hiveMq.close();
        } catch (final ExecutionException e) {
            log.warn("closing the embedded MQTT broker failed: {}", e.getCause().toString());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.debug("embedded MQTT broker stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));
    }

    private static String configXml(final String host, final int port) {
        return """
                <?xml version="1.0"?>
                <!-- Written by the Baton hub at each start; changes here are overwritten. -->
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                            <name>baton-mqtt</name>
                        </tcp-listener>
                    </listeners>
                    <mqtt>
                        <packets>
                            <max-packet-size>%d</max-packet-size>
                        </packets>
                    </mqtt>
                    <security>
                        <allow-empty-client-id>
                            <enabled>false</enabled>
                        </allow-empty-client-id>
                    </security>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """
                .formatted(port, xmlEscape(host), MAX_PACKET_BYTES);
    }

    private static String xmlEscape(final String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
