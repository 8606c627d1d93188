package dev.baton.hub.internal.enroll;

import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/** An enrollment request the hub refuses; the message tells the installer what to do. */
public final class EnrollmentRefusedException extends RuntimeException {

    /** Why. */
    public enum Reason {
        /** No token has this value. */
        TOKEN_UNKNOWN,
        /** The token's time is up. */
        TOKEN_EXPIRED,
        /** The token has been used as often as it may. */
        TOKEN_USED_UP,
        /** Neither a node name nor a host name to derive one from. */
        NODE_NAME_MISSING
    }

    private final @NotNull Reason reason;

    public EnrollmentRefusedException(final @NotNull Reason reason, final @NotNull String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public @NotNull Reason reason() {
        return reason;
    }
}
