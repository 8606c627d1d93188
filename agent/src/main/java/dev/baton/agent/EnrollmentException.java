package dev.baton.agent;

import java.util.Objects;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/** Enrollment did not produce credentials; the message says what failed and what to do. */
public final class EnrollmentException extends RuntimeException {

    /** Why enrollment failed. */
    public enum Reason {
        /** The hub answered with an error (bad or used token, node name taken, …). */
        REFUSED,
        /** The hub could not be reached (wrong URL, hub down, network). */
        UNREACHABLE,
        /** The hub answered, but not with a valid enrollment response. */
        INVALID_RESPONSE
    }

    private final @NotNull Reason reason;
    private final int httpStatus;
    private final @Nullable String hubReason;

    public EnrollmentException(
            final @NotNull Reason reason,
            final @NotNull String message,
            final int httpStatus,
            final @Nullable String hubReason,
            final @Nullable Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.httpStatus = httpStatus;
        this.hubReason = hubReason;
    }

    public @NotNull Reason reason() {
        return reason;
    }

    /** The HTTP status of the hub's answer; 0 when there was none. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The {@code reason} field of the hub's error body, when it had one. */
    public @NotNull Optional<String> hubReason() {
        return Optional.ofNullable(hubReason);
    }
}
