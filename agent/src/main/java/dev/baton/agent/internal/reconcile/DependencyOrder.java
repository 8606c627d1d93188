package dev.baton.agent.internal.reconcile;

import dev.baton.protocol.ComponentSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jetbrains.annotations.NotNull;

/** Orders components so that each comes after the components it depends on. */
public final class DependencyOrder {

    private DependencyOrder() {}

    /**
     * The components in dependency order (Kahn's algorithm); among components whose dependencies are met, the one
     * listed first in {@code components} goes first. Dependencies on names outside {@code components} are ignored.
     * The protocol rejects cycles; should one get here anyway, its members follow in listed order.
     */
    public static @NotNull List<ComponentSpec> of(final @NotNull List<ComponentSpec> components) {
        final Map<String, ComponentSpec> byName = new LinkedHashMap<>();
        components.forEach(c -> byName.put(c.name(), c));
        final Map<String, Integer> unmet = new HashMap<>();
        final Map<String, List<String>> dependents = new HashMap<>();
        for (final ComponentSpec component : components) {
            int count = 0;
            for (final String dependency : component.dependsOn()) {
                if (byName.containsKey(dependency)) {
                    count++;
                    dependents
                            .computeIfAbsent(dependency, d -> new ArrayList<>())
                            .add(component.name());
                }
            }
            unmet.put(component.name(), count);
        }
        final List<ComponentSpec> ordered = new ArrayList<>(components.size());
        final Map<String, Boolean> placed = new HashMap<>();
        boolean progress = true;
        while (ordered.size() < components.size() && progress) {
            progress = false;
            // Rescan in listed order each round: a stable order that does not depend on hash iteration.
            for (final ComponentSpec component : components) {
                if (placed.containsKey(component.name()) || unmet.get(component.name()) > 0) {
                    continue;
                }
                placed.put(component.name(), true);
                ordered.add(component);
                progress = true;
                for (final String dependent : dependents.getOrDefault(component.name(), List.of())) {
                    unmet.merge(dependent, -1, Integer::sum);
                }
                break;
            }
        }
        for (final ComponentSpec component : components) {
            if (!placed.containsKey(component.name())) {
                ordered.add(component);
            }
        }
        return List.copyOf(ordered);
    }
}
