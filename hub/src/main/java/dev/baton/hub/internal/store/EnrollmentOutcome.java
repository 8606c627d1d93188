package dev.baton.hub.internal.store;

import java.time.Instant;
import java.util.Map;
import org.jetbrains.annotations.NotNull;

/** What {@link HubStore#enroll} did. */
public sealed interface EnrollmentOutcome {

    /** The token was valid and has been counted; the node holds the new credential. */
    record Enrolled(
            @NotNull String tenant,
            @NotNull String node,
            @NotNull String tokenId,
            @NotNull Map<String, String> labels,
            boolean reEnrolled)
            implements EnrollmentOutcome {

        public Enrolled {
            labels = Map.copyOf(labels);
        }
    }

    /** No token has this hash. */
    record UnknownToken() implements EnrollmentOutcome {}

    /** The token expired at {@code expiresAt}. */
    record ExpiredToken(@NotNull String tokenId, @NotNull Instant expiresAt) implements EnrollmentOutcome {}

    /** The token has been used {@code maxUses} times. */
    record UsedUpToken(@NotNull String tokenId, int maxUses) implements EnrollmentOutcome {}
}
