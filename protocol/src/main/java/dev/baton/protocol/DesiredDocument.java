package dev.baton.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The complete desired state of one node at one generation, published retained on
 * {@code baton/v1/{tenant}/{node}/desired}. Generations increase monotonically per node; an agent ignores a
 * document whose generation is not above the one it holds.
 */
public record DesiredDocument(
        @NotNull String tenant,
        @NotNull String node,
        long generation,
        @NotNull List<ComponentSpec> components,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @NotNull Map<String, ObjectNode> discovery,
        @NotNull ReconcilePolicy reconcile) {

    public DesiredDocument(
            final @NotNull String tenant,
            final @NotNull String node,
            final long generation,
            final @Nullable List<ComponentSpec> components,
            final @Nullable Map<String, ObjectNode> discovery,
            final @Nullable ReconcilePolicy reconcile) {
        this.tenant = tenant;
        this.node = node;
        this.generation = generation;
        this.components = components == null ? List.of() : List.copyOf(components);
        this.discovery = DesiredSpec.copyOf(discovery);
        this.reconcile = reconcile == null ? ReconcilePolicy.DEFAULT : reconcile;
    }

    /** A document without discovery configuration. */
    public DesiredDocument(
            final @NotNull String tenant,
            final @NotNull String node,
            final long generation,
            final @Nullable List<ComponentSpec> components,
            final @Nullable ReconcilePolicy reconcile) {
        this(tenant, node, generation, components, null, reconcile);
    }

    /** The discovery configuration by handler name, as a copy; see {@link DesiredSpec#discovery()}. */
    @Override
    public @NotNull Map<String, ObjectNode> discovery() {
        return DesiredSpec.copyOf(discovery);
    }

    /** The user-written part of this document. */
    public @NotNull DesiredSpec spec() {
        return new DesiredSpec(components, discovery, reconcile);
    }
}
