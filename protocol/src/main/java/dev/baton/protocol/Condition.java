package dev.baton.protocol;

import java.time.Instant;
import org.jetbrains.annotations.NotNull;

/**
 * A node-level fact in reported state, in the style of Kubernetes conditions: {@code DesiredAccepted} false with
 * reason {@code INVALID_FIELD} when the last desired document was rejected, for example.
 */
public record Condition(
        @NotNull String type,
        boolean status,
        @NotNull String reason,
        @NotNull String message,
        @NotNull Instant lastTransition) {

    /** Whether the last desired document received was accepted. */
    public static final String DESIRED_ACCEPTED = "DesiredAccepted";
    /** True while the node runs the last fully healthy generation because a newer one failed. */
    public static final String ROLLED_BACK = "RolledBack";

    public Condition {
        message = message == null ? "" : Texts.truncate(message, Limits.MAX_MESSAGE_CHARS);
    }
}
