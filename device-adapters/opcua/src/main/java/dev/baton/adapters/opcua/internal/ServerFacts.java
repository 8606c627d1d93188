package dev.baton.adapters.opcua.internal;

import java.time.Instant;
import java.util.List;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * What a session read from the server: its ServerStatus.BuildInfo (OPC UA Part 5 §12.4) and NamespaceArray (Part 5
 * §8.3.2). A value the server did not give (bad status, wrong type) is null.
 *
 * @param namespaces the namespace URIs in index order
 * @param maxNodesPerBrowse the server's OperationLimits.MaxNodesPerBrowse, 0 when it names no limit
 */
record ServerFacts(
        @Nullable String productName,
        @Nullable String productUri,
        @Nullable String manufacturerName,
        @Nullable String softwareVersion,
        @Nullable String buildNumber,
        @Nullable Instant buildDate,
        @NotNull List<String> namespaces,
        long maxNodesPerBrowse) {

    ServerFacts {
        namespaces = List.copyOf(namespaces);
    }
}
