package dev.baton.adapters.host.internal;

import dev.baton.adapters.api.ProviderContext;
import java.time.Duration;
import java.time.Instant;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * What the provider knows about one component's process. Values are immutable: the thread that notices an exit
 * replaces a {@link Running} with an {@link Exited} by compare-and-set, so it never races the reconciler over fields.
 */
sealed interface Supervision permits Supervision.Running, Supervision.Exited {

    /** {@link dev.baton.protocol.ComponentSpec#specHash()} of the spec the process was started from. */
    @NotNull
    String specHash();

    /**
     * A process that this provider started or adopted, and whose exit it watches.
     *
     * @param context the component's context, for the reconcile request after an exit
     * @param child the process when this agent started it, so that its exit code is known; {@code null} when adopted
     * @param startInstant when the process started, as the OS reports it; {@code null} where the platform does not
     *     report it, and then a restarted agent cannot adopt the process
     * @param startedAt when the run began, for telling a stable run from a crash loop
     * @param attempt the restart attempt that started the run; 0 when a new spec or an adoption began it
     */
    record Running(
            @NotNull ProviderContext context,
            @NotNull ProcessHandle handle,
            @Nullable Process child,
            @Nullable Instant startInstant,
            @NotNull Instant startedAt,
            @NotNull String specHash,
            int attempt)
            implements Supervision {

        long pid() {
            return handle.pid();
        }

        boolean alive() {
            // For a child, the JDK's own view: alive until reaped, so exitValue() is ready once this says false.
            return child != null ? child.isAlive() : ProcessLiveness.isRunning(handle);
        }

        /** The exit code once the process has exited; {@code null} for an adopted process, which is not our child. */
        @Nullable
        Integer exitCode() {
            return child == null ? null : child.exitValue();
        }
    }

    /**
     * A process that exited on its own and waits for its restart.
     *
     * @param exitCode {@code null} when the process was adopted, since only a parent learns the exit code
     * @param attempt the restart attempt that is due
     * @param restartAtNanos when the restart is due, on {@link System#nanoTime()}'s clock
     */
    record Exited(
            @NotNull String specHash,
            long pid,
            @Nullable Integer exitCode,
            @NotNull Instant exitedAt,
            int attempt,
            @NotNull Duration delay,
            long restartAtNanos)
            implements Supervision {

        /** "exited with code 3 at 2024-05-01T10:00:00Z", for reported messages. */
        @NotNull
        String describe() {
            if (exitCode == null) {
                return "exited at " + exitedAt + " (exit code unknown: the process was adopted after an agent"
                        + " restart, and only its parent learns the code)";
            }
            return "exited with code " + exitCode + " at " + exitedAt;
        }

        /** How long until the restart is due; zero or negative once it is. */
        @NotNull
        Duration untilRestart(final long nowNanos) {
            return Duration.ofNanos(restartAtNanos - nowNanos);
        }
    }
}
