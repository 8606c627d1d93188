package dev.baton.adapters.onvif.internal;

import static dev.baton.adapters.onvif.OnvifDeviceProperties.FIRMWARE_VERSION;
import static dev.baton.adapters.onvif.OnvifDeviceProperties.HARDWARE_ID;
import static dev.baton.adapters.onvif.OnvifDeviceProperties.IP;
import static dev.baton.adapters.onvif.OnvifDeviceProperties.MAC;
import static dev.baton.adapters.onvif.OnvifDeviceProperties.MANUFACTURER;
import static dev.baton.adapters.onvif.OnvifDeviceProperties.MODEL;
import static dev.baton.adapters.onvif.OnvifDeviceProperties.PROFILES;
import static dev.baton.adapters.onvif.OnvifDeviceProperties.SCOPES;
import static dev.baton.adapters.onvif.OnvifDeviceProperties.SERIAL_NUMBER;
import static dev.baton.adapters.onvif.OnvifDeviceProperties.SNAPSHOT_URI;
import static dev.baton.adapters.onvif.OnvifDeviceProperties.STATUS;
import static dev.baton.adapters.onvif.OnvifDeviceProperties.STREAM_URIS;
import static dev.baton.adapters.onvif.OnvifDeviceProperties.UUID;
import static dev.baton.adapters.onvif.OnvifDeviceProperties.XADDRS;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.discovery.DeviceKinds;
import dev.baton.adapters.onvif.CameraStatus;
import dev.baton.protocol.Device;
import dev.baton.protocol.Limits;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * What the handler learned about one camera, turned into a {@link Device}. Filled by one query thread, then read
 * by the scanning thread after the query's future completes (which orders the two).
 *
 * <p>The device's content is a function of what the camera said: properties in one fixed order, scopes sorted, and
 * nothing that changes by itself (no timestamps, no addresses of ours), so that an unchanged camera gives an equal
 * device and the agent sends nothing.
 */
final class CameraFacts {

    static final String SOURCE = "onvif";
    static final String ID_PREFIX = "onvif:";

    private static final String NAME_SCOPE = "onvif://www.onvif.org/name/";
    private static final String HARDWARE_SCOPE = "onvif://www.onvif.org/hardware/";

    private final DiscoveredEndpoint endpoint;
    private @Nullable String ip;
    private @Nullable String mac;
    private OnvifSoapClient.@Nullable DeviceInformation information;
    private final List<ObjectNode> profiles = new ArrayList<>();
    private @Nullable String snapshotUri;
    private CameraStatus status = CameraStatus.UNREACHABLE;

