package dev.baton.adapters.onvif.internal;

import dev.baton.adapters.api.discovery.DiscoveryException;
import dev.baton.protocol.Names;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jetbrains.annotations.NotNull;

/** Chooses the network interfaces WS-Discovery multicast uses: the configured one, or every suitable one. */
final class MulticastInterfaces {

    private MulticastInterfaces() {}

    /**
     * The interface named {@code name} (which must be up and have an IPv4 address; {@code lo} is accepted although
     * Linux does not flag it multicast-capable, since multicast works on it for tests), or, without a name, every
     * interface that is up, multicast-capable and has an IPv4 address, sorted by name.
     *
     * @throws DiscoveryException with reason {@code UNAVAILABLE} when there is no such interface
     */
    static @NotNull List<NetworkInterface> select(final @NotNull Optional<String> name) {
        try {
            if (name.isPresent()) {
                final NetworkInterface named = NetworkInterface.getByName(name.get());
                if (named == null) {
                    throw unavailable("discovery.onvif.interface '" + Names.printable(name.get())
                            + "' does not exist on this host; it has " + allNames());
                }
                if (!named.isUp() || !hasIpv4(named)) {
                    throw unavailable("discovery.onvif.interface '" + Names.printable(name.get())
                            + "' is down or has no IPv4 address, so WS-Discovery multicast cannot use it");
                }
                return List.of(named);
            }
            final List<NetworkInterface> suitable = new ArrayList<>();
            for (final NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nif.isUp() && nif.supportsMulticast() && hasIpv4(nif)) {
                    suitable.add(nif);
                }
            }
            suitable.sort(Comparator.comparing(NetworkInterface::getName));
            return List.copyOf(suitable);
        } catch (final SocketException e) {
            throw unavailable("the network interfaces could not be listed (" + e.getMessage() + ")");
        }
    }

    private static boolean hasIpv4(final NetworkInterface nif) {
        return Collections.list(nif.getInetAddresses()).stream().anyMatch(Inet4Address.class::isInstance);
    }

    private static String allNames() throws SocketException {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .map(NetworkInterface::getName)
                .sorted()
                .collect(Collectors.joining(", "));
    }

    private static DiscoveryException unavailable(final String message) {
        return new DiscoveryException(DiscoveryException.Reason.UNAVAILABLE, message);
    }
}
