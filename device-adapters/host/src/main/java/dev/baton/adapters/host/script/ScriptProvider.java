package dev.baton.adapters.host.script;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ComponentException.Reason;
import dev.baton.adapters.api.ComponentProvider;
import dev.baton.adapters.api.Observation;
import dev.baton.adapters.api.ProviderContext;
import dev.baton.adapters.host.internal.AtomicFiles;
import dev.baton.adapters.host.internal.IoFailures;
import dev.baton.adapters.host.script.ScriptRunner.Outcome;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.Limits;
import dev.baton.protocol.Texts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code script} components: an {@code apply} script that brings the host to the desired state, an optional
 * {@code get} script that tells whether it still is, and an optional {@code remove} script that undoes it. Scripts run
 * by bash on Linux and by PowerShell on Windows ({@link ScriptShell}), one at a time on the reconciler's thread, each
 * killed with its child processes after {@code timeoutSeconds}.
 *
 * <ul>
 *   <li>{@link #apply} runs {@code apply}; exit code 0 is success. Its stdout (as JSON when it parses, else as text,
 *       bounded) becomes the reported message and the component's outputs, and the spec hash is recorded in
 *       {@code applied.json} in the state directory. A non-zero exit or a timeout is {@code APPLY_FAILED} with the
 *       exit code and the tail of stderr.
 *   <li>{@link #observe} runs {@code get} when there is one: exit code 0 is in sync unless it prints
 *       {@code {"inSync": false, "detail": "…"}}; any other exit code is drift, described by its output. Without
 *       {@code get}, the component is in sync while {@code applied.json} holds the spec's hash.
 *   <li>{@link #remove} runs {@code remove} when there is one, then forgets the applied spec.
 * </ul>
 *
 * <p>Scripts must be idempotent: the reconciler runs {@code apply} again after drift, after a failure, and after an
 * agent restart that interrupted it. {@code env} values are never logged, since they may hold secrets.
 */
public final class ScriptProvider implements ComponentProvider {

    /** The component kind this provider applies. */
    public static final String KIND = "script";

    /** How long a script that outlived its timeout may take to exit after SIGTERM before it gets SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);

    /** How much of a script's output a reported message shows; the protocol bounds the whole message. */
    static final int MESSAGE_OUTPUT_CHARS = 1024;

    static final String APPLIED_FILE = "applied.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(ScriptProvider.class);

    private final ScriptRunner runner;

    public ScriptProvider() {
        this(ScriptShell.ofThisHost(), STOP_GRACE);
    }

    ScriptProvider(final @NotNull ScriptShell shell, final @NotNull Duration stopGrace) {
        this.runner = new ScriptRunner(shell, stopGrace);
    }

    @Override
    public @NotNull String kind() {
        return KIND;
    }

    @Override
    public void validate(final @NotNull ComponentSpec spec) {
        ScriptConfig.decode(spec);
    }

    @Override
    public @NotNull String apply(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        final ScriptConfig config = ScriptConfig.decode(spec);
        checkWorkingDir(config, Reason.APPLY_FAILED);
        forgetApplied(context);
        final Outcome outcome = run(ScriptConfig.APPLY, config.apply(), config, context, Reason.APPLY_FAILED);
        publishOutputs(context, outcome);
        if (!outcome.succeeded()) {
            throw new ComponentException(Reason.APPLY_FAILED, failure(ScriptConfig.APPLY, config, outcome));
        }
        try {
            final ObjectNode applied = JSON.createObjectNode().put("specHash", spec.specHash());
            AtomicFiles.write(appliedFile(context), JSON.writeValueAsBytes(applied), null);
        } catch (final IOException e) {
            throw new ComponentException(
                    Reason.APPLY_FAILED,
                    "the apply script succeeded but " + appliedFile(context) + " could not be written: "
                            + IoFailures.describe(e) + "; check that the agent's data directory is writable",
                    e);
        }
        final String summary = summary(outcome);
        return "apply script succeeded" + (summary.isEmpty() ? "" : ": " + summary);
    }

    @Override
    public @NotNull Observation observe(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        final ScriptConfig config = ScriptConfig.decode(spec);
        if (config.get() == null) {
            final String applied = appliedSpecHash(context);
            if (spec.specHash().equals(applied)) {
                return Observation.inSync();
            }
            return Observation.drifted(
                    applied == null
                            ? "the apply script has not succeeded for this spec yet"
                            : "the last successful apply was of another spec");
        }
        if (config.workingDir() != null && !Files.isDirectory(config.workingDir())) {
            return Observation.drifted("workingDir " + config.workingDir() + " is not an existing directory");
        }
        final Outcome outcome;
        try {
            outcome = runner.run(
                    context.componentName(), ScriptConfig.GET, config.get(), config, context.stateDirectory());
        } catch (final IOException e) {
            return Observation.drifted("could not run the get script: " + IoFailures.describe(e));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Observation.drifted("the get script was interrupted: the agent is stopping");
        }
        if (outcome.timedOut()) {
            return Observation.drifted("the get script did not finish within "
                    + config.timeout().toSeconds() + " s (timeoutSeconds) and was killed");
        }
        if (outcome.exitCode() != 0) {
            final String output = summary(outcome);
            return Observation.drifted(
                    "the get script exited with code " + outcome.exitCode() + (output.isEmpty() ? "" : ": " + output));
        }
        final JsonNode result = parsedStdout(outcome);
        if (result != null
                && result.isObject()
                && result.path("inSync").isBoolean()
                && !result.path("inSync").booleanValue()) {
            final JsonNode detail = result.path("detail");
            return Observation.drifted(
                    detail.isTextual() && !detail.textValue().isBlank()
                            ? Texts.truncate(detail.textValue(), MESSAGE_OUTPUT_CHARS)
                            : "the get script reports drift");
        }
        return Observation.inSync();
    }

    @Override
    public void remove(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        final ScriptConfig config;
        try {
            config = ScriptConfig.decode(spec);
        } catch (final ComponentException e) {
            // A spec that is no longer valid has no remove script the agent could trust to run.
            log.warn(
                    "Component {}: not running a remove script of an invalid spec: {}",
                    context.componentName(),
                    e.getMessage());
            forgetApplied(context);
            return;
        }
        if (config.remove() != null) {
            checkWorkingDir(config, Reason.REMOVE_FAILED);
            final Outcome outcome = run(ScriptConfig.REMOVE, config.remove(), config, context, Reason.REMOVE_FAILED);
            if (!outcome.succeeded()) {
                throw new ComponentException(Reason.REMOVE_FAILED, failure(ScriptConfig.REMOVE, config, outcome));
            }
        }
        forgetApplied(context);
    }

    private Outcome run(
            final String phase,
            final String script,
            final ScriptConfig config,
            final ProviderContext context,
            final Reason reason) {
        try {
            return runner.run(context.componentName(), phase, script, config, context.stateDirectory());
        } catch (final IOException e) {
            throw new ComponentException(
                    reason,
                    "could not run the " + phase + " script with "
                            + String.join(" ", runner.shell().command(Path.of("…"))) + ": " + IoFailures.describe(e)
                            + "; check that the shell is installed and the agent's data directory is writable",
                    e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ComponentException(
                    reason, "the " + phase + " script was interrupted and stopped: the agent is stopping", e);
        }
    }

    private static void checkWorkingDir(final ScriptConfig config, final Reason reason) {
        if (config.workingDir() != null && !Files.isDirectory(config.workingDir())) {
            throw new ComponentException(
                    reason,
                    "cannot run the scripts: workingDir " + config.workingDir()
                            + " is not an existing directory; create it, or change 'workingDir'");
        }
    }

    /** "the apply script exited with code 3: <stderr tail>", or the timeout, for an APPLY_FAILED or REMOVE_FAILED. */
    private static String failure(final String phase, final ScriptConfig config, final Outcome outcome) {
        if (outcome.timedOut()) {
            return "the " + phase + " script did not finish within "
                    + config.timeout().toSeconds()
                    + " s (timeoutSeconds); killed it and its child processes"
                    + (outcome.survivors().isEmpty() ? "" : ", but pids " + outcome.survivors() + " survived SIGKILL")
                    + "; make it finish sooner or raise timeoutSeconds (at most " + ScriptConfig.MAX_TIMEOUT_SECONDS
                    + ")";
        }
        final String stderr = outcome.stderrTail().strip();
        final String shown = stderr.isEmpty() ? summary(outcome) : tail(stderr);
        return "the " + phase + " script exited with code " + outcome.exitCode()
                + (shown.isEmpty() ? " and printed nothing" : (stderr.isEmpty() ? "; stdout: " : "; stderr: ") + shown);
    }

    /** The script's stdout for a message: compact JSON when it is JSON, else the text; at most a KiB. */
    private static String summary(final Outcome outcome) {
        final JsonNode parsed = parsedStdout(outcome);
        final String text =
                parsed != null ? parsed.toString() : outcome.stdout().strip();
        return Texts.truncate(text, MESSAGE_OUTPUT_CHARS);
    }

    private static String tail(final String text) {
        return text.length() <= MESSAGE_OUTPUT_CHARS
                ? text
                : "…" + text.substring(text.length() - MESSAGE_OUTPUT_CHARS + 1);
    }

    private static @Nullable JsonNode parsedStdout(final Outcome outcome) {
        final String stdout = outcome.stdout().strip();
        if (outcome.stdoutTruncated() || stdout.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(stdout);
        } catch (final JsonProcessingException e) {
            return null;
        }
    }

    /**
     * Reports what the apply script printed: {@code {"exitCode", "output"}} with the output as JSON when it parsed and
     * fits, else as text cut until the whole fits {@link Limits#MAX_OUTPUTS_BYTES}.
     */
    private static void publishOutputs(final ProviderContext context, final Outcome outcome) {
        final ObjectNode outputs = JSON.createObjectNode();
        outputs.put("exitCode", outcome.timedOut() ? null : outcome.exitCode());
        if (outcome.timedOut()) {
            outputs.put("timedOut", true);
        }
        final JsonNode parsed = parsedStdout(outcome);
        if (parsed != null) {
            outputs.set("output", parsed);
            if (encodedSize(outputs) <= Limits.MAX_OUTPUTS_BYTES) {
                context.outputs(outputs);
                return;
            }
        }
        String text = parsed != null ? parsed.toString() : outcome.stdout().strip();
        text = Texts.truncate(text, MESSAGE_OUTPUT_CHARS);
        outputs.put("output", text);
        while (encodedSize(outputs) > Limits.MAX_OUTPUTS_BYTES) {
            // Escaped control characters take six bytes each: halve until it fits.
            text = Texts.truncate(text, text.length() / 2);
            outputs.put("output", text);
        }
        context.outputs(outputs);
    }

    private static int encodedSize(final ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static Path appliedFile(final ProviderContext context) {
        return context.stateDirectory().resolve(APPLIED_FILE);
    }

    private static @Nullable String appliedSpecHash(final ProviderContext context) {
        try {
            final JsonNode applied = JSON.readTree(Files.readAllBytes(appliedFile(context)));
            return applied != null && applied.path("specHash").isTextual()
                    ? applied.get("specHash").textValue()
                    : null;
        } catch (final NoSuchFileException e) {
            return null;
        } catch (final IOException e) {
            log.warn(
                    "Component {}: ignoring unreadable {}: {}",
                    context.componentName(),
                    appliedFile(context),
                    IoFailures.describe(e));
            return null;
        }
    }

    /** Forgets the applied spec before a run, so that an apply interrupted by a crash is not taken for a success. */
    private static void forgetApplied(final ProviderContext context) {
        try {
            Files.deleteIfExists(appliedFile(context));
        } catch (final IOException e) {
            throw new ComponentException(
                    Reason.APPLY_FAILED,
                    "could not delete " + appliedFile(context) + ": " + IoFailures.describe(e)
                            + "; check that the agent's data directory is writable",
                    e);
        }
    }
}
