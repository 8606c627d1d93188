package dev.baton.bench;

import dev.baton.adapters.api.discovery.ScanResult;
import dev.baton.protocol.Device;
import dev.baton.protocol.testing.Ports;
import dev.baton.sim.opcua.OpcUaScans;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One {@code opcua} discovery scan of a server with 10,102 nodes (100 folders of 100 variables, and a method):
 * FindServers, GetEndpoints, a session reading the build info and namespaces, and a bounded browse that stops at
 * 10,000 nodes; and, for comparison, the same scan without the browse. The server is the OPC UA simulator in a
 * JVM of its own on loopback, so that this JVM holds only what an agent would. The handler is configured first, as
 * the agent does when a desired document arrives; scans are then timed from {@code scan} called to returned, the
 * first one (this JVM cold, the simulator just started) apart. Budget: 3 s per scan with the browse.
 *
 * <pre>
 * mvn -q -B -o -pl hardware-tests test-compile exec:exec -Dbench=OpcUaDiscoveryBenchmark [-Dbench.args=20]
 * </pre>
 */
public final class OpcUaDiscoveryBenchmark {

    private static final Duration BUDGET = Duration.ofSeconds(3);
    private static final int MAX_NODES = 10_000;

    public static void main(final String[] args) throws Exception {
        final int scans = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0].strip()) : 20;
        OpcUaScans.quietMilo();
        final Path dir = Files.createTempDirectory("baton-bench-opcua");
        final int port = Ports.freeLoopbackPort();
        final Process simulator = startSimulator(dir, port);
        try (OpcUaScans handler = new OpcUaScans(dir.resolve("secrets"))) {
            final String url = "opc.tcp://127.0.0.1:" + port + "/baton-sim";
            final String endpointsOnly = "{\"discoveryUrls\": [\"" + url + "\"], \"timeoutMs\": 30000}";
            final String browsing = endpointsOnly.replace(
                    "}", ", \"browse\": {\"enabled\": true, \"depth\": 3, \"maxNodes\": " + MAX_NODES + "}}");

            final long configureStart = System.nanoTime();
            handler.configure(browsing);
            final double configureMillis = (System.nanoTime() - configureStart) / 1e6;
            final long coldStart = System.nanoTime();
            final Device device = only(handler.scan(browsing, Duration.ofSeconds(30)));
            final double coldMillis = (System.nanoTime() - coldStart) / 1e6;
            System.out.printf("browse summary: %s%n", device.properties().path("browse"));

            final List<Double> withBrowse = time(handler, browsing, scans);
            final List<Double> withoutBrowse = time(handler, endpointsOnly, scans);

            System.out.printf(
                    "configure (validate, create the handler's pools, start loading codecs): %.0f ms%n",
                    configureMillis);
            System.out.printf("first scan with browse (agent JVM cold, simulator just started): %.0f ms%n", coldMillis);
            report("scan with %,d-node browse".formatted(MAX_NODES), withBrowse);
            report("scan without browse", withoutBrowse);
            final double worst = Collections.max(withBrowse);
            System.out.printf(
                    "budget %d ms per scan with browse: %s (first %.0f ms, worst later %.0f ms)%n",
                    BUDGET.toMillis(),
                    Math.max(worst, coldMillis) <= BUDGET.toMillis() ? "met" : "MISSED",
                    coldMillis,
                    worst);
        } finally {
            simulator.destroy();
            simulator.waitFor();
        }
    }

    /** The simulator's main in a JVM of its own, returned once it listens. */
    private static Process startSimulator(final Path dir, final int port) throws IOException, InterruptedException {
        final Path log = dir.resolve("simulator.log");
        final Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.baton.sim.opcua.OpcUaServerSimulator",
                        "--port=" + port,
                        "--uri=urn:baton:bench:opcua",
                        "--folders=100",
                        "--variables=100")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        final Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the simulator exited: " + Files.readString(log));
            }
            if (Files.readString(log).contains("listening at")) {
                return process;
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the simulator did not start in 60 s: " + Files.readString(log));
    }

    private static List<Double> time(final OpcUaScans handler, final String config, final int scans)
            throws InterruptedException {
        final List<Double> millis = new ArrayList<>(scans);
        for (int i = 0; i < scans; i++) {
            final long started = System.nanoTime();
            final ScanResult result = handler.scan(config, Duration.ofSeconds(30));
            millis.add((System.nanoTime() - started) / 1e6);
            only(result);
        }
        return millis;
    }

    private static Device only(final ScanResult result) {
        if (result.devices().size() != 1 || !result.problems().isEmpty()) {
            throw new IllegalStateException("expected one device and no problems, got " + result);
        }
        final Device device = result.devices().get(0);
        if (!"ok".equals(device.property("status"))) {
            throw new IllegalStateException("expected status ok, got " + device);
        }
        return device;
    }

    private static void report(final String what, final List<Double> millis) {
        final List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf(
                "%s: n=%d min %.0f ms, p50 %.0f ms, p90 %.0f ms, max %.0f ms%n",
                what,
                sorted.size(),
                sorted.get(0),
                sorted.get(sorted.size() / 2),
                sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.9) - 1)),
                sorted.get(sorted.size() - 1));
    }
}
