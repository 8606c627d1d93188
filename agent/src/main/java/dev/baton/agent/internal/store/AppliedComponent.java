package dev.baton.agent.internal.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.ComponentState;
import java.time.Instant;
import org.jetbrains.annotations.NotNull;

/**
 * One row of the {@code applied} table: the spec the agent last worked on for a component, and where it stands.
 *
 * @param generation the desired generation this state refers to
 */
public record AppliedComponent(
        @NotNull ComponentSpec spec,
        @NotNull String specHash,
        @NotNull ComponentState state,
        @NotNull String message,
        long generation,
        @NotNull Instant lastTransition,
        @NotNull ObjectNode outputs) {

    public @NotNull String name() {
        return spec.name();
    }
}
