package dev.baton.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.protocol.MessageCodec;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What users get from the launchers: hub start to healthy, agent start to connected-and-reported (first start with
 * 10 components to apply, and a restart with them already applied), and the agent's resident set after it has
 * idled for a while with those 10 components (9 files, 1 supervised process). The agent runs with the JVM flags
 * of bin/baton-agent unless BATON_AGENT_JAVA_OPTS says otherwise.
 *
 * <pre>
 * mvn -q -B -DskipTests install &amp;&amp; mvn -q -B -pl hardware-tests exec:exec -Dbench=FootprintBenchmark [-Dbench.args=60]
 * </pre>
 */
public final class FootprintBenchmark {

    private static final MessageCodec CODEC = new MessageCodec();
    private static final Path ROOT =
            Path.of(System.getProperty("baton.root", "..")).toAbsolutePath().normalize();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(final String[] args) throws Exception {
        final int idleSeconds = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0].strip()) : 60;
        final Path dir = Files.createTempDirectory("baton-bench-footprint");
        final int httpPort = freePort();
        final int mqttPort = freePort();
        final URI base = URI.create("http://127.0.0.1:" + httpPort);
        final List<Process> processes = new ArrayList<>();
        try {
            final long hubStarted = System.nanoTime();
            processes.add(start(
                    dir.resolve("hub.log"),
                    "bin/baton-hub",
                    "--data-dir",
                    dir.resolve("hub").toString(),
                    "--http-port",
                    String.valueOf(httpPort),
                    "--mqtt-port",
                    String.valueOf(mqttPort),
                    "--bind",
                    "127.0.0.1"));
            awaitHealthy(base);
            final double hubMillis = (System.nanoTime() - hubStarted) / 1e6;
            final String token =
                    Files.readString(dir.resolve("hub/admin.token")).strip();

            final String enrollment = CODEC.readTree(
                            send(request(base, token, "/api/v1/tenants/default/enrollment-tokens")
                                    .POST(HttpRequest.BodyPublishers.ofString("{}"))))
                    .get("token")
                    .asText();
            final Path agentDir = dir.resolve("agent");
            run(
                    "bin/baton-agent",
                    "enroll",
                    "--hub",
                    base.toString(),
                    "--token",
                    enrollment,
                    "--data-dir",
                    agentDir.toString(),
                    "--node",
                    "footprint");
            send(request(base, token, "/api/v1/tenants/default/nodes/footprint/desired")
                    .PUT(HttpRequest.BodyPublishers.ofString(desired(dir))));

            final Instant firstStart = Instant.now();
            final long firstStarted = System.nanoTime();
            Process agent =
                    start(dir.resolve("agent.log"), "bin/baton-agent", "run", "--data-dir", agentDir.toString());
            processes.add(agent);
            awaitReported(base, token, firstStart);
            final double firstMillis = (System.nanoTime() - firstStarted) / 1e6;

            agent.destroy();
            agent.waitFor(20, TimeUnit.SECONDS);
            processes.remove(agent);
            final Instant restart = Instant.now();
            final long restarted = System.nanoTime();
            agent = start(dir.resolve("agent-2.log"), "bin/baton-agent", "run", "--data-dir", agentDir.toString());
            processes.add(agent);
            awaitReported(base, token, restart);
            final double restartMillis = (System.nanoTime() - restarted) / 1e6;

            Thread.sleep(idleSeconds * 1000L);
            final long rssKib = rssKib(agent.pid());

            System.out.printf("hub (bin/baton-hub) start to healthy: %.0f ms%n", hubMillis);
            System.out.printf(
                    "agent start to connected-and-reported: first start with 10 components to apply %.0f ms,"
                            + " restart with them applied %.0f ms%n",
                    firstMillis, restartMillis);
            System.out.printf(
                    "agent RSS after %d s idle with 10 components: %.1f MiB (JVM options: %s)%n",
                    idleSeconds,
                    rssKib / 1024.0,
                    System.getenv().getOrDefault("BATON_AGENT_JAVA_OPTS", "bin/baton-agent defaults"));
        } finally {
            for (final Process process : processes) {
                process.destroy();
                process.waitFor(20, TimeUnit.SECONDS);
            }
            ProcessHandle.allProcesses()
                    .filter(p -> p.info()
                            .commandLine()
                            .map(c -> c.contains("sleep 7919"))
                            .orElse(false))
                    .forEach(ProcessHandle::destroy);
        }
    }

    private static String desired(final Path dir) {
        final StringBuilder components = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            components
                    .append("{\"name\":\"file-")
                    .append(i)
                    .append("\",\"kind\":\"file\",\"properties\":{\"path\":\"")
                    .append(dir.resolve("out/file-" + i + ".txt"))
                    .append("\",\"content\":\"component ")
                    .append(i)
                    .append("\\n\"}},");
        }
        components.append(
                "{\"name\":\"worker\",\"kind\":\"process\",\"properties\":{\"command\":[\"sleep\",\"7919\"]}}");
        return "{\"components\":[" + components + "]}";
    }

    /** Waits until the hub shows the node online with a report, sent after {@code since}, of 10 healthy components. */
    private static void awaitReported(final URI base, final String token, final Instant since) throws Exception {
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            final JsonNode node = CODEC.readTree(send(request(base, token, "/api/v1/tenants/default/nodes/footprint")
                    .GET()));
            final JsonNode reported = node.get("reported");
            if (node.get("online").asBoolean()
                    && reported.hasNonNull("timestamp")
                    && Instant.parse(reported.get("timestamp").asText()).isAfter(since)
                    && reported.get("components").size() == 10
                    && allHealthy(reported)) {
                return;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("the agent did not report within 60 s");
    }

    private static boolean allHealthy(final JsonNode reported) {
        for (final JsonNode component : reported.get("components")) {
            if (!"healthy".equals(component.get("state").asText())) {
                return false;
            }
        }
        return true;
    }

    private static void awaitHealthy(final URI base) throws Exception {
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                final HttpResponse<Void> response = HTTP.send(
                        HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (final IOException notYet) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("the hub did not become healthy within 60 s");
    }

    private static long rssKib(final long pid) throws IOException {
        for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for pid " + pid);
    }

    private static Process start(final Path log, final String... command) throws IOException {
        final List<String> args = new ArrayList<>(List.of(command));
        args.set(0, ROOT.resolve(command[0]).toString());
        return new ProcessBuilder(args)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static void run(final String... command) throws Exception {
        final Process process = start(Files.createTempFile("baton-bench", ".log"), command);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    private static HttpRequest.Builder request(final URI base, final String token, final String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
    }

    private static byte[] send(final HttpRequest.Builder request) throws Exception {
        final HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(
                    response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private FootprintBenchmark() {}
}
