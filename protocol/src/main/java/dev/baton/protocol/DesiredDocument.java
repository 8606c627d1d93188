package dev.baton.protocol;

import java.util.List;
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
        @NotNull ReconcilePolicy reconcile) {

    public DesiredDocument(
            final @NotNull String tenant,
            final @NotNull String node,
            final long generation,
            final @Nullable List<ComponentSpec> components,
            final @Nullable ReconcilePolicy reconcile) {
        this.tenant = tenant;
        this.node = node;
        this.generation = generation;
        this.components = components == null ? List.of() : List.copyOf(components);
        this.reconcile = reconcile == null ? ReconcilePolicy.DEFAULT : reconcile;
    }

    /** The user-written part of this document. */
    public @NotNull DesiredSpec spec() {
        return new DesiredSpec(components, reconcile);
    }
}
