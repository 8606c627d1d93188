package dev.baton.sim.opcua;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.discovery.DiscoveryConfig;
import dev.baton.adapters.api.discovery.DiscoveryEnvironment;
import dev.baton.adapters.api.discovery.DiscoveryHandler;
import dev.baton.adapters.api.discovery.DiscoveryHandlerFactory;
import dev.baton.adapters.api.discovery.DiscoveryListener;
import dev.baton.adapters.api.discovery.ScanContext;
import dev.baton.adapters.api.discovery.ScanResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ServiceLoader;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.LoggerFactory;

/**
 * The {@code opcua} discovery handler as the agent gets it (through {@link ServiceLoader}), with a helper to run
 * scans against simulators. Shared by the simulator tests and the benchmark.
 */
public final class OpcUaScans implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "test-discovery-scheduler");
        thread.setDaemon(true);
        return thread;
    });
    private final DiscoveryHandler handler;

    public OpcUaScans(final Path secretsDirectory) {
        quietMilo();
        final DiscoveryHandlerFactory factory = ServiceLoader.load(DiscoveryHandlerFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(candidate -> candidate.name().equals("opcua"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no discovery handler 'opcua' on the class path"));
        handler = factory.create(new DiscoveryEnvironment(secretsDirectory, scheduler, new DiscoveryListener() {
            @Override
            public void rescan(final String name) {}

            @Override
            public void departed(final String name, final String deviceId) {}
        }));
    }

    /** Milo logs every secure channel at DEBUG; the default Logback configuration would print all of it. */
    public static void quietMilo() {
        ((Logger) LoggerFactory.getLogger("org.eclipse.milo")).setLevel(Level.WARN);
        ((Logger) LoggerFactory.getLogger("io.netty")).setLevel(Level.WARN);
    }

    public DiscoveryHandler handler() {
        return handler;
    }

    /** The handler's configuration from JSON text, e.g. {@code {"discoveryUrls": ["opc.tcp://…"]}}. */
    public static DiscoveryConfig config(final String json) {
        try {
            return DiscoveryConfig.of("opcua", (ObjectNode) JSON.readTree(json));
        } catch (final Exception e) {
            throw new IllegalArgumentException("bad test JSON: " + json, e);
        }
    }

    /** Validates {@code json} and hands it to the handler, as the agent does when a desired document arrives. */
    public void configure(final String json) {
        final DiscoveryConfig config = config(json);
        handler.validate(config);
        handler.configure(config);
    }

    /** Validates and scans with {@code json}, giving the scan {@code timeout}. */
    public ScanResult scan(final String json, final Duration timeout) throws InterruptedException {
        final DiscoveryConfig config = config(json);
        handler.validate(config);
        handler.configure(config);
        return handler.scan(config, new ScanContext(Instant.now().plus(timeout)));
    }

    public ScanResult scan(final String json) throws InterruptedException {
        return scan(json, Duration.ofSeconds(15));
    }

    public static JsonNode json(final Object value) {
        return JSON.valueToTree(value);
    }

    @Override
    public void close() {
        handler.close();
        scheduler.shutdownNow();
    }
}
