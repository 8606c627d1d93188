package dev.baton.adapters.host.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.Observation;
import dev.baton.adapters.api.testing.RecordingContext;
import dev.baton.adapters.host.internal.ProcessLiveness;
import dev.baton.adapters.host.testing.Specs;
import dev.baton.protocol.ComponentSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptProviderTest {

    @TempDir
    Path dir;

    private RecordingContext context;
    private final ScriptProvider provider = new ScriptProvider(ScriptShell.BASH, Duration.ofSeconds(2));

    @BeforeEach
    void setUp() {
        context = new RecordingContext("setup", dir.resolve("state/setup"));
    }

    @Test
    void applyRunsTheScriptWithEnvInputAndWorkingDirAndReportsItsJsonOutput() throws IOException {
        final Path work = Files.createDirectory(dir.resolve("work"));
        final ObjectNode properties = Specs.properties();
        properties.put(
                "apply",
                "read -r input; echo \"$input\" > got-input; echo \"{\\\"greeting\\\": \\\"$GREETING\\\","
                        + " \\\"dir\\\": \\\"$(pwd)\\\"}\"");
        properties.putObject("env").put("GREETING", "hello");
        properties.put("workingDir", work.toString());
        properties.putObject("input").put("port", 8080);

        final String result = provider.apply(Specs.component("setup", "script", properties), context);

        assertThat(result).isEqualTo("apply script succeeded: {\"greeting\":\"hello\",\"dir\":\"" + work + "\"}");
        assertThat(work.resolve("got-input")).hasContent("{\"port\":8080}");
        final ObjectNode outputs = context.outputs();
        assertThat(outputs.get("exitCode").intValue()).isZero();
        assertThat(outputs.get("output").get("greeting").textValue()).isEqualTo("hello");
    }

    @Test
    void plainTextOutputIsReportedAsText() {
        final String result = provider.apply(script("{\"apply\": \"echo configured the thing\"}"), context);

        assertThat(result).isEqualTo("apply script succeeded: configured the thing");
        assertThat(context.outputs().get("output").textValue()).isEqualTo("configured the thing");
    }

    @Test
    void nonZeroExitFailsWithTheExitCodeAndTheTailOfStderr() {
        final ComponentSpec spec = script("{\"apply\": \"for i in $(seq 1 2000); do echo line $i >&2; done; exit 3\"}");

        assertThatThrownBy(() -> provider.apply(spec, context)).isInstanceOfSatisfying(ComponentException.class, e -> {
            assertThat(e.reason()).isEqualTo(ComponentException.Reason.APPLY_FAILED);
            assertThat(e.getMessage())
                    .startsWith("the apply script exited with code 3; stderr: …")
                    .endsWith("line 2000")
                    .doesNotContain("line 1\n");
            assertThat(e.getMessage().length()).isLessThan(1200);
        });
        assertThat(context.outputs().get("exitCode").intValue()).isEqualTo(3);
    }

    @Test
    void scriptThatOutlivesItsTimeoutIsKilledWithItsChildrenAndFails() throws IOException {
        final Path pidFile = dir.resolve("child.pid");
        final ComponentSpec spec =
                script("{\"timeoutSeconds\": 1, \"apply\": \"sleep 300 & echo $! > " + pidFile + "; wait\"}");

        assertThatThrownBy(() -> provider.apply(spec, context)).isInstanceOfSatisfying(ComponentException.class, e -> {
            assertThat(e.reason()).isEqualTo(ComponentException.Reason.APPLY_FAILED);
            assertThat(e.getMessage())
                    .startsWith("the apply script did not finish within 1 s (timeoutSeconds); killed it and"
                            + " its child processes");
        });
        final long child = Long.parseLong(Files.readString(pidFile).strip());
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(child)
                .map(handle -> !ProcessLiveness.isRunning(handle))
                .orElse(true));
        assertThat(provider.observe(spec, context).synced()).isFalse();
    }

    @Test
    void withoutGetObserveIsInSyncOnlyAfterASuccessfulApplyOfTheSameSpec() {
        final ComponentSpec first = script("{\"apply\": \"true\"}");
        final ComponentSpec second = script("{\"apply\": \"exit 1\"}");

        assertThat(provider.observe(first, context))
                .isEqualTo(Observation.drifted("the apply script has not succeeded for this spec yet"));
        provider.apply(first, context);
        assertThat(provider.observe(first, context)).isEqualTo(Observation.inSync());
        assertThat(provider.observe(second, context))
                .isEqualTo(Observation.drifted("the last successful apply was of another spec"));
        assertThatThrownBy(() -> provider.apply(second, context)).isInstanceOf(ComponentException.class);
        assertThat(provider.observe(first, context).synced())
                .as("a failed apply of another spec leaves the host in an unknown state")
                .isFalse();
    }

    @Test
    void getThatReportsInSyncFalseIsDriftWithItsDetail() throws IOException {
        final Path marker = dir.resolve("marker");
        final ComponentSpec spec = script("{\"apply\": \"touch " + marker + "\", \"get\": \"if [ -f " + marker
                + " ]; then echo '{\\\"inSync\\\": true}'; else echo '{\\\"inSync\\\": false, \\\"detail\\\":"
                + " \\\"marker is missing\\\"}'; fi\"}");

        assertThat(provider.observe(spec, context)).isEqualTo(Observation.drifted("marker is missing"));
        provider.apply(spec, context);
        assertThat(provider.observe(spec, context)).isEqualTo(Observation.inSync());
        Files.delete(marker);
        assertThat(provider.observe(spec, context)).isEqualTo(Observation.drifted("marker is missing"));
    }

    @Test
    void getThatExitsNonZeroIsDriftWithItsOutput() {
        final ComponentSpec spec = script("{\"apply\": \"true\", \"get\": \"echo port 8080 is closed; exit 2\"}");

        assertThat(provider.observe(spec, context))
                .isEqualTo(Observation.drifted("the get script exited with code 2: port 8080 is closed"));
    }

    @Test
    void getThatExitsZeroWithoutJsonIsInSync() {
        final ComponentSpec spec = script("{\"apply\": \"true\", \"get\": \"echo all good\"}");

        assertThat(provider.observe(spec, context)).isEqualTo(Observation.inSync());
    }

    @Test
    void removeRunsTheRemoveScriptAndForgetsTheAppliedSpec() throws IOException {
        final Path marker = dir.resolve("marker");
        final ComponentSpec spec =
                script("{\"apply\": \"touch " + marker + "\", \"remove\": \"rm -f " + marker + "\"}");
        provider.apply(spec, context);
        assertThat(marker).exists();

        provider.remove(spec, context);

        assertThat(marker).doesNotExist();
        assertThat(provider.observe(spec, context).synced()).isFalse();
        provider.remove(spec, context);
    }

    @Test
    void failingRemoveScriptIsRemoveFailed() {
        final ComponentSpec spec = script("{\"apply\": \"true\", \"remove\": \"echo cannot >&2; exit 4\"}");

        assertThatThrownBy(() -> provider.remove(spec, context)).isInstanceOfSatisfying(ComponentException.class, e -> {
            assertThat(e.reason()).isEqualTo(ComponentException.Reason.REMOVE_FAILED);
            assertThat(e.getMessage()).isEqualTo("the remove script exited with code 4; stderr: cannot");
        });
    }

    @Test
    void scriptTextIsNotOnTheCommandLineAndItsFileIsGoneAfterTheRun() {
        final ComponentSpec spec = script("{\"apply\": \"xargs -0 echo < /proc/$$/cmdline\"}");

        final String result = provider.apply(spec, context);

        assertThat(result).startsWith("apply script succeeded: /bin/bash ").doesNotContain("cmdline");
        assertThat(context.stateDirectory().resolve("apply.sh")).doesNotExist();
    }

    @Test
    void envValuesNeverAppearInFailureMessages() {
        final ComponentSpec spec = script("{\"apply\": \"exit 1\", \"env\": {\"API_KEY\": \"s3cr3t-value\"}}");

        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOf(ComponentException.class)
                .message()
                .doesNotContain("s3cr3t-value");
    }

    @Test
    void validateNamesTheBadProperty() {
        for (final var bad : List.of(
                List.of("{}", "needs property 'apply'"),
                List.of("{\"apply\": \"  \"}", "property 'apply' must hold a script, but was blank"),
                List.of(
                        "{\"apply\": \"true\", \"timeoutSeconds\": 0}",
                        "property 'timeoutSeconds' must be a whole" + " number from 1 to 3600, but was 0"),
                List.of("{\"apply\": \"true\", \"timeoutSeconds\": 3601}", "from 1 to 3600, but was 3601"),
                List.of("{\"apply\": \"true\", \"workingDir\": \"tmp\"}", "property 'workingDir' must be an absolute"),
                List.of("{\"apply\": \"true\", \"env\": {\"A\": 1}}", "property 'env.A' must be a string"),
                List.of("{\"apply\": \"true\", \"script\": \"x\"}", "has unknown property 'script'"))) {
            assertThatThrownBy(() -> provider.validate(script(bad.get(0))))
                    .as(bad.get(0))
                    .isInstanceOfSatisfying(ComponentException.class, e -> {
                        assertThat(e.reason()).isEqualTo(ComponentException.Reason.INVALID_SPEC);
                        assertThat(e.getMessage())
                                .startsWith("script component 'setup' ")
                                .contains(bad.get(1));
                    });
        }
    }

    @Test
    void powershellRunsTheScriptFileWithoutProfileOrPrompts() {
        assertThat(ScriptShell.POWERSHELL.command(Path.of("C:\\state\\apply.ps1")))
                .containsExactly(
                        "powershell",
                        "-NoProfile",
                        "-NonInteractive",
                        "-ExecutionPolicy",
                        "Bypass",
                        "-File",
                        "C:\\state\\apply.ps1");
        assertThat(ScriptShell.POWERSHELL.fileSuffix()).isEqualTo(".ps1");
    }

    private static ComponentSpec script(final String propertiesJson) {
        return Specs.component("setup", "script", propertiesJson);
    }
}
