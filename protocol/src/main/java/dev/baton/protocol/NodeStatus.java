package dev.baton.protocol;

import java.time.Instant;
import java.util.List;
import org.jetbrains.annotations.NotNull;

/**
 * Birth ({@code online = true}, published on every connect) and will ({@code online = false}, left with the broker
 * at connect) of a node, retained on {@code baton/v1/{tenant}/{node}/status}. A will whose {@code bootId} differs
 * from the latest birth's is stale and ignored.
 *
 * @param protocols the protocol versions the agent speaks, newest first (see docs/protocol.md, "Versions")
 */
public record NodeStatus(
        @NotNull String bootId,
        boolean online,
        @NotNull Instant timestamp,
        @NotNull String agentVersion,
        long observedGeneration,
        @NotNull List<String> protocols) {

    public NodeStatus {
        protocols = protocols == null ? List.of() : List.copyOf(protocols);
    }
}
