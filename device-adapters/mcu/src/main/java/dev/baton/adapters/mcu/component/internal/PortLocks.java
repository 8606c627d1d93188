package dev.baton.adapters.mcu.component.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jetbrains.annotations.NotNull;

/**
 * One flash at a time per port or volume, across every firmware component (and every agent) in this JVM. Keyed by
 * the real path, so that {@code /dev/serial/by-id/…} and {@code /dev/ttyUSB0} are one port.
 *
 * <p>Threading: any thread; a lock is held by the thread that flashes.
 */
public final class PortLocks {

    private static final Map<String, Held> LOCKS = new ConcurrentHashMap<>();

    private record Held(ReentrantLock lock, String[] holder) {}

    /** A held lock; {@link #close()} releases it. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    private PortLocks() {}

    /** The key a location is locked by: its real path when it exists, else the path as given. */
    public static @NotNull String key(final @NotNull String location) {
        if (location.startsWith("/")) {
            try {
                return Path.of(location).toRealPath().toString();
            } catch (final IOException | RuntimeException e) {
                return Path.of(location).normalize().toString();
            }
        }
        return location;
    }

    /**
     * Takes the lock of {@code location}, waiting up to {@code wait} for another flash of it to end.
     *
     * @param holder who flashes, for the message of whoever waits in vain
     * @throws IllegalStateException naming the holder when the wait ran out
     */
    public static @NotNull Lease acquire(
            final @NotNull String location, final @NotNull String holder, final @NotNull Duration wait) {
        final String key = key(location);
        final Held held = LOCKS.computeIfAbsent(key, k -> new Held(new ReentrantLock(), new String[1]));
        final boolean got;
        try {
            got = held.lock().tryLock(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + key + " to be free", e);
        }
        if (!got) {
            throw new IllegalStateException(key + " is being flashed by " + held.holder()[0] + " for longer than "
                    + wait.toSeconds() + " s; this component tries again later");
        }
        held.holder()[0] = holder;
        return () -> {
            held.holder()[0] = null;
            held.lock().unlock();
        };
    }

    /** Whether someone flashes {@code location} now (for tests). */
    public static boolean isLocked(final @NotNull String location) {
        final Held held = LOCKS.get(key(location));
        return held != null && held.lock().isLocked();
    }
}
