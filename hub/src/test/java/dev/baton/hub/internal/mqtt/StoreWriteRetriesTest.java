package dev.baton.hub.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.hub.internal.store.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which failed store writes are tried again, and how often. */
class StoreWriteRetriesTest {

    private final StoreWriteRetries retries =
            new StoreWriteRetries(List.of(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4)));
    private final AtomicInteger attempts = new AtomicInteger();

    @Test
    void aWriteThatFailsWithAnIoErrorIsTriedAgainUntilItSucceeds() {
        final CompletableFuture<String> written = retries.run(
                "a test write",
                () -> attempts.incrementAndGet() < 3
                        ? CompletableFuture.failedFuture(ioError())
                        : CompletableFuture.completedFuture("stored"));

        assertThat(written.join()).isEqualTo("stored");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void aWriteIsGivenUpOnWithItsLastErrorAfterEveryRetryFailed() {
        final CompletableFuture<String> written = retries.run("a test write", () -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(ioError());
        });

        assertThatThrownBy(written::join)
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(StoreException.class);
        assertThat(attempts).hasValue(4);
    }

    @Test
    void aWriteThatFailsForAnyOtherReasonIsNotTriedAgain() {
        final CompletableFuture<String> written = retries.run("a test write", () -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(
                    new StoreException(StoreException.Reason.CLOSED, "the store test.db is closed"));
        });

        assertThatThrownBy(written::join).hasRootCauseMessage("the store test.db is closed");
        assertThat(attempts).hasValue(1);
    }

    private static StoreException ioError() {
        return new StoreException(StoreException.Reason.IO, "database test.db failed: [SQLITE_BUSY]");
    }
}
