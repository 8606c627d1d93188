package dev.baton.hub.internal.api;

import dev.baton.hub.internal.store.DesiredRecord;
import dev.baton.hub.internal.store.NodeInventory;
import dev.baton.hub.internal.store.NodeRecord;
import dev.baton.protocol.ComponentState;
import dev.baton.protocol.ComponentStatus;
import dev.baton.protocol.DesiredDocument;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.ProtocolException;
import dev.baton.protocol.ReportedState;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds {@link ApiViews} from store records. Thread-safe. */
final class NodeViews {

    private static final Logger log = LoggerFactory.getLogger(NodeViews.class);

    private final MessageCodec codec;

    NodeViews(final @NotNull MessageCodec codec) {
        this.codec = codec;
    }

    @NotNull
    ApiViews.NodeSummary summary(final @NotNull NodeRecord node) {
        return new ApiViews.NodeSummary(
                node.name(),
                node.labels(),
                node.online(),
                node.lastSeen(),
                node.desiredGeneration(),
                node.observedGeneration(),
                node.inSync(),
                componentCounts(reported(node).map(ReportedState::components).orElse(List.of())));
    }

    @NotNull
    ApiViews.NodeDetail detail(
            final @NotNull NodeRecord node,
            final @NotNull Optional<ReportedState> reported,
            final @NotNull Optional<DesiredRecord> desired,
            final @NotNull Optional<NodeInventory> inventory,
            final @NotNull List<ApiViews.EventView> rollbacks) {
        final Optional<DesiredDocument> document = desired.map(this::document);
        return new ApiViews.NodeDetail(
                node.tenant(),
                node.name(),
                node.labels(),
                node.online(),
                node.lastSeen(),
                node.bootId(),
                node.agentVersion(),
                node.protocols(),
                node.enrolledAt(),
                new ApiViews.DesiredView(
                        node.desiredGeneration(),
                        desired.map(DesiredRecord::createdAt).orElse(null),
                        document.map(DesiredDocument::components).orElse(List.of())),
                new ApiViews.ReportedView(
                        node.observedGeneration(),
                        reported.map(ReportedState::timestamp).orElse(null),
                        reported.map(ReportedState::components).orElse(List.of()),
                        reported.map(ReportedState::conditions).orElse(List.of()),
                        reported.map(ReportedState::plan).orElse(null)),
                node.inSync(),
                inventory
                        .map(NodeInventory::hostFacts)
                        .map(json -> codec.readTree(json.getBytes(StandardCharsets.UTF_8)))
                        .orElse(null),
                new ApiViews.InventoryView(
                        inventory.map(NodeInventory::devices).orElse(0),
                        inventory.map(NodeInventory::hash).orElse(null)),
                rollbacks);
    }

    @NotNull
    DesiredDocument document(final @NotNull DesiredRecord record) {
        return codec.decode(record.documentJson().getBytes(StandardCharsets.UTF_8), MessageType.DESIRED);
    }

    /** Count per component state (every state, zero included) and {@code total}. */
    static @NotNull Map<String, Integer> componentCounts(final @NotNull List<ComponentStatus> components) {
        final Map<String, Integer> counts = new LinkedHashMap<>();
        for (final ComponentState state : ComponentState.values()) {
            counts.put(state.json(), 0);
        }
        components.forEach(component -> counts.merge(component.state().json(), 1, Integer::sum));
        counts.put("total", components.size());
        return counts;
    }

    /**
     * True once the node has worked through {@code generation} (its observed generation is at least that) and none of
     * its components is still {@code pending} or {@code applying}: whatever the outcome, nothing more will happen to
     * that generation unless something changes.
     */
    static boolean settled(
            final @NotNull NodeRecord node, final @NotNull Optional<ReportedState> reported, final long generation) {
        return node.observedGeneration() >= generation
                && reported.map(state -> state.components().stream()
                                .noneMatch(c ->
                                        c.state() == ComponentState.PENDING || c.state() == ComponentState.APPLYING))
                        .orElse(false);
    }

    @NotNull
    Optional<ReportedState> reported(final @NotNull NodeRecord node) {
        if (node.reportedJson() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    codec.decode(node.reportedJson().getBytes(StandardCharsets.UTF_8), MessageType.REPORTED));
        } catch (final ProtocolException e) {
            // Stored after validation, so only a codec change can get here; show the node without it.
            log.warn(
                    "stored reported state of {}/{} no longer decodes: {}", node.tenant(), node.name(), e.getMessage());
            return Optional.empty();
        }
    }
}
