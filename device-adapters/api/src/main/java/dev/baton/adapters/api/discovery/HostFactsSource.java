package dev.baton.adapters.api.discovery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jetbrains.annotations.NotNull;

/**
 * Collects facts about the agent's host: OS, kernel, architecture, CPU, memory, disks, network interfaces,
 * container runtime, GPUs. Found by {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.baton.adapters.api.discovery.HostFactsSource}); the agent sends the facts with its
 * inventory snapshot after every connect and again when they change. Values that change by the second (free
 * memory, load) do not belong here, or every collection would be a change.
 */
public interface HostFactsSource {

    /**
     * Collects the facts now; quick (well under a second) and never throws for a fact it cannot read, which it
     * leaves out instead.
     */
    @NotNull
    ObjectNode collect();
}
