package dev.baton.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The part of a desired document that a user writes: what {@code PUT …/nodes/{node}/desired} takes and
 * {@code baton desired set} reads from a file. The hub adds tenant, node and generation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DesiredSpec(
        @NotNull List<ComponentSpec> components,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @NotNull Map<String, ObjectNode> discovery,
        @Nullable ReconcilePolicy reconcile) {

    public DesiredSpec {
        components = components == null ? List.of() : List.copyOf(components);
        discovery = copyOf(discovery);
    }

    /** A spec without discovery configuration. */
    public DesiredSpec(final @Nullable List<ComponentSpec> components, final @Nullable ReconcilePolicy reconcile) {
        this(components, null, reconcile);
    }

    /**
     * The discovery configuration by handler name ({@code onvif}, {@code opcua}, {@code usb}), each the handler's
     * settings object; see {@link DiscoverySettings}.
     */
    @Override
    public @NotNull Map<String, ObjectNode> discovery() {
        return copyOf(discovery);
    }

    /** An unmodifiable, insertion-ordered deep copy; ObjectNode itself is mutable. */
    static Map<String, ObjectNode> copyOf(final @Nullable Map<String, ObjectNode> discovery) {
        if (discovery == null || discovery.isEmpty()) {
            return Map.of();
        }
        final Map<String, ObjectNode> copy = new LinkedHashMap<>();
        discovery.forEach((handler, config) -> copy.put(handler, config == null ? null : config.deepCopy()));
        return java.util.Collections.unmodifiableMap(copy);
    }
}
