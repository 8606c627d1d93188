package dev.baton.adapters.api.discovery;

import org.jetbrains.annotations.NotNull;

/** A discovery handler could not do what was asked; the message says what, why and what to do. */
public final class DiscoveryException extends RuntimeException {

    public enum Reason {
        /** The handler's configuration is wrong; the document is rejected. */
        INVALID_CONFIG,
        /** The scan could not run now (no usable interface, a root that does not exist); tried again next time. */
        UNAVAILABLE
    }

    private final Reason reason;

    public DiscoveryException(final @NotNull Reason reason, final @NotNull String message) {
        super(message);
        this.reason = reason;
    }

    public DiscoveryException(final @NotNull Reason reason, final @NotNull String message, final Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public @NotNull Reason reason() {
        return reason;
    }
}
