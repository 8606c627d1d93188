package dev.baton.adapters.opcua.internal;

import dev.baton.adapters.api.discovery.ScanContext;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jetbrains.annotations.NotNull;

/**
 * When the work of a scan must stop: the scan's deadline less a margin for closing sessions and building the
 * result, so that {@code scan} returns by {@link ScanContext#deadline()} even when every server is slow.
 */
public record Deadline(@NotNull Instant at) {

    private static final Duration MIN_MARGIN = Duration.ofMillis(50);
    private static final Duration MAX_MARGIN = Duration.ofMillis(500);

    /** The working deadline of {@code context}: a tenth of the time left is kept back, 50 ms to 500 ms. */
    public static @NotNull Deadline of(final @NotNull ScanContext context) {
        final Duration left = context.remaining();
        Duration margin = left.dividedBy(10);
        if (margin.compareTo(MIN_MARGIN) < 0) {
            margin = MIN_MARGIN;
        } else if (margin.compareTo(MAX_MARGIN) > 0) {
            margin = MAX_MARGIN;
        }
        return new Deadline(context.deadline().minus(margin));
    }

    /** A deadline {@code timeout} from now, for work not bounded by a scan (a component's apply). */
    public static @NotNull Deadline in(final @NotNull Duration timeout) {
        return new Deadline(Instant.now().plus(timeout));
    }

    /** The time left, never negative. */
    @NotNull
    public Duration remaining() {
        final Duration left = Duration.between(Instant.now(), at);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public boolean passed() {
        return !Instant.now().isBefore(at);
    }

    /** {@code limit}, or the time left when that is shorter; at least a millisecond. */
    @NotNull
    public Duration cap(final @NotNull Duration limit) {
        final Duration left = remaining();
        final Duration capped = left.compareTo(limit) < 0 ? left : limit;
        return capped.isZero() ? Duration.ofMillis(1) : capped;
    }

    /**
     * Waits for {@code future} until the deadline.
     *
     * @throws TimeoutException when the deadline passes first; the future is left to its owner to cancel
     * @throws ExecutionException when the future failed
     */
    public <T> T await(final @NotNull Future<T> future)
            throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(Math.max(1, remaining().toMillis()), TimeUnit.MILLISECONDS);
    }

    /** Waits at most {@code limit} (and never past the deadline) for {@code future}, ignoring how it ends. */
    public static void awaitQuietly(final @NotNull CompletableFuture<?> future, final @NotNull Duration limit) {
        try {
            future.get(Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final ExecutionException | TimeoutException e) {
            // Closing is best effort: a server that does not answer CloseSession loses its session by timeout.
        }
    }
}
