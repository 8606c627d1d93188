package dev.baton.adapters.host.facts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a small command (such as {@code nvidia-smi}) for its standard output, with a timeout after which the
 * command and its children are killed; its output is capped. A command that fails, times out or is missing gives
 * nothing.
 */
final class BoundedCommand {

    static final int MAX_OUTPUT_BYTES = 64 * 1024;

    private BoundedCommand() {}

    /**
     * @param command the executable (an absolute path found on PATH) and its arguments
     */
    static Optional<String> run(final List<String> command, final Duration timeout) throws InterruptedException {
        final Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .start();
        } catch (final IOException | SecurityException | UnsupportedOperationException e) {
            return Optional.empty();
        }
        try {
            // The output of the commands run here is far below a pipe's buffer, so waiting before reading cannot
            // dead-lock; a chatty command is killed at the timeout.
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                return Optional.empty();
            }
            try (InputStream out = process.getInputStream()) {
                return Optional.of(new String(out.readNBytes(MAX_OUTPUT_BYTES), StandardCharsets.UTF_8));
            } catch (final IOException e) {
                return Optional.empty();
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static java.io.File nullDevice() {
        return Path.of(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null")
                .toFile();
    }
}
