package dev.baton.adapters.opcua.write.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.discovery.DeviceKinds;
import dev.baton.adapters.opcua.OpcTcpUrl;
import dev.baton.adapters.opcua.OpcUaServerProperties;
import dev.baton.adapters.opcua.write.OpcUaWriteConfig;
import dev.baton.protocol.Device;
import dev.baton.protocol.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * The server an {@code opcua-write} component talks to: its {@code endpointUrl}, or the discovery URL of the
 * {@code opcua-server} device it names, taken from the device's {@code discoveryUrls} (then its endpoints' URLs), with
 * the host discovery actually reached ({@code reachedHost}) in place of an advertised host it could not
 * ({@code advertisedHost}).
 *
 * @param url where to ask for endpoints
 * @param name how messages name the server: "OPC UA server at URL", or with the device id
 */
record WriteTarget(@NotNull OpcTcpUrl url, @NotNull String name) {

    static @NotNull WriteTarget of(final @NotNull OpcUaWriteConfig config, final @NotNull List<Device> inventory) {
        if (config.endpointUrl().isPresent()) {
            return new WriteTarget(
                    config.endpointUrl().get(),
                    "OPC UA server at " + config.endpointUrl().get());
        }
        final String id = config.device().orElseThrow();
        final Device device = inventory.stream()
                .filter(candidate -> candidate.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new ComponentException(
                        ComponentException.Reason.APPLY_FAILED,
                        "device '" + Names.printable(id) + "' is not (yet) discovered on this node: the node's"
                                + " inventory has no such device; check the id against the hub's device list and"
                                + " that discovery.opcua lists the server's discovery URL (the agent retries)"));
        if (!DeviceKinds.OPCUA_SERVER.equals(device.kind())) {
            throw new ComponentException(
                    ComponentException.Reason.APPLY_FAILED,
                    "device '" + Names.printable(id) + "' is a " + Names.printable(device.kind()) + ", not an "
                            + DeviceKinds.OPCUA_SERVER + "; name an OPC UA server's device id");
        }
        final JsonNode properties = device.properties();
        final String advertisedHost =
                properties.path(OpcUaServerProperties.ADVERTISED_HOST).asText("");
        final String reachedHost =
                properties.path(OpcUaServerProperties.REACHED_HOST).asText("");
        final List<String> candidates = new ArrayList<>();
        properties.path(OpcUaServerProperties.DISCOVERY_URLS).forEach(url -> candidates.add(url.asText("")));
        properties
                .path(OpcUaServerProperties.ENDPOINTS)
                .forEach(endpoint -> candidates.add(endpoint.path("url").asText("")));
        for (final String candidate : candidates) {
            final Optional<OpcTcpUrl> url = parse(candidate);
            if (url.isEmpty()) {
                continue;
            }
            OpcTcpUrl reached = url.get();
            if (!reachedHost.isEmpty() && reached.host().equalsIgnoreCase(advertisedHost)) {
                reached = reached.withHost(reachedHost);
            }
            return new WriteTarget(reached, "OPC UA server " + Names.printable(id) + " at " + reached);
        }
        throw new ComponentException(
                ComponentException.Reason.APPLY_FAILED,
                "device '" + Names.printable(id) + "' has no opc.tcp discovery or endpoint URL in the inventory;"
                        + " name the server by 'endpointUrl' instead");
    }

    private static Optional<OpcTcpUrl> parse(final String text) {
        try {
            return Optional.of(OpcTcpUrl.parse(text));
        } catch (final IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
