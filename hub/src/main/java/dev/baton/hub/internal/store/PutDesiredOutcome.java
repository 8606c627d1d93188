package dev.baton.hub.internal.store;

import org.jetbrains.annotations.NotNull;

/** What {@link HubStore#putDesired} did. */
public sealed interface PutDesiredOutcome {

    /** The document was stored as the node's new current generation. */
    record Stored(@NotNull DesiredRecord record) implements PutDesiredOutcome {}

    /** The caller expected another generation than {@code currentGeneration}; nothing was stored. */
    record Conflict(long currentGeneration) implements PutDesiredOutcome {}
}