    CameraFacts(final @NotNull DiscoveredEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @NotNull
    DiscoveredEndpoint endpoint() {
        return endpoint;
    }

    void reachedAt(final @NotNull URI xaddr) {
        ip = xaddr.getHost();
    }

    @Nullable
    String host() {
        return ip != null
                ? ip
                : endpoint.xaddrs().isEmpty()
                        ? endpoint.source().getAddress().getHostAddress()
                        : endpoint.xaddrs().get(0).getHost();
    }

    void network(final OnvifSoapClient.@NotNull NetworkFacts network) {
        if (network.ipv4() != null) {
            ip = network.ipv4();
        }
        mac = network.mac();
    }

    void information(final OnvifSoapClient.@NotNull DeviceInformation information) {
        this.information = information;
    }

    void profile(final OnvifSoapClient.@NotNull MediaProfile profile, final @Nullable String streamUri) {
        final ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("token", profile.token());
        putIfPresent(node, "name", profile.name());
        putIfPresent(node, "encoding", profile.encoding());
        if (profile.width() != null) {
            node.put("width", profile.width());
        }
        if (profile.height() != null) {
            node.put("height", profile.height());
        }
        putIfPresent(node, "streamUri", streamUri);
        profiles.add(node);
    }

    void snapshotUri(final @Nullable String uri) {
        snapshotUri = uri;
    }

    void status(final @NotNull CameraStatus status) {
        this.status = status;
    }

    /**
     * The device. The codec refuses one whose properties exceed {@link Limits#MAX_DEVICE_PROPERTY_BYTES}; the
     * bounds on each value keep a normal camera far below that, and for an abnormal one the least useful values
     * (the last scopes, then the extra XAddrs, then the last profiles) are left out until it fits.
     */
    @NotNull
    Device toDevice() {
        int scopes = endpoint.scopes().size();
        int xaddrs = endpoint.xaddrs().size();
        int profileCount = profiles.size();
        while (true) {
            final ObjectNode properties = properties(scopes, xaddrs, profileCount);
            final boolean fits =
                    properties.toString().getBytes(StandardCharsets.UTF_8).length <= Limits.MAX_DEVICE_PROPERTY_BYTES;
            if (fits || (scopes == 0 && xaddrs <= 1 && profileCount <= 1)) {
                return new Device(ID_PREFIX + endpoint.address(), DeviceKinds.ONVIF_CAMERA, SOURCE, name(), properties);
            }
            if (scopes > 0) {
                scopes--;
            } else if (xaddrs > 1) {
                xaddrs--;
            } else {
                profileCount--;
            }
        }
    }

    private ObjectNode properties(final int scopeCount, final int xaddrCount, final int profileCount) {
        final ObjectNode properties = JsonNodeFactory.instance.objectNode();
        properties.put(UUID, endpoint.address());
        final ArrayNode xaddrs = properties.putArray(XADDRS);
        endpoint.xaddrs().stream().limit(xaddrCount).forEach(uri -> xaddrs.add(uri.toString()));
        final ArrayNode scopes = properties.putArray(SCOPES);
        endpoint.scopes().stream().sorted().limit(scopeCount).forEach(scopes::add);
        putIfPresent(properties, IP, host());
        putIfPresent(properties, MAC, mac);
        if (information != null) {
            putIfPresent(properties, MANUFACTURER, information.manufacturer());
            putIfPresent(properties, MODEL, information.model());
            putIfPresent(properties, FIRMWARE_VERSION, information.firmwareVersion());
            putIfPresent(properties, SERIAL_NUMBER, information.serialNumber());
            putIfPresent(properties, HARDWARE_ID, information.hardwareId());
        }
        properties.put(STATUS, status.value());
        final List<ObjectNode> kept = profiles.subList(0, profileCount);
        if (!kept.isEmpty()) {
            properties.putArray(PROFILES).addAll(kept);
        }
        putIfPresent(properties, SNAPSHOT_URI, snapshotUri);
        if (!kept.isEmpty()) {
            final ArrayNode streams = properties.putArray(STREAM_URIS);
            kept.stream()
                    .filter(p -> p.has("streamUri"))
                    .forEach(p -> streams.add(p.get("streamUri").textValue()));
        }
        return properties;
    }

    /** "Manufacturer Model"; before the camera was queried, its name or hardware scope, else its address. */
    @NotNull
    String name() {
        if (information != null && (information.manufacturer() != null || information.model() != null)) {
            return (Optional.ofNullable(information.manufacturer()).orElse("") + " "
                            + Optional.ofNullable(information.model()).orElse(""))
                    .strip();
        }
        return scope(NAME_SCOPE).or(() -> scope(HARDWARE_SCOPE)).orElse(endpoint.address());
    }

    private Optional<String> scope(final String prefix) {
        return endpoint.scopes().stream()
                .filter(s -> s.startsWith(prefix) && s.length() > prefix.length())
                .sorted()
                .findFirst()
                .map(s -> {
                    try {
                        return URLDecoder.decode(s.substring(prefix.length()), StandardCharsets.UTF_8);
                    } catch (final IllegalArgumentException e) {
                        return s.substring(prefix.length());
                    }
                })
                .map(OnvifSoapClient::bounded);
    }

    private static void putIfPresent(final ObjectNode node, final String key, final @Nullable String value) {
        if (value != null && !value.isEmpty()) {
            node.put(key, value);
        }
    }
}
