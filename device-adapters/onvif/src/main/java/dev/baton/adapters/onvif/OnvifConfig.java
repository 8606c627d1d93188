package dev.baton.adapters.onvif;

import dev.baton.adapters.api.discovery.DiscoveryConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/**
 * The {@code onvif} handler's own settings, read from {@code discovery.onvif} of the desired document (the common
 * settings are in {@link DiscoveryConfig#settings()}).
 *
 * @param unicast {@code unicast}: targets probed directly with a unicast WS-Discovery Probe (SOAP-over-UDP 1.1
 *     unicast request-response), for networks where multicast does not reach the cameras; at most {@link #MAX_UNICAST_TARGETS}
 * @param multicast {@code multicast}, default true: send the Probe to 239.255.255.250:3702 (WS-Discovery 2005/04)
 * @param interfaceName {@code interface}: the network interface multicast uses, e.g. {@code eth0} or {@code lo};
 *     absent means every interface that is up, multicast-capable and has an IPv4 address
 * @param listen {@code listen}, default true: while enabled, listen for Hello (scan soon) and Bye (drop the camera
 *     now) on the multicast group
 */
public record OnvifConfig(
        @NotNull List<UnicastTarget> unicast,
        boolean multicast,
        @NotNull Optional<String> interfaceName,
        boolean listen) {

    public static final String UNICAST = "unicast";
    public static final String MULTICAST = "multicast";
    public static final String INTERFACE = "interface";
    public static final String LISTEN = "listen";
    public static final Set<String> KEYS = Set.of(UNICAST, MULTICAST, INTERFACE, LISTEN);

    /** Enough for a site without multicast; each target costs two datagrams per scan. */
    public static final int MAX_UNICAST_TARGETS = 256;

    /** Linux's IFNAMSIZ less the NUL; Windows adapter names such as {@code ethernet_32768} fit as well. */
    private static final Pattern INTERFACE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,14}");

    public OnvifConfig {
        unicast = List.copyOf(unicast);
    }

    /**
     * Reads and checks the handler's keys of {@code config}; refuses unknown keys. Touches neither the network
     * nor the host (host names in {@code unicast} are resolved at each scan).
     *
     * @throws dev.baton.adapters.api.discovery.DiscoveryException with reason {@code INVALID_CONFIG}, naming the
     *     key, the rule and the value
     */
    public static @NotNull OnvifConfig from(final @NotNull DiscoveryConfig config) {
        config.allowOnly(KEYS);
        final List<String> given = config.stringList(UNICAST);
        if (given.size() > MAX_UNICAST_TARGETS) {
            throw config.invalid("property '" + UNICAST + "' must not list more than " + MAX_UNICAST_TARGETS
                    + " addresses, but listed " + given.size());
        }
        final LinkedHashSet<UnicastTarget> targets = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            final String at = UNICAST + "[" + i + "]";
            try {
                targets.add(UnicastTarget.parse(given.get(i)));
            } catch (final IllegalArgumentException e) {
                throw config.invalid("property '" + at + "' " + e.getMessage());
            }
        }
        final boolean multicast = config.optionalBoolean(MULTICAST).orElse(true);
        final Optional<String> interfaceName = config.optionalString(INTERFACE);
        interfaceName.ifPresent(name -> {
            if (!INTERFACE_NAME.matcher(name).matches()) {
                throw config.invalid("property '" + INTERFACE + "' must be a network interface name of 1 to 15"
                        + " letters, digits, '_', '.', ':', '@' or '-', such as \"eth0\", but was \""
                        + dev.baton.protocol.Names.printable(name) + "\"");
            }
        });
        final boolean listen = config.optionalBoolean(LISTEN).orElse(true);
        if (!multicast && targets.isEmpty() && config.settings().enabled()) {
            throw config.invalid("has property '" + MULTICAST + "' false and no '" + UNICAST
                    + "' addresses, so it could find nothing: list \"host:port\" addresses in '" + UNICAST
                    + "' or set '" + MULTICAST + "' to true");
        }
        return new OnvifConfig(new ArrayList<>(targets), multicast, interfaceName, listen);
    }
}
