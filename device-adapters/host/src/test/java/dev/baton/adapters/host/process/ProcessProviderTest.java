package dev.baton.adapters.host.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.Observation;
import dev.baton.adapters.api.testing.RecordingContext;
import dev.baton.adapters.host.internal.ProcessLiveness;
import dev.baton.adapters.host.internal.ProcessSupervisor;
import dev.baton.adapters.host.internal.RestartBackoff;
import dev.baton.adapters.host.testing.Specs;
import dev.baton.protocol.ComponentSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessProviderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TEST_GRACE = Duration.ofSeconds(2);
    /** Restarts within a test's patience, and deterministic: no jitter. */
    private static final RestartBackoff FAST_BACKOFF =
            new RestartBackoff(Duration.ofMillis(200), Duration.ofSeconds(1), 0, Duration.ofSeconds(60));

    @TempDir
    Path dir;

    private ScheduledExecutorService scheduler;
    private RecordingContext context;
    private final List<ProcessProvider> providers = new ArrayList<>();
    private final List<Long> startedPids = new ArrayList<>();

    @BeforeEach
    void setUp() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        context = new RecordingContext("app", dir.resolve("state/app"));
    }

    @AfterEach
    void killEverythingStarted() {
        providers.forEach(ProcessProvider::close);
        scheduler.shutdownNow();
        // Snapshot the whole tree before killing anything: a killed shell's children are re-parented, and a provider
        // that was closed leaves its processes to the next agent, so neither would be found afterwards.
        final List<ProcessHandle> everything = Stream.concat(
                        startedPids.stream().flatMap(pid -> ProcessHandle.of(pid).stream()),
                        Stream.of(ProcessHandle.current()))
                .flatMap(root -> Stream.concat(Stream.of(root), root.descendants()))
                .filter(handle -> !handle.equals(ProcessHandle.current()))
                .distinct()
                .toList();
        everything.forEach(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(5)).until(() -> everything.stream().noneMatch(ProcessLiveness::isRunning));
    }

    @Test
    void applyStartsTheProcessRecordsItAndObserveIsInSync() throws IOException {
        final ProcessProvider provider = provider(RestartBackoff.DEFAULT);
        final ComponentSpec spec = process("sh", "-c", "echo hi; exec sleep 30");

        final String result = provider.apply(spec, context);

        final long pid = recordedPid();
        assertThat(result).isEqualTo("started pid " + pid + ": sh -c echo hi; exec sleep 30");
        assertThat(ProcessHandle.of(pid))
                .hasValueSatisfying(handle -> assertThat(handle.isAlive()).isTrue());
        assertThat(provider.observe(spec, context)).isEqualTo(Observation.inSync());
        await().untilAsserted(() ->
                assertThat(context.stateDirectory().resolve("output.log")).hasContent("hi"));
        final ObjectNode record = (ObjectNode)
                JSON.readTree(context.stateDirectory().resolve("process.json").toFile());
        assertThat(record.get("specHash").textValue()).isEqualTo(spec.specHash());
        assertThat(Instant.parse(record.get("startInstant").textValue()))
                .isEqualTo(ProcessHandle.of(pid)
                        .orElseThrow()
                        .info()
                        .startInstant()
                        .orElseThrow());
    }

    @Test
    void secondApplyOfTheSameSpecKeepsTheRunningProcess() throws IOException {
        final ProcessProvider provider = provider(RestartBackoff.DEFAULT);
        final ComponentSpec spec = process("sleep", "30");
        provider.apply(spec, context);
        final long pid = recordedPid();

        final String result = provider.apply(spec, context);

        assertThat(result).isEqualTo("running as pid " + pid);
        assertThat(recordedPid()).isEqualTo(pid);
        assertThat(countDescendantsRunning("sleep", "30")).isEqualTo(1);
    }

    @Test
    void envAndWorkingDirReachTheProcessAndItsOutputGoesToTheLog() throws IOException {
        final ProcessProvider provider = provider(RestartBackoff.DEFAULT);
        final Path workingDir = Files.createDirectory(dir.resolve("work"));
        final ObjectNode properties = Specs.properties();
        properties.putArray("command").add("sh").add("-c").add("echo \"$BATON_GREETING from $(pwd)\" >&2; sleep 30");
        properties.putObject("env").put("BATON_GREETING", "hello");
        properties.put("workingDir", workingDir.toString());

        provider.apply(Specs.component("app", "process", properties), context);
        track(recordedPid());

        await().untilAsserted(() ->
                assertThat(context.stateDirectory().resolve("output.log")).hasContent("hello from " + workingDir));
    }

    @Test
    void killedProcessIsReportedAndRestartedOnlyAfterTheBackoffDelayHasPassed() throws IOException {
        final RestartBackoff twoSeconds =
                new RestartBackoff(Duration.ofSeconds(2), Duration.ofSeconds(60), 0, Duration.ofSeconds(60));
        final ProcessProvider provider = provider(twoSeconds);
        final ComponentSpec spec = process("sleep", "30");
        provider.apply(spec, context);
        final long firstPid = recordedPid();

        ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();

        await().untilAsserted(() -> assertThat(provider.observe(spec, context).detail())
                .startsWith("process is not running (exited with code 137 at ")
                .contains("restart scheduled in "));
        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComponentException.Reason.APPLY_FAILED))
                .hasMessageStartingWith("process exited with code 137 at ")
                .hasMessageContaining("next restart (attempt 1) in ");
        assertThat(context.reconcileReasons()).isEmpty();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(context.reconcileReasons())
                .containsExactly("process exited with code 137; restarting (attempt 1)"));
        assertThat(provider.observe(spec, context).detail()).endsWith("restart is due");
        final String result = provider.apply(spec, context);

        final long secondPid = recordedPid();
        assertThat(secondPid).isNotEqualTo(firstPid);
        assertThat(result).isEqualTo("restart attempt 1: started pid " + secondPid + ": sleep 30");
        assertThat(provider.observe(spec, context)).isEqualTo(Observation.inSync());
    }

    @Test
    void aCrashLoopWaitsLongerBeforeEachRestart() {
        final ProcessProvider provider = provider(FAST_BACKOFF);
        final ComponentSpec spec = process("false");

        provider.apply(spec, context);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(context.reconcileReasons())
                .containsExactly("process exited with code 1; restarting (attempt 1)"));
        provider.apply(spec, context);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(context.reconcileReasons())
                .endsWith("process exited with code 1; restarting (attempt 2)"));

        final Observation observation = provider.observe(spec, context);
        assertThat(observation.synced()).isFalse();
        assertThat(observation.detail()).startsWith("process is not running (exited with code 1 at ");
    }

    @Test
    void changedSpecStopsTheOldProcessAndStartsTheNewOneAtOnce() throws IOException {
        final ProcessProvider provider = provider(RestartBackoff.DEFAULT);
        final ComponentSpec oldSpec = process("sleep", "31");
        final ComponentSpec newSpec = process("sleep", "32");
        provider.apply(oldSpec, context);
        final ProcessHandle oldProcess = ProcessHandle.of(recordedPid()).orElseThrow();

        assertThat(provider.observe(newSpec, context).detail())
                .startsWith("process pid " + oldProcess.pid() + " runs another spec");
        final String result = provider.apply(newSpec, context);

        final long newPid = recordedPid();
        assertThat(newPid).isNotEqualTo(oldProcess.pid());
        assertThat(ProcessLiveness.isRunning(oldProcess)).isFalse();
        assertThat(result).startsWith("replaced pid " + oldProcess.pid() + " (spec changed): started pid " + newPid);
        assertThat(provider.observe(newSpec, context)).isEqualTo(Observation.inSync());
        // A deliberate stop is not a crash: no restart is requested for it.
        assertThat(context.reconcileReasons()).isEmpty();
    }

    @Test
    void removeStopsTheProcessAndItsDescendantsAndForgetsIt() throws IOException {
        final ProcessProvider provider = provider(RestartBackoff.DEFAULT);
        final ComponentSpec spec = process("sh", "-c", "sleep 300 & sleep 300; true");
        provider.apply(spec, context);
        final ProcessHandle shell = ProcessHandle.of(recordedPid()).orElseThrow();
        await().until(() -> shell.children().count() == 2);
        final List<ProcessHandle> tree = new ArrayList<>(shell.descendants().toList());
        tree.forEach(handle -> track(handle.pid()));
        tree.add(shell);

        provider.remove(spec, context);

        assertThat(tree).noneMatch(ProcessLiveness::isRunning);
        assertThat(context.stateDirectory().resolve("process.json")).doesNotExist();
        assertThat(provider.observe(spec, context)).isEqualTo(Observation.drifted("process is not running"));
        assertThat(context.reconcileReasons()).isEmpty();
    }

    @Test
    void removeSendsSigkillToAProcessThatIgnoresSigterm() throws IOException {
        final ProcessProvider provider = new ProcessProvider(scheduler, RestartBackoff.DEFAULT, Duration.ofMillis(300));
        providers.add(provider);
        final ComponentSpec spec = process("sh", "-c", "trap '' TERM; echo trapped; while :; do sleep 1; done");
        provider.apply(spec, context);
        final ProcessHandle shell = ProcessHandle.of(recordedPid()).orElseThrow();
        await().untilAsserted(() ->
                assertThat(context.stateDirectory().resolve("output.log")).hasContent("trapped"));

        provider.remove(spec, context);

        assertThat(ProcessLiveness.isRunning(shell))
                .as(() -> "shell still running after remove; /proc says: " + procStat(shell.pid()))
                .isFalse();
    }

    @Test
    void removeOfAComponentThatIsNotRunningSucceeds() {
        final ProcessProvider provider = provider(RestartBackoff.DEFAULT);

        provider.remove(process("sleep", "30"), context);

        assertThat(context.stateDirectory().resolve("process.json")).doesNotExist();
    }

    @Test
    void closeLeavesTheProcessRunningAndANewProviderAdoptsItInsteadOfStartingASecond() throws IOException {
        final ComponentSpec spec = process("sleep", "33");
        final ProcessProvider first = provider(RestartBackoff.DEFAULT);
        first.apply(spec, context);
        final long pid = recordedPid();

        first.close();
        final ProcessProvider second = provider(RestartBackoff.DEFAULT);

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).hasValue(true);
        assertThat(second.observe(spec, context)).isEqualTo(Observation.inSync());
        assertThat(second.apply(spec, context)).isEqualTo("running as pid " + pid);
        assertThat(countDescendantsRunning("sleep", "33")).isEqualTo(1);
    }

    @Test
    void afterCloseAnExitRequestsNoReconcile() throws IOException {
        final ProcessProvider provider = provider(FAST_BACKOFF);
        provider.apply(process("sleep", "30"), context);
        final ProcessHandle process = ProcessHandle.of(recordedPid()).orElseThrow();

        provider.close();
        process.destroyForcibly();

        await().until(() -> !ProcessLiveness.isRunning(process));
        // Several times FAST_BACKOFF's first delay: a closed provider that still watched would have asked by then.
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> context.reconcileReasons()
                .isEmpty());
    }

    @Test
    void adoptedProcessThatExitsIsReportedWithAnUnknownExitCodeAndRestarted() throws IOException {
        final ComponentSpec spec = process("sleep", "34");
        final ProcessProvider first = provider(FAST_BACKOFF);
        first.apply(spec, context);
        final long pid = recordedPid();
        first.close();
        final ProcessProvider second = provider(FAST_BACKOFF);
        assertThat(second.observe(spec, context).synced()).isTrue();

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(context.reconcileReasons())
                .containsExactly("process exited (exit code unknown); restarting (attempt 1)"));
        assertThat(second.observe(spec, context).detail()).contains("exit code unknown: the process was adopted");
        second.apply(spec, context);
        assertThat(recordedPid()).isNotEqualTo(pid);
        assertThat(second.observe(spec, context)).isEqualTo(Observation.inSync());
    }

    @Test
    void newProviderReplacesAnAdoptedProcessThatRunsAnOlderSpec() throws IOException {
        final ProcessProvider first = provider(RestartBackoff.DEFAULT);
        first.apply(process("sleep", "35"), context);
        final ProcessHandle old = ProcessHandle.of(recordedPid()).orElseThrow();
        first.close();
        final ProcessProvider second = provider(RestartBackoff.DEFAULT);
        final ComponentSpec newSpec = process("sleep", "36");

        second.apply(newSpec, context);

        assertThat(ProcessLiveness.isRunning(old)).isFalse();
        assertThat(recordedPid()).isNotEqualTo(old.pid());
        assertThat(second.observe(newSpec, context)).isEqualTo(Observation.inSync());
    }

    @Test
    void newProviderRemovesTheProcessItFindsRecorded() throws IOException {
        final ComponentSpec spec = process("sleep", "37");
        final ProcessProvider first = provider(RestartBackoff.DEFAULT);
        first.apply(spec, context);
        final ProcessHandle process = ProcessHandle.of(recordedPid()).orElseThrow();
        first.close();

        provider(RestartBackoff.DEFAULT).remove(spec, context);

        assertThat(ProcessLiveness.isRunning(process)).isFalse();
    }

    @Test
    void recordWhoseStartInstantDiffersIsNotAdoptedBecauseThePidMayBeReused() throws IOException {
        final ComponentSpec spec = process("sleep", "38");
        final ProcessProvider first = provider(RestartBackoff.DEFAULT);
        first.apply(spec, context);
        final ProcessHandle stranger = ProcessHandle.of(recordedPid()).orElseThrow();
        first.close();
        final Path recordFile = context.stateDirectory().resolve("process.json");
        final ObjectNode record = (ObjectNode) JSON.readTree(recordFile.toFile());
        record.put(
                "startInstant",
                Instant.parse(record.get("startInstant").textValue())
                        .minusSeconds(3600)
                        .toString());
        JSON.writeValue(recordFile.toFile(), record);
        final ProcessProvider second = provider(RestartBackoff.DEFAULT);

        assertThat(second.observe(spec, context)).isEqualTo(Observation.drifted("process is not running"));
        second.apply(spec, context);

        assertThat(recordedPid()).isNotEqualTo(stranger.pid());
        // Not proven to be ours, so not touched.
        assertThat(stranger.isAlive()).isTrue();
    }

    @Test
    void missingExecutableFailsNamingTheCommandAndTheOsError() {
        final ProcessProvider provider = provider(RestartBackoff.DEFAULT);

        assertThatThrownBy(() -> provider.apply(process("/nonexistent/baton-no-such-program", "--flag"), context))
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComponentException.Reason.APPLY_FAILED))
                .hasMessageStartingWith("could not start `/nonexistent/baton-no-such-program --flag`: ")
                .hasMessageContaining("No such file or directory")
                .hasMessageContaining("check that the executable exists");
        assertThat(context.stateDirectory().resolve("process.json")).doesNotExist();
    }

    @Test
    void executableWithoutExecutePermissionFailsWithTheOsError() throws IOException {
        final ProcessProvider provider = provider(RestartBackoff.DEFAULT);
        final Path script = Files.writeString(dir.resolve("script.sh"), "#!/bin/sh\nsleep 30\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> provider.apply(process(script.toString()), context))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining(script.toString())
                .hasMessageContaining("Permission denied");
    }

    @Test
    void missingWorkingDirFailsNamingIt() {
        final ProcessProvider provider = provider(RestartBackoff.DEFAULT);
        final ObjectNode properties =
                Specs.properties().put("workingDir", dir.resolve("absent").toString());
        properties.putArray("command").add("sleep").add("30");

        assertThatThrownBy(() -> provider.apply(Specs.component("app", "process", properties), context))
                .isInstanceOf(ComponentException.class)
                .hasMessage("cannot start `sleep 30`: workingDir " + dir.resolve("absent")
                        + " is not an existing directory; create it, or change 'workingDir'");
    }

    @Test
    void outputLogLargerThanOneMebibyteIsRotatedAtStart() throws IOException {
        final ProcessProvider provider = provider(RestartBackoff.DEFAULT);
        Files.createDirectories(context.stateDirectory());
        final Path log = context.stateDirectory().resolve("output.log");
        Files.write(log, new byte[(int) ProcessSupervisor.MAX_LOG_BYTES + 1]);

        provider.apply(process("sh", "-c", "echo fresh; exec sleep 30"), context);

        assertThat(context.stateDirectory().resolve("output.log.1")).hasSize(ProcessSupervisor.MAX_LOG_BYTES + 1);
        await().untilAsserted(() -> assertThat(log).hasContent("fresh"));
    }

    @Test
    void outputLogOfAChattyRunningProcessIsRotatedWhileItRunsAndStaysBounded() throws IOException {
        final ProcessProvider provider =
                new ProcessProvider(scheduler, RestartBackoff.DEFAULT, TEST_GRACE, Duration.ofMillis(100));
        providers.add(provider);
        final Path log = context.stateDirectory().resolve("output.log");
        final Path previous = context.stateDirectory().resolve("output.log.1");
        // About 1.3 MB/s, without end: several MiB over the test, while a check every 100 ms lets the log pass
        // MAX_LOG_BYTES by some 130 KB at most.
        provider.apply(
                process("sh", "-c", "while :; do yes baton-output-line | head -c 65536; sleep 0.05; done"), context);
        final long pid = recordedPid();

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(previous).exists().satisfies(file -> assertThat(Files.size(file))
                        .isGreaterThan(ProcessSupervisor.MAX_LOG_BYTES)));
        final long bound = 2 * ProcessSupervisor.MAX_LOG_BYTES;
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(Files.size(log)).isLessThanOrEqualTo(bound));
        // Truncated in place: the same process still writes to it, and it restarts at the beginning without a hole.
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).hasValue(true);
        assertThat(Files.readAllBytes(log)).doesNotContain(0);
        assertThat(Files.readString(previous)).startsWith("baton-output-line\n");
    }

    @Test
    void afterRemoveTheOutputLogIsNoLongerRotated() throws IOException {
        final ProcessProvider provider =
                new ProcessProvider(scheduler, RestartBackoff.DEFAULT, TEST_GRACE, Duration.ofMillis(100));
        providers.add(provider);
        final ComponentSpec spec = process("sleep", "30");
        provider.apply(spec, context);
        recordedPid();
        provider.remove(spec, context);
        final Path log = context.stateDirectory().resolve("output.log");
        Files.write(log, new byte[(int) ProcessSupervisor.MAX_LOG_BYTES + 1]);

        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> Files.size(log) == ProcessSupervisor.MAX_LOG_BYTES + 1);
        assertThat(context.stateDirectory().resolve("output.log.1")).doesNotExist();
    }

    private ProcessProvider provider(final RestartBackoff backoff) {
        final ProcessProvider provider = new ProcessProvider(scheduler, backoff, TEST_GRACE);
        providers.add(provider);
        return provider;
    }

    private long recordedPid() throws IOException {
        final long pid = JSON.readTree(
                        context.stateDirectory().resolve("process.json").toFile())
                .get("pid")
                .longValue();
        track(pid);
        return pid;
    }

    private void track(final long pid) {
        startedPids.add(pid);
    }

    private static ComponentSpec process(final String... command) {
        final ObjectNode properties = Specs.properties();
        final var array = properties.putArray("command");
        for (final String part : command) {
            array.add(part);
        }
        return Specs.component("app", "process", properties);
    }

    private static String procStat(final long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (final IOException e) {
            return "nothing (" + e + ")";
        }
    }

    private static long countDescendantsRunning(final String... command) {
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessLiveness::isRunning)
                .filter(handle -> handle.info()
                        .commandLine()
                        .map(line -> line.endsWith(String.join(" ", command)))
                        .orElse(false))
                .count();
    }
}
