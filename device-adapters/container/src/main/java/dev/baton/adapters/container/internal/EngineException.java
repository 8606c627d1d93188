package dev.baton.adapters.container.internal;

import java.util.Objects;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A call to the engine that failed. The message says why, in words an operator can act on; the provider adds what it
 * was doing and turns it into a {@code ComponentException}.
 */
public final class EngineException extends RuntimeException {

    /** Why a call failed, so that callers can treat an absent container differently from an absent engine. */
    public enum Reason {
        /** No connection: the socket is missing, refused, or not ours to open; or {@code DOCKER_HOST} is unusable. */
        UNREACHABLE,
        /** The engine accepted the connection but did not answer in time. */
        TIMEOUT,
        /** The connection broke mid-exchange, or the engine's answer was not HTTP/1.1 as expected. */
        BROKEN_RESPONSE,
        /** HTTP 404: the container or image does not exist. */
        NOT_FOUND,
        /** HTTP 409: a name is taken, or the container is in a state that forbids the operation. */
        CONFLICT,
        /** Another HTTP 4xx: the engine refused the request as malformed or unsupported. */
        REFUSED,
        /** HTTP 5xx, or an error reported inside a streamed answer (a failed pull). */
        ENGINE_FAILED
    }

    private final @NotNull Reason reason;
    private final int status;

    public EngineException(final @NotNull Reason reason, final @NotNull String message) {
        this(reason, 0, message, null);
    }

    public EngineException(
            final @NotNull Reason reason, final @NotNull String message, final @Nullable Throwable cause) {
        this(reason, 0, message, cause);
    }

    public EngineException(
            final @NotNull Reason reason,
            final int status,
            final @NotNull String message,
            final @Nullable Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.status = status;
    }

    public @NotNull Reason reason() {
        return reason;
    }

    /** The HTTP status the engine answered with, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}
