package dev.baton.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The reported state of one component.
 *
 * @param generation the desired generation this state refers to
 * @param message what a person can act on; empty when there is nothing to say
 * @param lastTransition when {@code state} last changed
 * @param outputs facts the component's provider reports beyond the message (e.g. the firmware image verified on a
 *     device), at most {@link Limits#MAX_OUTPUTS_BYTES} encoded; omitted when empty
 */
public record ComponentStatus(
        @NotNull String name,
        @NotNull String kind,
        @NotNull ComponentState state,
        @NotNull String message,
        long generation,
        @NotNull Instant lastTransition,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @NotNull ObjectNode outputs) {

    public ComponentStatus {
        message = message == null ? "" : Texts.truncate(message, Limits.MAX_MESSAGE_CHARS);
        outputs = outputs == null ? JsonNodeFactory.instance.objectNode() : outputs.deepCopy();
    }

    /** A status without outputs. */
    public ComponentStatus(
            final @NotNull String name,
            final @NotNull String kind,
            final @NotNull ComponentState state,
            final @Nullable String message,
            final long generation,
            final @NotNull Instant lastTransition) {
        this(name, kind, state, message, generation, lastTransition, null);
    }

    /** The outputs, as a copy the caller may change. */
    @Override
    public @NotNull ObjectNode outputs() {
        return outputs.deepCopy();
    }
}
