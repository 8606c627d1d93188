package dev.baton.adapters.opcua.internal;

import java.util.List;
import org.jetbrains.annotations.NotNull;

/**
 * The result of a bounded browse from the Objects folder.
 *
 * @param nodes distinct nodes found, at most the configured maxNodes
 * @param objects how many of them are Objects
 * @param variables how many are Variables
 * @param methods how many are Methods
 * @param truncated true when the walk stopped before it was complete: a node beyond maxNodes existed, or the scan
 *     deadline came first
 * @param topLevelObjects browse names of the Objects directly below the Objects folder, sorted
 */
record BrowseSummary(
        int nodes,
        int objects,
        int variables,
        int methods,
        boolean truncated,
        int depth,
        int maxNodes,
        @NotNull List<String> topLevelObjects) {

    BrowseSummary {
        topLevelObjects = List.copyOf(topLevelObjects);
    }
}
