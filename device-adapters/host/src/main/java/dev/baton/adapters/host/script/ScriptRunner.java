package dev.baton.adapters.host.script;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.adapters.host.internal.AtomicFiles;
import dev.baton.adapters.host.internal.ProcessTreeStopper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one script of a component to its end: writes it to {@code <phase>.sh} (or {@code .ps1}) in the component's
 * state directory, readable by the agent's user only, so that its text (which may hold secrets) never shows in the
 * process list; starts the shell with the component's {@code env} and the {@code input} JSON on stdin; and kills the
 * script with its child processes when it outlives the timeout.
 *
 * <p>Blocks the calling thread (the reconciler's) for up to the timeout plus the stop grace.
 */
final class ScriptRunner {

    /** How much of stdout is kept: enough for the JSON result a script prints. */
    static final int STDOUT_KEPT_BYTES = 64 * 1024;

    /** How much of the end of stderr is kept for a failure message. */
    static final int STDERR_KEPT_BYTES = 4 * 1024;

    /**
     * How long output is still read after the script exited. A child it left running in the background may keep
     * the pipes open; the script's result does not wait for that child.
     */
    private static final long OUTPUT_DRAIN_MILLIS = 2000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(ScriptRunner.class);

    private final ScriptShell shell;
    private final ProcessTreeStopper stopper;

    ScriptRunner(final @NotNull ScriptShell shell, final @NotNull Duration stopGrace) {
        this.shell = shell;
        this.stopper = new ProcessTreeStopper(stopGrace);
    }

    @NotNull
    ScriptShell shell() {
        return shell;
    }

    /**
     * How a run ended.
     *
     * @param exitCode the script's exit code; meaningless when {@code timedOut}
     * @param timedOut whether it was killed for outliving the timeout
     * @param stdout the head of its stdout, up to {@link #STDOUT_KEPT_BYTES}
     * @param stdoutTruncated whether stdout was longer than what is kept
     * @param stderrTail the tail of its stderr, up to {@link #STDERR_KEPT_BYTES}
     * @param survivors pids still alive after a timeout's SIGKILL
     */
    record Outcome(
            int exitCode,
            boolean timedOut,
            @NotNull String stdout,
            boolean stdoutTruncated,
            @NotNull String stderrTail,
            @NotNull List<Long> survivors) {

        boolean succeeded() {
            return !timedOut && exitCode == 0;
        }
    }

    /**
     * Runs {@code script}.
     *
     * @param phase {@code apply}, {@code get} or {@code remove}: names the script file and the log lines
     * @throws IOException when the script file cannot be written or the shell cannot be started
     */
    @NotNull
    Outcome run(
            final @NotNull String component,
            final @NotNull String phase,
            final @NotNull String script,
            final @NotNull ScriptConfig config,
            final @NotNull Path stateDirectory)
            throws IOException, InterruptedException {
        Files.createDirectories(stateDirectory);
        final Path scriptFile = stateDirectory.resolve(phase + shell.fileSuffix());
        final boolean posix =
                stateDirectory.getFileSystem().supportedFileAttributeViews().contains("posix");
        AtomicFiles.write(
                scriptFile,
                script.getBytes(StandardCharsets.UTF_8),
                posix ? EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE) : null);
        try {
            final Path workingDir = config.workingDir() != null ? config.workingDir() : stateDirectory;
            final ProcessBuilder builder = new ProcessBuilder(shell.command(scriptFile)).directory(workingDir.toFile());
            builder.environment().putAll(config.env());
            // Names only: values may be secrets.
            log.debug(
                    "Component {}: running its {} script in {} with env {} (timeout {} s)",
                    component,
                    phase,
                    workingDir,
                    config.env().keySet(),
                    config.timeout().toSeconds());
            final Process process = builder.start();
            final BoundedCapture stdout =
                    BoundedCapture.head(process.getInputStream(), STDOUT_KEPT_BYTES, "script-stdout-" + component);
            final BoundedCapture stderr =
                    BoundedCapture.tail(process.getErrorStream(), STDERR_KEPT_BYTES, "script-stderr-" + component);
            feedInput(process, config.input(), component);
            final boolean exited;
            try {
                exited = process.waitFor(config.timeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (final InterruptedException e) {
                // The agent is stopping: do not leave a half-run script behind unsupervised.
                stopper.stop(process.toHandle());
                throw e;
            }
            List<Long> survivors = List.of();
            if (!exited) {
                log.info(
                        "Component {}: {} script outlived its timeout of {} s; stopping it and its child processes",
                        component,
                        phase,
                        config.timeout().toSeconds());
                survivors = stopper.stop(process.toHandle());
            }
            stdout.await(OUTPUT_DRAIN_MILLIS);
            stderr.await(OUTPUT_DRAIN_MILLIS);
            return new Outcome(
                    exited ? process.exitValue() : -1,
                    !exited,
                    stdout.text(),
                    stdout.truncated(),
                    stderr.text(),
                    survivors);
        } finally {
            Files.deleteIfExists(scriptFile);
        }
    }

    /**
     * Writes {@code input} to the script's stdin on a thread of its own, since a script that never reads it would
     * otherwise block the agent once the pipe is full, then closes stdin so that a reader sees end-of-file.
     */
    private static void feedInput(final Process process, final @Nullable Object input, final String component) {
        final byte[] bytes;
        try {
            bytes = input == null ? new byte[0] : JSON.writeValueAsBytes(input);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always encodes", e);
        }
        final Thread writer = new Thread(
                () -> {
                    try (OutputStream stdin = process.getOutputStream()) {
                        stdin.write(bytes);
                    } catch (final IOException e) {
                        // The script exited or closed stdin without reading all of it: its choice.
                        log.debug("Component {}: script did not read all of its input: {}", component, e.toString());
                    }
                },
                "script-stdin-" + component);
        writer.setDaemon(true);
        writer.start();
    }
}
