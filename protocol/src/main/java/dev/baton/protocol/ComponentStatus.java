package dev.baton.protocol;

import java.time.Instant;
import org.jetbrains.annotations.NotNull;

/**
 * The reported state of one component.
 *
 * @param generation the desired generation this state refers to
 * @param message what a person can act on; empty when there is nothing to say
 * @param lastTransition when {@code state} last changed
 */
public record ComponentStatus(
        @NotNull String name,
        @NotNull String kind,
        @NotNull ComponentState state,
        @NotNull String message,
        long generation,
        @NotNull Instant lastTransition) {

    public ComponentStatus {
        message = message == null ? "" : Texts.truncate(message, Limits.MAX_MESSAGE_CHARS);
    }
}
