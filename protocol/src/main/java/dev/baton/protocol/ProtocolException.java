package dev.baton.protocol;

import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * A message that Baton refuses: it is malformed, too large, breaks a rule of the protocol, or speaks a version
 * this side does not. A rejected message changes nothing on the receiving side.
 */
public final class ProtocolException extends RuntimeException {

    /** Why a message was refused; stable names that appear in events and API errors. */
    public enum Reason {
        /** The payload exceeds the size limit of its message type. */
        TOO_LARGE,
        /** The payload is not JSON, or not the JSON shape of its message type (including unknown fields). */
        MALFORMED,
        /** A field is missing or its value breaks a rule (pattern, range, reference). */
        INVALID_FIELD,
        /** The message names a protocol version this side does not speak. */
        UNSUPPORTED_VERSION
    }

    private final @NotNull Reason reason;

    public ProtocolException(final @NotNull Reason reason, final @NotNull String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public ProtocolException(final @NotNull Reason reason, final @NotNull String message, final Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public @NotNull Reason reason() {
        return reason;
    }
}
