package dev.baton.sim.opcua;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.servicesets.impl.DefaultDiscoveryServiceSet;
import org.eclipse.milo.opcua.stack.core.types.enumerated.ApplicationType;
import org.eclipse.milo.opcua.stack.core.types.structured.ApplicationDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.FindServersRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.FindServersResponse;
import org.eclipse.milo.opcua.stack.transport.server.ServiceRequestContext;

/**
 * FindServers as a Local Discovery Server answers it (OPC UA Part 12 §4.3, Part 4 §5.4.2): itself, as a
 * DiscoveryServer, and every server registered with it, filtered by the request's serverUris. Servers are
 * registered in process ({@link OpcUaServerSimulator#register}) rather than by the RegisterServer2 service.
 */
final class LocalDiscoveryServiceSet extends DefaultDiscoveryServiceSet {

    private final List<ApplicationDescription> registered = new CopyOnWriteArrayList<>();

    LocalDiscoveryServiceSet(final OpcUaServer server) {
        super(server);
    }

    void register(final ApplicationDescription server) {
        registered.add(server);
    }

    @Override
    public FindServersResponse onFindServers(final ServiceRequestContext context, final FindServersRequest request) {
        final FindServersResponse own = super.onFindServers(context, request);
        final List<String> wanted = request.getServerUris() == null ? List.of() : List.of(request.getServerUris());
        final List<ApplicationDescription> servers = new ArrayList<>();
        if (own.getServers() != null) {
            Arrays.stream(own.getServers())
                    .map(LocalDiscoveryServiceSet::asDiscoveryServer)
                    .forEach(servers::add);
        }
        for (final ApplicationDescription server : registered) {
            if (wanted.isEmpty() || wanted.contains(server.getApplicationUri())) {
                servers.add(server);
            }
        }
        return new FindServersResponse(own.getResponseHeader(), servers.toArray(new ApplicationDescription[0]));
    }

    private static ApplicationDescription asDiscoveryServer(final ApplicationDescription own) {
        return new ApplicationDescription(
                own.getApplicationUri(),
                own.getProductUri(),
                own.getApplicationName(),
                ApplicationType.DiscoveryServer,
                own.getGatewayServerUri(),
                own.getDiscoveryProfileUri(),
                own.getDiscoveryUrls());
    }
}
