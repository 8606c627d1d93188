package dev.baton.adapters.opcua.internal;

import org.jetbrains.annotations.NotNull;

/**
 * The handler reached a server at another host than the one it advertised (OPC UA Part 4 §5.4.2 allows the
 * discovery URLs a server returns to name hosts a client cannot resolve, e.g. a PLC's own name on a plant network).
 *
 * @param advertisedHost the host in the server's discovery or endpoint URL
 * @param reachedHost the host of the discovery URL the handler actually reached, used in its place
 */
record HostSubstitution(@NotNull String advertisedHost, @NotNull String reachedHost) {}
