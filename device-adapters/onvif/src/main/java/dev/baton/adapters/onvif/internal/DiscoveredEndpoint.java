package dev.baton.adapters.onvif.internal;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import javax.xml.namespace.QName;
import org.jetbrains.annotations.NotNull;

/**
 * A target service as a WS-Discovery ProbeMatch or Hello describes it (WS-Discovery 2005/04 sections 4.1 and
 * 5.3), already checked and bounded.
 *
 * @param address the endpoint reference address, usually {@code urn:uuid:…}; stable across restarts and address
 *     changes
 * @param types the QNames of {@code d:Types}
 * @param scopes the URIs of {@code d:Scopes}, as sent
 * @param xaddrs the http(s) URLs of {@code d:XAddrs}, as sent; others are left out
 * @param metadataVersion {@code d:MetadataVersion}, 0 when missing
 * @param source where the datagram came from
 */
record DiscoveredEndpoint(
        @NotNull String address,
        @NotNull Set<QName> types,
        @NotNull List<String> scopes,
        @NotNull List<URI> xaddrs,
        long metadataVersion,
        @NotNull InetSocketAddress source) {

    static final QName NETWORK_VIDEO_TRANSMITTER = new QName(Namespaces.DN, "NetworkVideoTransmitter");
    static final QName DEVICE = new QName(Namespaces.TDS, "Device");

    DiscoveredEndpoint {
        types = Set.copyOf(types);
        scopes = List.copyOf(scopes);
        xaddrs = List.copyOf(xaddrs);
    }

    /** True when the endpoint says it is an ONVIF device or network video transmitter. */
    boolean isOnvif() {
        return types.contains(NETWORK_VIDEO_TRANSMITTER) || types.contains(DEVICE);
    }
}
