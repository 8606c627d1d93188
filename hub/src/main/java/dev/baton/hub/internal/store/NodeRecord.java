package dev.baton.hub.internal.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * One row of {@code nodes}.
 *
 * @param enrolledAt when the node last enrolled; null when it never did (it may exist without, when desired state
 *     came first)
 * @param reportedJson the last accepted reported state, as the agent sent it
 */
public record NodeRecord(
        @NotNull String tenant,
        @NotNull String name,
        @NotNull Map<String, String> labels,
        @Nullable Instant enrolledAt,
        boolean online,
        @Nullable Instant lastSeen,
        @Nullable String bootId,
        @Nullable String agentVersion,
        @NotNull List<String> protocols,
        long desiredGeneration,
        long observedGeneration,
        long lastReportedSeq,
        @Nullable String reportedJson) {

    public NodeRecord {
        labels = Map.copyOf(labels);
        protocols = List.copyOf(protocols);
    }

    /** Whether the agent has worked on the newest desired generation. */
    public boolean inSync() {
        return observedGeneration == desiredGeneration;
    }
}
