package dev.baton.adapters.container;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import org.jetbrains.annotations.NotNull;

/**
 * The body of {@code POST /containers/create} for a {@link ContainerConfig} (Engine API v1.41, "Create a
 * container": {@code ContainerConfig} fields plus {@code HostConfig}).
 */
final class ContainerCreateBody {

    private ContainerCreateBody() {}

    /** @param ownLabels the provider's {@link ContainerLabels}, added to (and never overridden by) the config's */
    static @NotNull ObjectNode of(final @NotNull ContainerConfig config, final @NotNull Map<String, String> ownLabels) {
        final JsonNodeFactory json = JsonNodeFactory.instance;
        final ObjectNode body = json.objectNode();
        body.put("Image", config.image().toString());
        if (!config.command().isEmpty()) {
            final ArrayNode cmd = body.putArray("Cmd");
            config.command().forEach(cmd::add);
        }
        if (!config.env().isEmpty()) {
            final ArrayNode env = body.putArray("Env");
            new TreeMap<>(config.env()).forEach((name, value) -> env.add(name + "=" + value));
        }
        final ObjectNode labels = body.putObject("Labels");
        new TreeMap<>(config.labels()).forEach(labels::put);
        new TreeMap<>(ownLabels).forEach(labels::put);

        final ObjectNode host = body.putObject("HostConfig");
        if (!config.ports().isEmpty()) {
            final ObjectNode exposed = body.putObject("ExposedPorts");
            final ObjectNode bindings = host.putObject("PortBindings");
            for (final PortBinding port : config.ports()) {
                exposed.putObject(port.containerKey());
                final ArrayNode forPort = bindings.has(port.containerKey())
                        ? (ArrayNode) bindings.get(port.containerKey())
                        : bindings.putArray(port.containerKey());
                forPort.addObject().put("HostIp", port.hostIp()).put("HostPort", Integer.toString(port.hostPort()));
            }
        }
        if (!config.volumes().isEmpty()) {
            final ArrayNode binds = host.putArray("Binds");
            config.volumes().forEach(volume -> binds.add(volume.bind()));
        }
        if (!config.devices().isEmpty()) {
            final ArrayNode devices = host.putArray("Devices");
            for (final DeviceMapping device : config.devices()) {
                devices.addObject()
                        .put("PathOnHost", device.hostPath())
                        .put("PathInContainer", device.containerPath())
                        .put("CgroupPermissions", device.permissions());
            }
        }
        host.putObject("RestartPolicy")
                .put("Name", config.restartPolicy().json())
                .put("MaximumRetryCount", 0);
        return body;
    }
}
