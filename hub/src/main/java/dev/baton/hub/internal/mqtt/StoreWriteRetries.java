package dev.baton.hub.internal.mqtt;

import dev.baton.hub.internal.store.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a store write again, after a growing delay, while it fails with {@link StoreException.Reason#IO}: a busy or
 * briefly failing database should not cost a node's message, which is acknowledged (and so gone from the broker)
 * once the write is given up on. Other failures are not retried.
 *
 * <p>Threading: the delays run on {@link CompletableFuture#delayedExecutor}, never blocking the caller's thread.
 */
final class StoreWriteRetries {

    /** 100, 200 and 400 ms: a write is tried four times within about 0.7 s plus the store's own time. */
    static final List<Duration> DEFAULT_DELAYS =
            List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));

    private static final Logger log = LoggerFactory.getLogger(StoreWriteRetries.class);

    private final List<Duration> delays;

    StoreWriteRetries(final @NotNull List<Duration> delays) {
        this.delays = List.copyOf(delays);
    }

    /**
     * Completes like the first attempt of {@code write} that does not fail with an IO error, or like the last one.
     *
     * @param what names the write in log lines
     */
    <T> @NotNull CompletableFuture<T> run(
            final @NotNull String what, final @NotNull Supplier<CompletableFuture<T>> write) {
        return attempt(what, write, 0);
    }

    private <T> CompletableFuture<T> attempt(
            final String what, final Supplier<CompletableFuture<T>> write, final int retry) {
        return write.get()
                .handle((result, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(result);
                    }
                    final Throwable cause =
                            error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    if (!(cause instanceof StoreException store && store.reason() == StoreException.Reason.IO)
                            || retry == delays.size()) {
                        return CompletableFuture.<T>failedFuture(cause);
                    }
                    final Duration delay = delays.get(retry);
                    log.warn(
                            "storing {} failed: {}; retry {} of {} in {} ms",
                            what,
                            cause.getMessage(),
                            retry + 1,
                            delays.size(),
                            delay.toMillis());
                    return CompletableFuture.runAsync(
                                    () -> {},
                                    CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS))
                            .thenCompose(ignored -> attempt(what, write, retry + 1));
                })
                .thenCompose(next -> next);
    }
}
