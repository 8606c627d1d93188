package dev.baton.adapters.opcua.internal;

import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/** A session to an OPC UA server could not be opened; the message names the server and says why. */
public final class ServerSessionException extends RuntimeException {

    /** Why, for the caller's decisions. */
    public enum Reason {
        /** Nothing answered at the URL, or not in time. */
        UNREACHABLE,
        /** The server answered, but offers no endpoint the requirements allow. */
        NO_USABLE_ENDPOINT,
        /** An endpoint was chosen, but the server refused the session (certificate, user, limits). */
        SESSION_REFUSED
    }

    private final @NotNull Reason reason;

    ServerSessionException(final @NotNull Reason reason, final @NotNull String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public @NotNull Reason reason() {
        return reason;
    }
}
