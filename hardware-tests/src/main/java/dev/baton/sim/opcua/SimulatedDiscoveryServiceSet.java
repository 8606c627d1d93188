package dev.baton.sim.opcua;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.servicesets.DiscoveryServiceSet;
import org.eclipse.milo.opcua.sdk.server.servicesets.impl.DefaultDiscoveryServiceSet;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.enumerated.ApplicationType;
import org.eclipse.milo.opcua.stack.core.types.structured.ApplicationDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.FindServersOnNetworkRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.FindServersOnNetworkResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.FindServersRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.FindServersResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.GetEndpointsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.GetEndpointsResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.RegisterServer2Request;
import org.eclipse.milo.opcua.stack.core.types.structured.RegisterServer2Response;
import org.eclipse.milo.opcua.stack.core.types.structured.RegisterServerRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.RegisterServerResponse;
import org.eclipse.milo.opcua.stack.transport.server.ServiceRequestContext;

/**
 * The Discovery Service Set (OPC UA Part 4 §5.4) of a simulator that is not a plain server: either FindServers as a
 * Local Discovery Server answers it (Part 12 §4.3) — itself, as a DiscoveryServer, and every server registered with
 * it, filtered by the request's serverUris — or a server that does not implement FindServers at all
 * ({@code Bad_ServiceUnsupported}), as some embedded servers do. Servers are registered in process
 * ({@link OpcUaServerSimulator#register}) rather than by the RegisterServer2 service. Everything else is Milo's.
 */
final class SimulatedDiscoveryServiceSet implements DiscoveryServiceSet {

    private final DefaultDiscoveryServiceSet standard;
    private final boolean findServersSupported;
    private final List<ApplicationDescription> registered = new CopyOnWriteArrayList<>();

    SimulatedDiscoveryServiceSet(final OpcUaServer server, final boolean findServersSupported) {
        this.standard = new DefaultDiscoveryServiceSet(server);
        this.findServersSupported = findServersSupported;
    }

    void register(final ApplicationDescription server) {
        registered.add(server);
    }

    @Override
    public FindServersResponse onFindServers(final ServiceRequestContext context, final FindServersRequest request)
            throws UaException {
        if (!findServersSupported) {
            throw new UaException(StatusCodes.Bad_ServiceUnsupported, "this simulator does not implement FindServers");
        }
        final FindServersResponse own = standard.onFindServers(context, request);
        final List<String> wanted = request.getServerUris() == null ? List.of() : List.of(request.getServerUris());
        final List<ApplicationDescription> servers = new ArrayList<>();
        if (own.getServers() != null) {
            Arrays.stream(own.getServers())
                    .map(SimulatedDiscoveryServiceSet::asDiscoveryServer)
                    .forEach(servers::add);
        }
        for (final ApplicationDescription server : registered) {
            if (wanted.isEmpty() || wanted.contains(server.getApplicationUri())) {
                servers.add(server);
            }
        }
        return new FindServersResponse(own.getResponseHeader(), servers.toArray(new ApplicationDescription[0]));
    }

    @Override
    public GetEndpointsResponse onGetEndpoints(final ServiceRequestContext context, final GetEndpointsRequest request) {
        return standard.onGetEndpoints(context, request);
    }

    @Override
    public FindServersOnNetworkResponse onFindServersOnNetwork(
            final ServiceRequestContext context, final FindServersOnNetworkRequest request) throws UaException {
        return standard.onFindServersOnNetwork(context, request);
    }

    @Override
    public RegisterServerResponse onRegisterServer(
            final ServiceRequestContext context, final RegisterServerRequest request) throws UaException {
        return standard.onRegisterServer(context, request);
    }

    @Override
    public RegisterServer2Response onRegisterServer2(
            final ServiceRequestContext context, final RegisterServer2Request request) throws UaException {
        return standard.onRegisterServer2(context, request);
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
