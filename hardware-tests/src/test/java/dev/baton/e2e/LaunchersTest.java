package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.protocol.ComponentSpec;
import dev.baton.testing.Desired;
import dev.baton.testing.HubApi;
import dev.baton.testing.Launchers;
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

    private static final Duration CONVERGE = Duration.ofSeconds(90);
    private static final int FILES = 40;
    /** Files before the slow component; the kill lands while the agent waits on it, before the rest. */
    private static final int FILES_BEFORE_BLOCKER = 20;

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
        // Supervised processes outlive a killed agent by design (they are adopted); end them here.
        processesMatching("sleep " + marker).forEach(ProcessHandle::destroyForcibly);
        processesMatching("sleep " + (marker + 1)).forEach(ProcessHandle::destroyForcibly);
        processesMatching("sleep " + (marker + 2)).forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void launchersEnrollRunAndApplyAndAnAgentKilledMidApplyConvergesAndAdoptsItsProcess() throws Exception {
        final Path hubDir = tmp.resolve("hub");
        final Path hubLog = tmp.resolve("hub.log");
        final Process hubProcess = Launchers.start(
                hubLog,
                "baton-hub",
                "--data-dir",
                hubDir.toString(),
                "--http-port",
                "0",
                "--mqtt-port",
                "0",
                "--bind",
                "127.0.0.1");
        processes.add(hubProcess);
        final String hubUrl =
                Launchers.awaitHubReady(hubLog, hubProcess, CONVERGE).http().toString();
        final Path adminToken = hubDir.resolve("admin.token");
        final HubApi api = new HubApi(
                java.net.URI.create(hubUrl), Files.readString(adminToken).strip());

        final Launchers.Result token = Launchers.run(
                "baton", "--hub", hubUrl, "--token-file", adminToken.toString(), "token", "create", "--max-uses", "1");
        assertThat(token.exitCode()).as(token.toString()).isZero();
        final Path agentDir = tmp.resolve("agent");
        final Launchers.Result enroll = Launchers.run(
                "baton-agent",
                "enroll",
                "--hub",
                hubUrl,
                "--token",
                token.stdout().strip(),
                "--data-dir",
                agentDir.toString(),
                "--node",
                "proc-node",
                "--label",
                "site=test");
        assertThat(enroll.exitCode()).as(enroll.toString()).isZero();
        Process agent =
                Launchers.start(tmp.resolve("agent.log"), "baton-agent", "run", "--data-dir", agentDir.toString());
        processes.add(agent);

        final Path first = tmp.resolve("first.json");
        Files.writeString(first, Desired.json(Desired.of(components(1))));
        final Launchers.Result set = Launchers.run(
                "baton",
                "--hub",
                hubUrl,
                "--token-file",
                adminToken.toString(),
                "desired",
                "set",
                "proc-node",
                first.toString());
        assertThat(set.exitCode()).as(set.toString()).isZero();
        awaitConverged(api, 1);
        final Launchers.Result shown =
                Launchers.run("baton", "--hub", hubUrl, "--token-file", adminToken.toString(), "node", "proc-node");
        assertThat(shown.stdout()).contains("file-0", "worker", "blocker", "healthy");
        final List<ProcessHandle> workers = processesMatching("sleep " + marker);
        assertThat(workers).hasSize(1);
        final long workerPid = workers.get(0).pid();

        // Generation 2 rewrites every file and replaces the blocker, whose process ignores SIGTERM: stopping it
        // holds the agent for its stop grace period, after the first files and before the others. The agent is
        // killed in that window.
        api.setDesired("proc-node", Desired.of(components(2)));
        final Path lastBefore = tmp.resolve("out/file-" + (FILES_BEFORE_BLOCKER - 1) + ".txt");
        await().atMost(CONVERGE)
                .pollInterval(Duration.ofMillis(5))
                .until(() ->
                        Files.exists(lastBefore) && Files.readString(lastBefore).equals("generation 2\n"));
        agent.destroyForcibly().waitFor();
        processes.remove(agent);
        assertThat(Files.readString(tmp.resolve("out/file-" + FILES_BEFORE_BLOCKER + ".txt")))
                .as("the agent was killed before it applied the files after the blocker")
                .isEqualTo("generation 1\n");

        agent = Launchers.start(
                tmp.resolve("agent-restarted.log"), "baton-agent", "run", "--data-dir", agentDir.toString());
        processes.add(agent);

        awaitConverged(api, 2);
        for (int i = 0; i < FILES; i++) {
            assertThat(Files.readString(tmp.resolve("out/file-" + i + ".txt"))).isEqualTo("generation 2\n");
        }
        assertThat(processesMatching("sleep " + marker))
                .as("the unchanged worker is adopted after the restart, not stopped and started again")
                .extracting(ProcessHandle::pid)
                .containsExactly(workerPid);
        assertThat(processesMatching("sleep " + (marker + 1)))
                .as("the old blocker is stopped")
                .isEmpty();
        assertThat(processesMatching("sleep " + (marker + 2)))
                .as("the new blocker runs")
                .hasSize(1);
    }

    private void awaitConverged(final HubApi api, final long generation) {
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            final JsonNode node = api.node("proc-node");
            assertThat(node.get("online").asBoolean()).isTrue();
            assertThat(node.get("reported").get("components")).hasSize(FILES + 2);
            assertThat(HubApi.converged(node, generation)).as(node.toString()).isTrue();
        });
    }

    /** Generation 1 or 2: the files, a blocker between them, and a worker that never changes. */
    private List<ComponentSpec> components(final int generation) {
        final List<ComponentSpec> components = new ArrayList<>();
        final String blockerCommand = "trap '' TERM; exec sleep " + (marker + generation);
        for (int i = 0; i < FILES; i++) {
            final Path file = tmp.resolve("out/file-" + i + ".txt");
            if (i == FILES_BEFORE_BLOCKER) {
                components.add(Desired.process(
                        "blocker", List.of("/bin/sh", "-c", blockerCommand), "file-" + (FILES_BEFORE_BLOCKER - 1)));
            }
            components.add(
                    i < FILES_BEFORE_BLOCKER
                            ? Desired.file("file-" + i, file, "generation " + generation + "\n")
                            : Desired.file("file-" + i, file, "generation " + generation + "\n", "blocker"));
        }
        components.add(Desired.process("worker", List.of("sleep", String.valueOf(marker))));
        return components;
    }

    private static List<ProcessHandle> processesMatching(final String needle) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(needle)).orElse(false))
                .toList();
    }
}
