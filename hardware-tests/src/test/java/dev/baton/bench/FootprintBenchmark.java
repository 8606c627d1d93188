package dev.baton.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.DesiredSpec;
import dev.baton.sim.onvif.OnvifCameraSimulator;
import dev.baton.testing.Desired;
import dev.baton.testing.HubApi;
import dev.baton.testing.Launchers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What users get from the launchers: hub start to healthy, agent start to connected-and-reported (first start with
 * 10 components to apply, and a restart with them already applied), and the agent's resident set after it has
 * idled for a while with those 10 components (9 files, 1 supervised process). The agent runs with the JVM flags
 * of bin/baton-agent unless BATON_AGENT_JAVA_OPTS says otherwise.
 *
 * <pre>
 * mvn -q -B -DskipTests install &amp;&amp; mvn -q -B -pl hardware-tests exec:exec -Dbench=FootprintBenchmark [-Dbench.args="60 100"]
 * (idle seconds; simulated ONVIF cameras in the agent's inventory, default none)
 * </pre>
 */
public final class FootprintBenchmark {

    public static void main(final String[] args) throws Exception {
        final String[] words = String.join(" ", args).strip().split("\\s+");
        final int idleSeconds = words.length > 0 && !words[0].isBlank() ? Integer.parseInt(words[0]) : 60;
        // Second argument: simulated ONVIF cameras the agent discovers and keeps in its inventory (BRIEF: 50).
        final int cameras = words.length > 1 ? Integer.parseInt(words[1]) : 0;
        final Path dir = Files.createTempDirectory("baton-bench-footprint");
        final String worker = "sleep " + (100_000 + ThreadLocalRandom.current().nextInt(800_000));
        final List<Process> processes = new ArrayList<>();
        final List<AutoCloseable> closeLast = new ArrayList<>();
        try {
            final long hubStarted = System.nanoTime();
            final Process hub = Launchers.start(
                    dir.resolve("hub.log"),
                    "baton-hub",
                    "--data-dir",
                    dir.resolve("hub").toString(),
                    "--http-port",
                    "0",
                    "--mqtt-port",
                    "0",
                    "--bind",
                    "127.0.0.1");
            processes.add(hub);
            final Launchers.HubEndpoints endpoints =
                    Launchers.awaitHubReady(dir.resolve("hub.log"), hub, Duration.ofSeconds(60));
            final HubApi api = new HubApi(
                    endpoints.http(),
                    Files.readString(dir.resolve("hub/admin.token")).strip());
            // The ready line is printed once healthy; /healthz confirms what a load balancer would see.
            while (!api.healthy()) {
                Thread.sleep(5);
            }
            final double hubMillis = (System.nanoTime() - hubStarted) / 1e6;

            final Path agentDir = dir.resolve("agent");
            final Launchers.Result enroll = Launchers.run(
                    "baton-agent",
                    "enroll",
                    "--hub",
                    api.base().toString(),
                    "--token",
                    api.createEnrollmentToken(),
                    "--data-dir",
                    agentDir.toString(),
                    "--node",
                    "footprint");
            if (enroll.exitCode() != 0) {
                throw new IllegalStateException("enroll failed: " + enroll);
            }
            DesiredSpec desired = Desired.of(components(dir, worker));
            if (cameras > 0) {
                final OnvifCameraSimulator simulator = OnvifCameraSimulator.builder()
                        .interfaceName("lo")
                        .credentials("admin", "bench-password")
                        .cameras(cameras)
                        .start();
                closeLast.add(simulator);
                Files.writeString(
                        agentDir.resolve("secrets/onvif.json"),
                        "{\"default\": {\"username\": \"admin\", \"password\": \"bench-password\"}}");
                final ObjectNode onvif = JsonNodeFactory.instance
                        .objectNode()
                        .put("multicast", false)
                        .put("intervalSeconds", 30)
                        .put("timeoutMs", 5000);
                final var unicast = onvif.putArray("unicast");
                simulator.cameras().forEach(camera -> unicast.add(camera.unicastTarget()));
                desired = new DesiredSpec(desired.components(), Map.of("onvif", onvif), desired.reconcile());
            }
            api.setDesired("footprint", desired);

            final Instant firstStart = Instant.now();
            final long firstStarted = System.nanoTime();
            Process agent =
                    Launchers.start(dir.resolve("agent.log"), "baton-agent", "run", "--data-dir", agentDir.toString());
            processes.add(agent);
            awaitReported(api, firstStart);
            final double firstMillis = (System.nanoTime() - firstStarted) / 1e6;

            agent.destroy();
            agent.waitFor(20, TimeUnit.SECONDS);
            processes.remove(agent);
            final Instant restart = Instant.now();
            final long restarted = System.nanoTime();
            agent = Launchers.start(
                    dir.resolve("agent-2.log"), "baton-agent", "run", "--data-dir", agentDir.toString());
            processes.add(agent);
            awaitReported(api, restart);
            final double restartMillis = (System.nanoTime() - restarted) / 1e6;

            if (cameras > 0) {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (api.devices("?node=footprint&limit=1000").size() < cameras) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the hub did not list " + cameras + " cameras within 60 s");
                    }
                    Thread.sleep(100);
                }
            }
            Thread.sleep(idleSeconds * 1000L);
            final long rssKib = rssKib(agent.pid());

            System.out.printf("hub (bin/baton-hub) start to healthy: %.0f ms%n", hubMillis);
            System.out.printf(
                    "agent start to connected-and-reported: first start with 10 components to apply %.0f ms,"
                            + " restart with them applied %.0f ms%n",
                    firstMillis, restartMillis);
            System.out.printf(
                    "agent RSS after %d s idle with 10 components and %d devices: %.1f MiB (JVM options: %s)%n",
                    idleSeconds,
                    cameras,
                    rssKib / 1024.0,
                    System.getenv().getOrDefault("BATON_AGENT_JAVA_OPTS", "bin/baton-agent defaults"));
        } finally {
            for (final Process process : processes) {
                process.destroy();
                process.waitFor(20, TimeUnit.SECONDS);
            }
            ProcessHandle.allProcesses()
                    .filter(p ->
                            p.info().commandLine().map(c -> c.contains(worker)).orElse(false))
                    .forEach(ProcessHandle::destroy);
            for (final AutoCloseable resource : closeLast) {
                resource.close();
            }
        }
    }

    private static List<ComponentSpec> components(final Path dir, final String worker) {
        final List<ComponentSpec> components = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            components.add(Desired.file("file-" + i, dir.resolve("out/file-" + i + ".txt"), "component " + i + "\n"));
        }
        components.add(Desired.process("worker", List.of(worker.split(" "))));
        return components;
    }

    /** Waits until the hub shows the node online with a report, sent after {@code since}, of 10 healthy components. */
    private static void awaitReported(final HubApi api, final Instant since) throws InterruptedException {
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            final JsonNode node = api.node("footprint");
            final JsonNode reported = node.get("reported");
            if (node.get("online").asBoolean()
                    && reported.hasNonNull("timestamp")
                    && Instant.parse(reported.get("timestamp").asText()).isAfter(since)
                    && reported.get("components").size() == 10
                    && HubApi.converged(node, reported.get("observedGeneration").asLong())) {
                return;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("the agent did not report within 60 s");
    }

    private static long rssKib(final long pid) throws IOException {
        for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for pid " + pid);
    }

    private FootprintBenchmark() {}
}
