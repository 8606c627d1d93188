package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.baton.agent.AgentConfig;
import dev.baton.agent.Backoff;
import dev.baton.testing.CuttingProxy;
import dev.baton.testing.HubApi;
import dev.baton.testing.InProcessFleet;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code service} component end to end, in one JVM on loopback: a tar.gz uploaded to the real hub's artifact
 * store, a desired document naming it, the agent downloading it over HTTP (through a proxy that breaks the transfer,
 * in one test), unpacking it and running it; the hub shows the state, the message and the outputs.
 */
class ServiceComponentTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern RANGE = Pattern.compile("(?i)\r\nrange: bytes=(\\d+)-\r\n");

    @TempDir
    Path tmp;

    private InProcessFleet fleet;
    private HubApi api;
    private Path markers;

    @BeforeEach
    void startHub() throws IOException {
        fleet = InProcessFleet.start(tmp);
        api = fleet.api();
        markers = Files.createDirectories(tmp.resolve("markers"));
    }

    @AfterEach
    void stopEverything() {
        fleet.close();
        // Agents leave their services running for the next agent to adopt; this test has no next agent.
        final List<ProcessHandle> started =
                ProcessHandle.current().descendants().toList();
        started.forEach(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(10)).until(() -> started.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void aServiceFromTheHubsStoreRunsAndAnUpgradeReplacesItWithTheSecondArtifact() throws IOException {
        startAgent(fleet.enroll("svc-edge-1"));
        final String v1 = api.uploadArtifact("server-1.tar.gz", serverTarGz("v1", 1_000));

        final long first = setService("svc-edge-1", v1, "1.0");

        final JsonNode running = awaitHealthy("svc-edge-1", first);
        assertThat(running.get("message").asText()).startsWith("version 1.0 (sha256 " + v1.substring(0, 12));
        assertThat(running.get("outputs").get("sha256").asText()).isEqualTo(v1);
        final long pid1 = running.get("outputs").get("pid").asLong();
        assertThat(runs(pid1, "v1")).isTrue();

        final String v2 = api.uploadArtifact("server-2.tar.gz", serverTarGz("v2", 1_000));
        final long second = setService("svc-edge-1", v2, "2.0");

        final JsonNode upgraded = awaitHealthy("svc-edge-1", second);
        final long pid2 = upgraded.get("outputs").get("pid").asLong();
        assertThat(upgraded.get("outputs").get("version").asText()).isEqualTo("2.0");
        assertThat(pid2).isNotEqualTo(pid1);
        assertThat(runs(pid2, "v2")).isTrue();
        await().atMost(WAIT)
                .until(() -> ProcessHandle.of(pid1).map(ProcessHandle::isAlive).orElse(false) == false);
    }

    @Test
    void anUpgradeThatFailsItsHealthCheckIsRolledBackToThePreviousVersionWithoutADownload() throws IOException {
        startAgent(fleet.enroll("svc-edge-4"));
        final String v1 = api.uploadArtifact("server-1.tar.gz", serverTarGz("v1", 1_000));
        final long first = setService("svc-edge-4", v1, "1.0", "[\"true\"]");
        final long pid1 =
                awaitHealthy("svc-edge-4", first).get("outputs").get("pid").asLong();
        assertThat(runs(pid1, "v1")).isTrue();

        final String v2 = api.uploadArtifact("server-2.tar.gz", serverTarGz("v2", 1_000));
        final long second = setService("svc-edge-4", v2, "2.0", "[\"false\"]");
        // Generation 2 no longer names v1, so the hub lets it go: the rollback must use the kept version directory.
        assertThat(api.deleteArtifact(v1).status()).isEqualTo(204);

        await().atMost(WAIT).until(() -> component("svc-edge-4", second)
                .map(c -> c.get("state").asText().equals("rolled-back"))
                .orElse(false));
        final JsonNode rolledBack = component("svc-edge-4", second).orElseThrow();
        assertThat(rolledBack.get("outputs").get("version").asText()).isEqualTo("1.0");
        assertThat(rolledBack.get("outputs").get("sha256").asText()).isEqualTo(v1);
        final long pid = rolledBack.get("outputs").get("pid").asLong();
        assertThat(runs(pid, "v1")).isTrue();
        assertThat(api.node("svc-edge-4").get("reported").get("conditions"))
                .anySatisfy(c -> assertThat(c.get("message").asText())
                        .startsWith("generation " + second + " failed (web: not healthy within 2 s of being applied")
                        .endsWith("returned to generation " + first));
    }

    @Test
    void aDownloadCutByTheNetworkResumesWithARangeRequestAndTheServiceStarts() throws IOException {
        final String sha = api.uploadArtifact("big-server.tar.gz", serverTarGz("resumed", 400_000));
        try (CuttingProxy proxy = new CuttingProxy(fleet.hub().httpPort(), 150_000, 1)) {
            final AgentConfig direct = fleet.enroll("svc-edge-2");
            startAgent(direct.toBuilder()
                    .hubUrl("http://127.0.0.1:" + proxy.port())
                    .build());

            final long generation = setService("svc-edge-2", sha, "big");

            final JsonNode healthy = awaitHealthy("svc-edge-2", generation);
            assertThat(runs(healthy.get("outputs").get("pid").asLong(), "resumed"))
                    .isTrue();
            final List<String> heads = proxy.requestHeads().stream()
                    .filter(head -> head.contains("/artifacts/" + sha))
                    .toList();
            assertThat(heads).hasSizeGreaterThanOrEqualTo(2);
            assertThat(RANGE.matcher(heads.get(0)).find())
                    .as("the first request asks for everything")
                    .isFalse();
            final Matcher resumed = RANGE.matcher(heads.get(1));
            assertThat(resumed.find())
                    .as("the second request resumes: %s", heads.get(1))
                    .isTrue();
            assertThat(Long.parseLong(resumed.group(1))).isPositive().isLessThan(150_000);
            assertThat(eventMessages("svc-edge-2"))
                    .anyMatch(message -> message.contains("the next attempt resumes where this one stopped"));
        }
    }

    @Test
    void anArtifactWhoseContentDoesNotMatchItsSha256IsRefusedAndTheHubShowsWhy() throws IOException {
        startAgent(fleet.enroll("svc-edge-3"));
        final byte[] served = serverTarGz("tampered", 1_000);
        final String claimed = sha256("what the operator meant".getBytes(StandardCharsets.UTF_8));
        final HttpServer files = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        files.createContext("/server.tar.gz", exchange -> {
            exchange.sendResponseHeaders(200, served.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(served);
            }
        });
        files.start();
        try {
            final String url = "http://127.0.0.1:" + files.getAddress().getPort() + "/server.tar.gz";
            final long generation = api.putDesired(
                            "svc-edge-3",
                            "{\"components\": [{\"name\": \"web\", \"kind\": \"service\", \"properties\": {\"url\": \""
                                    + url + "\", \"sha256\": \"" + claimed + "\", \"command\": [\"bin/server\"],"
                                    + " \"env\": {\"MARKERS\": \"" + markers + "\"}}}]}")
                    .body()
                    .get("generation")
                    .asLong();

            await().atMost(WAIT).until(() -> component("svc-edge-3", generation)
                    .map(c -> c.get("state").asText().equals("failed"))
                    .orElse(false));
            final String message = component("svc-edge-3", generation)
                    .orElseThrow()
                    .get("message")
                    .asText();
            assertThat(message)
                    .contains("artifact " + claimed + " from " + url)
                    .contains("have SHA-256 " + sha256(served) + ", not the expected one; discarded them");
            assertThat(markers).isEmptyDirectory();
        } finally {
            files.stop(0);
        }
    }

    private void startAgent(final AgentConfig config) {
        fleet.startAgent(config.toBuilder()
                .retryBackoff(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2), 0))
                .build());
    }

    private long setService(final String node, final String sha, final String version) {
        final HubApi.Response response = api.putDesired(
                node,
                "{\"components\": [{\"name\": \"web\", \"kind\": \"service\", \"properties\": {\"artifact\": \"" + sha
                        + "\", \"version\": \"" + version + "\", \"command\": [\"bin/server\"], \"env\":"
                        + " {\"MARKERS\": \"" + markers + "\"}}}]}");
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response.body().get("generation").asLong();
    }

    /** A service with a health command and rollback after one failure. */
    private long setService(final String node, final String sha, final String version, final String healthCommand) {
        final HubApi.Response response = api.putDesired(
                node,
                "{\"components\": [{\"name\": \"web\", \"kind\": \"service\", \"properties\": {\"artifact\": \"" + sha
                        + "\", \"version\": \"" + version + "\", \"command\": [\"bin/server\"], \"env\":"
                        + " {\"MARKERS\": \"" + markers + "\"}}, \"health\": {\"command\": " + healthCommand
                        + ", \"intervalSeconds\": 1, \"startTimeoutSeconds\": 2}}],"
                        + " \"reconcile\": {\"active\": true, \"intervalSeconds\": 30, \"rollback\": {\"afterFailures\": 1}}}");
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response.body().get("generation").asLong();
    }

    /** The component {@code web} as the node reported it for {@code generation}, once healthy. */
    private JsonNode awaitHealthy(final String node, final long generation) {
        await().atMost(WAIT).until(() -> component(node, generation)
                .map(c -> c.get("state").asText().equals("healthy"))
                .orElse(false));
        return component(node, generation).orElseThrow();
    }

    private Optional<JsonNode> component(final String node, final long generation) {
        final JsonNode reported = api.node(node).path("reported");
        if (reported.path("observedGeneration").asLong() != generation) {
            return Optional.empty();
        }
        for (final JsonNode component : reported.path("components")) {
            if (component.path("name").asText().equals("web")) {
                return Optional.of(component);
            }
        }
        return Optional.empty();
    }

    private List<String> eventMessages(final String node) {
        final java.util.ArrayList<String> out = new java.util.ArrayList<>();
        api.events(node)
                .body()
                .get("items")
                .forEach(e -> out.add(e.path("message").asText()));
        return out;
    }

    /** Whether {@code pid} is alive and is the service of {@code version} (it wrote its pid into a marker). */
    private boolean runs(final long pid, final String version) throws IOException {
        final Path marker = markers.resolve(Long.toString(pid));
        await().atMost(WAIT).until(() -> Files.exists(marker));
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                && Files.readString(marker).strip().equals(version);
    }

    /** A tar.gz made by the system's tar: {@code bin/server} and {@code padding} bytes of incompressible data. */
    private byte[] serverTarGz(final String version, final int padding) throws IOException {
        final Path source = Files.createDirectories(tmp.resolve("build-" + version));
        final Path server = Files.createDirectories(source.resolve("bin")).resolve("server");
        Files.writeString(server, "#!/bin/sh\necho " + version + " > \"$MARKERS/$$\"\nexec sleep 300\n");
        Files.setPosixFilePermissions(server, PosixFilePermissions.fromString("rwxr-xr-x"));
        final byte[] data = new byte[padding];
        new Random(version.hashCode()).nextBytes(data);
        Files.write(Files.createDirectories(source.resolve("data")).resolve("blob"), data);
        final Path archive = tmp.resolve(version + ".tar.gz");
        try {
            final Process tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", source.toString(), ".")
                    .inheritIO()
                    .start();
            assertThat(tar.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(tar.exitValue()).isZero();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Files.readAllBytes(archive);
    }

    private static String sha256(final byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
