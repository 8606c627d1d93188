package dev.baton.hub.internal.api;

import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.ComponentStatus;
import dev.baton.protocol.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The JSON shapes the REST API answers with. Field names are part of the acceptance contract (BRIEF.md, "Acceptance
 * contract"): change them only together with the docs and the CLI. Times are ISO-8601 UTC strings, absent ones null.
 */
public final class ApiViews {

    private ApiViews() {}

    /** One line of {@code GET …/nodes}. */
    public record NodeSummary(
            @NotNull String name,
            @NotNull Map<String, String> labels,
            boolean online,
            @Nullable Instant lastSeen,
            long desiredGeneration,
            long observedGeneration,
            boolean inSync,
            @NotNull Map<String, Integer> components) {}

    public record NodeList(@NotNull List<NodeSummary> items) {}

    /** {@code GET …/nodes/{node}}. */
    public record NodeDetail(
            @NotNull String tenant,
            @NotNull String name,
            @NotNull Map<String, String> labels,
            boolean online,
            @Nullable Instant lastSeen,
            @Nullable String bootId,
            @Nullable String agentVersion,
            @NotNull List<String> protocols,
            @Nullable Instant enrolledAt,
            @NotNull DesiredView desired,
            @NotNull ReportedView reported,
            boolean inSync) {}

    public record DesiredView(long generation, @Nullable Instant updatedAt, @NotNull List<ComponentSpec> components) {}

    public record ReportedView(
            long observedGeneration,
            @Nullable Instant timestamp,
            @NotNull List<ComponentStatus> components,
            @NotNull List<Condition> conditions) {}

    public record EventView(
            long seq,
            @NotNull String bootId,
            @NotNull Instant timestamp,
            @NotNull String type,
            @NotNull String severity,
            @Nullable String component,
            @NotNull String message) {}

    public record EventList(@NotNull List<EventView> items) {}

    /** {@code POST …/enrollment-tokens}; the only time the token is shown. */
    public record CreatedToken(
            @NotNull String token,
            @NotNull String id,
            @NotNull Instant expiresAt,
            int maxUses,
            @NotNull Map<String, String> labels) {

        /** Never shows the token: views end up in debug logs and assertion messages. */
        @Override
        public String toString() {
            return "CreatedToken[token=<redacted>, id=" + id + ", expiresAt=" + expiresAt + ", maxUses=" + maxUses
                    + ", labels=" + labels + ']';
        }
    }

    /** {@code GET …/devices}; items get their shape when inventory ingestion arrives (issue 3). */
    public record DeviceList(@NotNull List<Map<String, Object>> items) {}

    public record Generation(long generation) {}

    public record Health(@NotNull String status, @NotNull Map<String, Boolean> checks) {}
}
