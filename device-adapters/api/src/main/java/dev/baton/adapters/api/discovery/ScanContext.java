package dev.baton.adapters.api.discovery;

import java.time.Duration;
import java.time.Instant;
import org.jetbrains.annotations.NotNull;

/**
 * One scan.
 *
 * @param deadline when {@link DiscoveryHandler#scan} must have returned: the start plus the configured
 *     {@code timeoutMs}
 */
public record ScanContext(@NotNull Instant deadline) {

    /** The time left until the deadline, never negative. */
    public @NotNull Duration remaining() {
        final Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
