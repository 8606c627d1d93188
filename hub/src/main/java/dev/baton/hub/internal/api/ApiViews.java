package dev.baton.hub.internal.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.ComponentStatus;
import dev.baton.protocol.Condition;
import dev.baton.protocol.Plan;
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
            boolean inSync,
            @Nullable JsonNode host,
            @NotNull InventoryView inventory,
            @NotNull List<EventView> rollbacks) {}

    /**
     * What the hub holds of a node's inventory.
     *
     * @param hash the inventory hash, equal to the agent's when both hold the same devices
     */
    public record InventoryView(int devices, @Nullable String hash) {}

    public record DesiredView(long generation, @Nullable Instant updatedAt, @NotNull List<ComponentSpec> components) {}

    public record ReportedView(
            long observedGeneration,
            @Nullable Instant timestamp,
            @NotNull List<ComponentStatus> components,
            @NotNull List<Condition> conditions,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Plan plan) {}

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

    /**
     * One device of {@code GET …/devices} and {@code GET …/devices/{id}}.
     *
     * @param state {@code present} while some node holds the device in its inventory, else {@code missing}
     * @param lastSeen when a node last reported the device; while a node that holds it is online, that node's last
     *     contact
     * @param nodes the nodes that hold the device now
     */
    public record DeviceView(
            @NotNull String id,
            @NotNull String kind,
            @NotNull String source,
            @NotNull String name,
            @NotNull String state,
            @NotNull Instant firstSeen,
            @NotNull Instant lastSeen,
            @NotNull List<DeviceNodeView> nodes,
            @NotNull JsonNode properties,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable FirmwareView firmware) {}

    /**
     * The firmware image last flashed on a device, from the outputs of a node's {@code firmware} component.
     *
     * @param verified whether the node read the image back (a UF2 bootloader cannot be read back)
     */
    public record FirmwareView(
            @NotNull String sha256,
            boolean verified,
            @Nullable String chipId,
            @NotNull Instant flashedAt,
            @NotNull String node,
            @NotNull String component) {}

    public record DeviceNodeView(
            @NotNull String node, boolean online, @NotNull Instant firstSeen, @NotNull Instant lastSeen) {}

    /** @param next pass as {@code after} to get the next page; null on the last page */
    public record DeviceList(@NotNull List<DeviceView> items, @Nullable String next) {}

    public record Generation(long generation) {}

    public record Health(@NotNull String status, @NotNull Map<String, Boolean> checks) {}
}
