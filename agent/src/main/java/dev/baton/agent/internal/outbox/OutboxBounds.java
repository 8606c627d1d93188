package dev.baton.agent.internal.outbox;

import java.time.Duration;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * How much the outbox may hold: at most {@code maxBytes} of payload, and no event older than {@code maxAge}. The
 * latest report is kept whatever its age, since it is the node's current state.
 */
public record OutboxBounds(long maxBytes, @NotNull Duration maxAge) {

    public OutboxBounds {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("outbox maxBytes must be positive, but was " + maxBytes);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("outbox maxAge must be positive, but was " + maxAge);
        }
    }
}
