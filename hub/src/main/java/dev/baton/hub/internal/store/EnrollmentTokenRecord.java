package dev.baton.hub.internal.store;

import java.time.Instant;
import java.util.Map;
import org.jetbrains.annotations.NotNull;

/** A new row of {@code enrollment_tokens}; the token itself is never stored, only its hash. */
public record EnrollmentTokenRecord(
        @NotNull String id,
        @NotNull String tenant,
        @NotNull String tokenHash,
        @NotNull Instant expiresAt,
        int maxUses,
        @NotNull Map<String, String> labels,
        @NotNull Instant createdAt) {

    public EnrollmentTokenRecord {
        labels = Map.copyOf(labels);
    }
}
