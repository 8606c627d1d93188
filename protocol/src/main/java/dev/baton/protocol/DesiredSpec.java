package dev.baton.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The part of a desired document that a user writes: what {@code PUT …/nodes/{node}/desired} takes and
 * {@code baton desired set} reads from a file. The hub adds tenant, node and generation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DesiredSpec(@NotNull List<ComponentSpec> components, @Nullable ReconcilePolicy reconcile) {

    public DesiredSpec {
        components = components == null ? List.of() : List.copyOf(components);
    }
}
