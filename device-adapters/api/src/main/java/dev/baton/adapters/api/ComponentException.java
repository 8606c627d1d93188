package dev.baton.adapters.api;

import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/** A component that a provider cannot validate, apply or remove; the message is shown to the operator. */
public final class ComponentException extends RuntimeException {

    /** What kind of failure, for retry decisions and reported conditions. */
    public enum Reason {
        /** The spec itself is wrong; retrying the same spec cannot help. */
        INVALID_SPEC,
        /** Applying failed on the host (permissions, missing executable, I/O); a retry may help. */
        APPLY_FAILED,
        /** Removing failed on the host. */
        REMOVE_FAILED
    }

    private final @NotNull Reason reason;

    public ComponentException(final @NotNull Reason reason, final @NotNull String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public ComponentException(final @NotNull Reason reason, final @NotNull String message, final Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public @NotNull Reason reason() {
        return reason;
    }
}
