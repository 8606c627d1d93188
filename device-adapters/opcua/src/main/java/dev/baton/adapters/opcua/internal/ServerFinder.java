package dev.baton.adapters.opcua.internal;

import dev.baton.adapters.opcua.OpcTcpUrl;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.structured.ApplicationDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.jetbrains.annotations.NotNull;

/**
 * Asks one discovery URL which servers it knows: FindServers (OPC UA Part 4 §5.4.2), answered by a server with
 * itself and by a Local Discovery Server with every server registered there (and itself). A server that does not
 * implement FindServers is described by the ApplicationDescription in its GetEndpoints answer instead.
 */
final class ServerFinder {

    private ServerFinder() {}

    /**
     * The applications {@code url} knows.
     *
     * @throws ExecutionException when the URL cannot be reached or refuses both services
     * @throws TimeoutException when the deadline passes first
     */
    static @NotNull List<ApplicationFacts> find(
            final @NotNull OpcTcpUrl url,
            final @NotNull ClientResources resources,
            final @NotNull Duration connectTimeout,
            final @NotNull Deadline deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (DiscoveryConnection connection = DiscoveryConnection.open(url, resources, connectTimeout, deadline)) {
            try {
                return connection.findServers().stream()
                        .map(ApplicationFacts::of)
                        .toList();
            } catch (final ExecutionException e) {
                if (!unsupported(e)) {
                    throw e;
                }
            }
            final Map<String, ApplicationFacts> servers = new LinkedHashMap<>();
            for (final EndpointDescription endpoint : connection.getEndpoints()) {
                final ApplicationDescription server = endpoint.getServer();
                if (server != null) {
                    final ApplicationFacts facts = ApplicationFacts.of(server);
                    servers.putIfAbsent(facts.applicationUri(), facts);
                }
            }
            return List.copyOf(servers.values());
        }
    }

    private static boolean unsupported(final ExecutionException failure) {
        final Optional<StatusCode> status = UaException.extractStatusCode(failure);
        return status.isPresent() && status.get().getValue() == StatusCodes.Bad_ServiceUnsupported;
    }
}
