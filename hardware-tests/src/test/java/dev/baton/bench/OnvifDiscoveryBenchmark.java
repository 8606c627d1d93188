package dev.baton.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.discovery.DiscoveryConfig;
import dev.baton.adapters.api.discovery.DiscoveryEnvironment;
import dev.baton.adapters.api.discovery.DiscoveryHandler;
import dev.baton.adapters.api.discovery.DiscoveryHandlerFactory;
import dev.baton.adapters.api.discovery.DiscoveryListener;
import dev.baton.adapters.api.discovery.ScanContext;
import dev.baton.adapters.api.discovery.ScanResult;
import dev.baton.adapters.onvif.internal.OnvifDiscoveryHandler;
import dev.baton.protocol.Device;
import dev.baton.sim.onvif.OnvifCameraSimulator;
import dev.baton.sim.onvif.SimulatedCamera;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.jetbrains.annotations.NotNull;

/**
 * ONVIF discovery of many simulated cameras on {@code lo}: the time from the Probe to a complete inventory (every
 * camera found with status {@code ok} and all properties, stream URIs included), against the budget of probe
 * window + 1 s. The simulated cameras answer multicast Probes after a random delay of up to 500 ms, as WS-Discovery
 * targets do (APP_MAX_DELAY), and all SOAP runs over real HTTP on loopback in this JVM, on this host's cores. A
 * second series probes every camera by unicast with multicast off, where the window closes once all have answered.
 *
 * <pre>
 * mvn -q -B -o -pl device-adapters/onvif install -DskipTests &amp;&amp; \
 *   mvn -q -B -o -pl hardware-tests test-compile exec:exec -Dbench=OnvifDiscoveryBenchmark -Dbench.args="100 3000 5"
 * </pre>
 *
 * Arguments: cameras (100), scan timeout in ms (3000), measured scans per series (5, after one warm-up scan).
 */
public final class OnvifDiscoveryBenchmark {

    private static final String PASSWORD = "bench-password";

    public static void main(final String[] args) throws Exception {
        final List<String> values = Arrays.stream(String.join(" ", args).split("[\\s,]+"))
                .filter(s -> !s.isBlank())
                .toList();
        final int cameras = values.size() > 0 ? Integer.parseInt(values.get(0)) : 100;
        final int timeoutMs = values.size() > 1 ? Integer.parseInt(values.get(1)) : 3000;
        final int rounds = values.size() > 2 ? Integer.parseInt(values.get(2)) : 5;
        final Path secrets = Files.createTempDirectory("baton-bench-onvif");
        Files.writeString(
                secrets.resolve("onvif.json"),
                "{\"default\": {\"username\": \"admin\", \"password\": \"" + PASSWORD + "\"}}");
        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (OnvifCameraSimulator simulator = OnvifCameraSimulator.builder()
                        .interfaceName("lo")
                        .credentials("admin", PASSWORD)
                        .cameras(cameras)
                        .start();
                DiscoveryHandler handler = handler(secrets, scheduler)) {
            final Set<String> ours =
                    simulator.cameras().stream().map(c -> c.spec().deviceId()).collect(Collectors.toSet());
            final Duration window = OnvifDiscoveryHandler.probeWindow(Duration.ofMillis(timeoutMs));
            System.out.printf(
                    "%d simulated cameras on lo, %d profiles each; scan timeoutMs %d -> probe window %d ms,"
                            + " budget %d ms; %d cores%n",
                    cameras,
                    simulator.cameras().get(0).spec().profiles().size(),
                    timeoutMs,
                    window.toMillis(),
                    window.toMillis() + 1000,
                    Runtime.getRuntime().availableProcessors());
            series(
                    "multicast",
                    handler,
                    config("{\"interface\": \"lo\", \"listen\": false, \"timeoutMs\": " + timeoutMs + "}"),
                    ours,
                    timeoutMs,
                    rounds,
                    window);
            final String targets = simulator.cameras().stream()
                    .map(SimulatedCamera::unicastTarget)
                    .map(t -> "\"" + t + "\"")
                    .collect(Collectors.joining(","));
            series(
                    "unicast only",
                    handler,
                    config("{\"multicast\": false, \"listen\": false, \"timeoutMs\": " + timeoutMs + ", \"unicast\": ["
                            + targets + "]}"),
                    ours,
                    timeoutMs,
                    rounds,
                    window);
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static void series(
            final String name,
            final DiscoveryHandler handler,
            final DiscoveryConfig config,
            final Set<String> ours,
            final int timeoutMs,
            final int rounds,
            final Duration window)
            throws InterruptedException {
        final long[] millis = new long[rounds];
        boolean allComplete = true;
        for (int i = -1; i < rounds; i++) {
            final long start = System.nanoTime();
            final ScanResult result =
                    handler.scan(config, new ScanContext(Instant.now().plusMillis(timeoutMs)));
            final long took = (System.nanoTime() - start) / 1_000_000;
            final List<Device> found =
                    result.devices().stream().filter(d -> ours.contains(d.id())).toList();
            final long complete = found.stream()
                    .filter(d -> "ok".equals(d.property("status")))
                    .filter(d -> d.properties().path("streamUris").size() == 2 && d.property("snapshotUri") != null)
                    .count();
            if (i >= 0) {
                millis[i] = took;
                allComplete &= complete == ours.size();
            }
            System.out.printf(
                    "  %-12s %s scan: %5d ms, %d of %d cameras found, %d complete, %d problems%s%n",
                    name,
                    i < 0 ? "warm-up" : "#" + (i + 1) + "    ",
                    took,
                    found.size(),
                    ours.size(),
                    complete,
                    result.problems().size(),
                    complete == ours.size()
                            ? ""
                            : " (INCOMPLETE: "
                                    + result.problems().stream().limit(2).toList() + ")");
        }
        Arrays.sort(millis);
        System.out.printf(
                "  %-12s probe to complete inventory: median %d ms, max %d ms; window %d ms, budget %d ms -> %s%n",
                name,
                millis[rounds / 2],
                millis[rounds - 1],
                window.toMillis(),
                window.toMillis() + 1000,
                !allComplete
                        ? "INCOMPLETE inventories"
                        : millis[rounds - 1] <= window.toMillis() + 1000 ? "within budget" : "OVER BUDGET");
    }

    private static DiscoveryHandler handler(final Path secrets, final ScheduledExecutorService scheduler) {
        final DiscoveryHandlerFactory factory = ServiceLoader.load(DiscoveryHandlerFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals("onvif"))
                .findFirst()
                .orElseThrow();
        return factory.create(new DiscoveryEnvironment(secrets, scheduler, new DiscoveryListener() {
            @Override
            public void rescan(final @NotNull String handlerName) {}

            @Override
            public void departed(final @NotNull String handlerName, final @NotNull String deviceId) {}
        }));
    }

    private static DiscoveryConfig config(final String json) throws Exception {
        return DiscoveryConfig.of("onvif", (ObjectNode) new ObjectMapper().readTree(json));
    }
}
