package dev.baton.sim.onvif;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.discovery.DiscoveryConfig;
import dev.baton.adapters.api.discovery.DiscoveryEnvironment;
import dev.baton.adapters.api.discovery.DiscoveryHandler;
import dev.baton.adapters.api.discovery.DiscoveryHandlerFactory;
import dev.baton.adapters.api.discovery.DiscoveryListener;
import dev.baton.adapters.api.discovery.ScanContext;
import dev.baton.adapters.api.discovery.ScanResult;
import dev.baton.protocol.Device;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.jetbrains.annotations.NotNull;

/**
 * The {@code onvif} handler as the agent would hold it: found through {@link ServiceLoader}, with a secrets
 * directory of its own and a listener that records what it is told.
 */
final class OnvifHandlerHarness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final Path secrets;
    final DiscoveryHandler handler;
    final List<String> rescans = new CopyOnWriteArrayList<>();
    final List<String> departures = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    OnvifHandlerHarness(final Path directory) {
        this.secrets = directory.resolve("secrets");
        try {
            Files.createDirectories(secrets);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final DiscoveryHandlerFactory factory = ServiceLoader.load(DiscoveryHandlerFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals("onvif"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no DiscoveryHandlerFactory named onvif on the class path"));
        this.handler = factory.create(new DiscoveryEnvironment(secrets, scheduler, new DiscoveryListener() {
            @Override
            public void rescan(final @NotNull String handlerName) {
                rescans.add(handlerName);
            }

            @Override
            public void departed(final @NotNull String handlerName, final @NotNull String deviceId) {
                departures.add(handlerName + " " + deviceId);
            }
        }));
    }

    /** Writes {@code secrets/onvif.json}. */
    void credentials(final Map<String, Map<String, String>> entries) {
        try {
            Files.writeString(secrets.resolve("onvif.json"), JSON.writeValueAsString(entries));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DiscoveryConfig config(final String json) {
        try {
            return DiscoveryConfig.of("onvif", (ObjectNode) JSON.readTree(json));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Validates {@code json} as the agent does, then scans with its {@code timeoutMs}. */
    ScanResult scan(final String json) throws InterruptedException {
        final DiscoveryConfig config = config(json);
        handler.validate(config);
        final Duration timeout = config.settings().timeout();
        return handler.scan(config, new ScanContext(Instant.now().plus(timeout)));
    }

    /** The devices of {@code result} that are these cameras, by device id (other simulators may run on the host). */
    static Map<String, Device> only(final ScanResult result, final Collection<SimulatedCamera> cameras) {
        final Set<String> ids = cameras.stream().map(c -> c.spec().deviceId()).collect(Collectors.toSet());
        return result.devices().stream()
                .filter(d -> ids.contains(d.id()))
                .collect(Collectors.toMap(Device::id, d -> d));
    }

    @Override
    public void close() {
        handler.close();
        scheduler.shutdownNow();
    }
}
