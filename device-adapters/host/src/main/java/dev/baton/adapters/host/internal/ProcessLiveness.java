package dev.baton.adapters.host.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jetbrains.annotations.NotNull;

/**
 * Whether a process still runs. {@link ProcessHandle#isAlive()} alone says yes for a zombie, a process that has
 * exited but whose parent has not collected its exit status yet. An orphan's new parent is init, which normally
 * collects at once, but not every init does: in a container the agent itself may be PID 1, and a minimal init may
 * reap only now and then. A stopped process must not be reported as surviving because of that, so on Linux the
 * state in {@code /proc/<pid>/stat} is checked as well.
 */
public final class ProcessLiveness {

    private static final Path PROC = Path.of("/proc");

    private ProcessLiveness() {}

    public static boolean isRunning(final @NotNull ProcessHandle handle) {
        return handle.isAlive() && !isZombie(handle.pid());
    }

    private static boolean isZombie(final long pid) {
        final Path stat = PROC.resolve(Long.toString(pid)).resolve("stat");
        if (!Files.isReadable(stat)) {
            return false;
        }
        try {
            // "pid (comm) S ...": the command may itself hold ") ", so the state follows the last ')'.
            final String line = Files.readString(stat, StandardCharsets.UTF_8);
            final int end = line.lastIndexOf(')');
            return end >= 0 && end + 2 < line.length() && line.charAt(end + 2) == 'Z';
        } catch (final IOException e) {
            // The process vanished between the two calls: it is not a zombie any more, and isAlive() will say so.
            return false;
        }
    }
}
