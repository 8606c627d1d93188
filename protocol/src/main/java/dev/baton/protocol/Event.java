package dev.baton.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Something that happened on a node, published on {@code baton/v1/{tenant}/{node}/events}. Events are delivered
 * at least once; the hub keeps each {@code seq} once per node.
 *
 * @param type dotted, lower-case, e.g. {@code desired.rejected} or {@code component.failed}
 * @param component the component concerned, if any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(
        long seq,
        @NotNull String bootId,
        @NotNull Instant timestamp,
        @NotNull String type,
        @NotNull Severity severity,
        @Nullable String component,
        @NotNull String message) {

    /** The agent returned the node to its last fully healthy generation; the hub lists these in the node's history. */
    public static final String DESIRED_ROLLED_BACK = "desired.rolled-back";
    /** A generation failed with rollback asked for, but no earlier generation was fully healthy. */
    public static final String DESIRED_ROLLBACK_IMPOSSIBLE = "desired.rollback-impossible";

    public Event {
        message = message == null ? "" : Texts.truncate(message, Limits.MAX_MESSAGE_CHARS);
    }
}
