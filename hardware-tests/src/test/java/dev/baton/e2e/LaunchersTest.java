package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process level: the launchers a user runs after the README's build — bin/baton-hub, bin/baton-agent (enroll, run)
 * and bin/baton — with the agent killed by SIGKILL in the middle of applying a document.
 */
class LaunchersTest {

    private static final Path ROOT =
            Path.of(System.getProperty("baton.root", "..")).toAbsolutePath().normalize();
    private static final Duration CONVERGE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final List<Process> processes = new ArrayList<>();
    private final long marker = 100_000 + ThreadLocalRandom.current().nextInt(800_000);

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (final Process process : processes) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        // The supervised process outlives a killed agent by design (it is adopted); end it here.
        supervised().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void launchersEnrollRunAndApplyAndAKilledAgentConvergesAfterRestart() throws Exception {
        final int httpPort = MosquittoBroker.freePort();
        final int mqttPort = MosquittoBroker.freePort();
        final Path hubDir = tmp.resolve("hub");
        final Path hubLog = tmp.resolve("hub.log");
        start(
                hubLog,
                "bin/baton-hub",
                "--data-dir",
                hubDir.toString(),
                "--http-port",
                String.valueOf(httpPort),
                "--mqtt-port",
                String.valueOf(mqttPort),
                "--bind",
                "127.0.0.1");
        await().atMost(CONVERGE)
                .until(() -> Files.exists(hubLog) && Files.readString(hubLog).contains("baton hub ready"));
        final String hubUrl = "http://127.0.0.1:" + httpPort;
        final Path adminToken = hubDir.resolve("admin.token");
        final HubApi api =
                new HubApi(URI.create(hubUrl), Files.readString(adminToken).strip());

        final Result token = run(
                "bin/baton",
                "--hub",
                hubUrl,
                "--token-file",
                adminToken.toString(),
                "token",
                "create",
                "--max-uses",
                "1");
        assertThat(token.exitCode()).as(token.output()).isZero();
        final Path agentDir = tmp.resolve("agent");
        final Result enroll = run(
                "bin/baton-agent",
                "enroll",
                "--hub",
                hubUrl,
                "--token",
                token.output().strip(),
                "--data-dir",
                agentDir.toString(),
                "--node",
                "proc-node",
                "--label",
                "site=test");
        assertThat(enroll.exitCode()).as(enroll.output()).isZero();
        Process agent = start(tmp.resolve("agent.log"), "bin/baton-agent", "run", "--data-dir", agentDir.toString());

        final Path first = tmp.resolve("first.json");
        Files.writeString(first, desired(1));
        final Result set = run(
                "bin/baton",
                "--hub",
                hubUrl,
                "--token-file",
                adminToken.toString(),
                "desired",
                "set",
                "proc-node",
                first.toString());
        assertThat(set.exitCode()).as(set.output()).isZero();
        awaitConverged(api, 1, 2);
        final Result shown =
                run("bin/baton", "--hub", hubUrl, "--token-file", adminToken.toString(), "node", "proc-node");
        assertThat(shown.output()).contains("file-0", "worker", "healthy");
        assertThat(supervised()).hasSize(1);

        // A larger document, and the agent killed before it can have finished applying it.
        final Path second = tmp.resolve("second.json");
        Files.writeString(second, desired(40));
        assertThat(api.putDesired("proc-node", Files.readString(second)).status())
                .isEqualTo(200);
        await().atMost(CONVERGE)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> Files.exists(tmp.resolve("out/file-0.txt"))
                        && Files.readString(tmp.resolve("out/file-0.txt")).contains("generation 2"));
        agent.destroyForcibly().waitFor();
        processes.remove(agent);

        agent = start(tmp.resolve("agent-restarted.log"), "bin/baton-agent", "run", "--data-dir", agentDir.toString());

        awaitConverged(api, 2, 41);
        for (int i = 0; i < 40; i++) {
            assertThat(Files.readString(tmp.resolve("out/file-" + i + ".txt"))).isEqualTo("generation 2\n");
        }
        assertThat(supervised())
                .as("the supervised process is adopted, not started twice")
                .hasSize(1);
    }

    private void awaitConverged(final HubApi api, final long generation, final int components) {
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            final JsonNode node = api.node("proc-node");
            assertThat(node.get("online").asBoolean()).isTrue();
            assertThat(node.get("reported").get("observedGeneration").asLong()).isEqualTo(generation);
            assertThat(node.get("reported").get("components")).hasSize(components);
            node.get("reported").get("components").forEach(component -> assertThat(
                            component.get("state").asText())
                    .as(component.toString())
                    .isEqualTo("healthy"));
        });
    }

    private String desired(final int files) {
        final StringBuilder components = new StringBuilder();
        for (int i = 0; i < files; i++) {
            components
                    .append("{\"name\":\"file-")
                    .append(i)
                    .append("\",\"kind\":\"file\",\"properties\":{\"path\":")
                    .append(RoundTripTest.json(
                            tmp.resolve("out/file-" + i + ".txt").toString()))
                    .append(",\"content\":\"generation ")
                    .append(files == 1 ? 1 : 2)
                    .append("\\n\"}},");
        }
        components
                .append("{\"name\":\"worker\",\"kind\":\"process\",\"properties\":{\"command\":[\"sleep\",\"")
                .append(marker)
                .append("\"]}}");
        return "{\"components\":[" + components + "],\"reconcile\":{\"active\":true,\"intervalSeconds\":1}}";
    }

    private List<ProcessHandle> supervised() {
        final String needle = "sleep " + marker;
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(needle)).orElse(false))
                .toList();
    }

    private Process start(final Path log, final String... command) throws IOException {
        final List<String> args = new ArrayList<>(List.of(command));
        args.set(0, ROOT.resolve(command[0]).toString());
        final Process process = new ProcessBuilder(args)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        processes.add(process);
        return process;
    }

    private record Result(int exitCode, String output) {}

    private Result run(final String... command) throws IOException, InterruptedException {
        final List<String> args = new ArrayList<>(List.of(command));
        args.set(0, ROOT.resolve(command[0]).toString());
        final Process process =
                new ProcessBuilder(args).redirectErrorStream(true).start();
        final byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
