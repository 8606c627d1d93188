package dev.baton.hub.internal.store;

import java.util.List;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * A node and its current desired document, read together so that both come from the same state of the store.
 *
 * @param desired empty when no desired state was ever set
 */
public record NodeWithDesired(
        @NotNull NodeRecord node, @NotNull Optional<DesiredRecord> desired, @NotNull List<EventRecord> history) {}
