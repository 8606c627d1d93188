package dev.baton.sim.usb;

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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jetbrains.annotations.NotNull;

/** The {@code usb} handler as the agent finds it (ServiceLoader), with scans configured by JSON text. */
final class UsbScanner implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final DiscoveryHandler handler;

    UsbScanner(final Path secrets) {
        final DiscoveryHandlerFactory factory = ServiceLoader.load(DiscoveryHandlerFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals("usb"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no DiscoveryHandlerFactory named usb on the class path"));
        handler = factory.create(new DiscoveryEnvironment(secrets, scheduler, new DiscoveryListener() {
            @Override
            public void rescan(final @NotNull String name) {}

            @Override
            public void departed(final @NotNull String name, final @NotNull String deviceId) {}
        }));
    }

    static DiscoveryConfig config(final String json) {
        try {
            return DiscoveryConfig.of("usb", (ObjectNode) JSON.readTree(json));
        } catch (final java.io.IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    /**
     * Sysfs from {@code tree} and no jSerialComm enumeration (so that this host's own ports stay out), plus
     * {@code extraJson} keys such as {@code , "match": […]}.
     */
    static String fixtureOnly(final UsbFixtureTree tree, final String extraJson) {
        return "{\"sysfsRoot\": " + JSON.valueToTree(tree.sysfsRoot().toString()) + ", \"serial\": false" + extraJson
                + "}";
    }

    DiscoveryHandler handler() {
        return handler;
    }

    ScanResult scan(final String json) throws InterruptedException {
        final DiscoveryConfig config = config(json);
        handler.validate(config);
        return handler.scan(config, new ScanContext(Instant.now().plus(Duration.ofSeconds(10))));
    }

    /** The devices of {@code result} by id. */
    static Map<String, Device> byId(final ScanResult result) {
        return result.devices().stream()
                .collect(Collectors.toMap(Device::id, Function.identity(), (a, b) -> a, java.util.TreeMap::new));
    }

    @Override
    public void close() {
        handler.close();
        scheduler.shutdownNow();
    }
}
