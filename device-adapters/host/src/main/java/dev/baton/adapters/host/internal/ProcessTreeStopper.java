package dev.baton.adapters.host.internal;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jetbrains.annotations.NotNull;

/**
 * Stops a process together with its descendants: {@link ProcessHandle#destroy()} (SIGTERM on POSIX) to all of them,
 * then {@link ProcessHandle#destroyForcibly()} (SIGKILL) to those still alive after the grace period.
 *
 * <p>The descendants are collected before any signal is sent, because once a parent dies its children are
 * re-parented and can no longer be found through it. A descendant forked after that snapshot escapes.
 *
 * <p>Blocks the calling thread for up to the grace period plus {@link #KILL_WAIT}; the reconciler's thread may block,
 * a scheduler or event-loop thread must not call this.
 */
public final class ProcessTreeStopper {

    /** How long to wait for processes to disappear after SIGKILL, which they cannot ignore. */
    static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private static final long POLL_MILLIS = 20;

    private final Duration grace;

    public ProcessTreeStopper(final @NotNull Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, but was " + grace);
        }
        this.grace = grace;
    }

    public @NotNull Duration grace() {
        return grace;
    }

    /**
     * Stops {@code root} and its descendants.
     *
     * @return the pids that were still alive after SIGKILL and {@link #KILL_WAIT}; empty when all stopped
     */
    public @NotNull List<Long> stop(final @NotNull ProcessHandle root) {
        final List<ProcessHandle> tree =
                Stream.concat(Stream.of(root), root.descendants()).toList();
        tree.forEach(ProcessHandle::destroy);
        if (!awaitExit(tree, grace)) {
            tree.stream().filter(ProcessLiveness::isRunning).forEach(ProcessHandle::destroyForcibly);
            awaitExit(tree, KILL_WAIT);
        } else {
            // Cheap insurance against a liveness read that was wrong for an instant: a handle checks the start
            // instant before it signals, so this cannot hit a process that reuses a pid.
            tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
        return tree.stream()
                .filter(ProcessLiveness::isRunning)
                .map(ProcessHandle::pid)
                .collect(Collectors.toUnmodifiableList());
    }

    /**
     * Polls rather than joining {@code onExit()}: that costs a JDK thread per process, polls just the same, and never
     * completes for a zombie (see {@link ProcessLiveness}).
     */
    private static boolean awaitExit(final List<ProcessHandle> tree, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (tree.stream().anyMatch(ProcessLiveness::isRunning)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (final InterruptedException e) {
                // Cut the grace short rather than leave processes behind; the caller's thread stays interrupted.
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
