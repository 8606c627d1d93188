package dev.baton.adapters.opcua.internal;

import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.jetbrains.annotations.NotNull;

/**
 * The agent reached a server at another host than the one it advertised (OPC UA Part 4 §5.4.2 allows the
 * discovery URLs a server returns to name hosts a client cannot resolve, e.g. a PLC's own name on a plant network).
 *
 * @param advertisedHost the host in the server's discovery or endpoint URL
 * @param reachedHost the host of the discovery URL the agent actually reached, used in its place
 */
public record HostSubstitution(@NotNull String advertisedHost, @NotNull String reachedHost) {

    /** {@code endpoint} with {@code url} as its endpoint URL, everything else as advertised. */
    static @NotNull EndpointDescription endpointAt(
            final @NotNull EndpointDescription endpoint, final @NotNull String url) {
        return new EndpointDescription(
                url,
                endpoint.getServer(),
                endpoint.getServerCertificate(),
                endpoint.getSecurityMode(),
                endpoint.getSecurityPolicyUri(),
                endpoint.getUserIdentityTokens(),
                endpoint.getTransportProfileUri(),
                endpoint.getSecurityLevel());
    }
}
