package dev.baton.adapters.onvif;

import dev.baton.protocol.Names;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/**
 * A host and UDP port that gets a unicast WS-Discovery Probe: {@code 10.0.0.5:3702}, {@code camera-7.local:3702},
 * {@code [fd00::5]:3702}; without a port, the WS-Discovery port 3702.
 *
 * @param host an IPv4 address, a DNS name, or an IPv6 address without brackets
 * @param port 1 to 65535
 */
public record UnicastTarget(@NotNull String host, int port) {

    /** The port WS-Discovery listens on (WS-Discovery 2005/04; IANA service "ws-discovery"). */
    public static final int WS_DISCOVERY_PORT = 3702;

    private static final Pattern DNS_NAME =
            Pattern.compile("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}"
                    + "[A-Za-z0-9])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}(%[A-Za-z0-9_.-]{1,15})?");

    public UnicastTarget {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("must have a port from 1 to 65535, but had " + port);
        }
    }

    /**
     * Parses {@code host:port}, {@code [ipv6]:port}, {@code host} or {@code [ipv6]}.
     *
     * @throws IllegalArgumentException with a predicate naming the rule and the value, e.g. "must be \"host:port\"
     *     …, but was …"
     */
    public static @NotNull UnicastTarget parse(final @NotNull String text) {
        final String host;
        final String portText;
        if (text.startsWith("[")) {
            final int close = text.indexOf(']');
            if (close < 0) {
                throw wrong(text);
            }
            host = text.substring(1, close);
            final String rest = text.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw wrong(text);
            }
            portText = rest.isEmpty() ? null : rest.substring(1);
            if (!IPV6.matcher(host).matches() || !host.contains(":")) {
                throw wrong(text);
            }
        } else {
            final int colon = text.lastIndexOf(':');
            if (colon != text.indexOf(':')) {
                throw wrong(text); // an IPv6 address needs brackets so that its port is not ambiguous
            }
            host = colon < 0 ? text : text.substring(0, colon);
            portText = colon < 0 ? null : text.substring(colon + 1);
            if (!DNS_NAME.matcher(host).matches()) {
                throw wrong(text);
            }
        }
        if (portText == null) {
            return new UnicastTarget(host, WS_DISCOVERY_PORT);
        }
        if (!portText.matches("[0-9]{1,5}")) {
            throw wrong(text);
        }
        if (Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65_535) {
            throw new IllegalArgumentException(
                    "must have a port from 1 to 65535, but was \"" + Names.printable(text) + "\"");
        }
        return new UnicastTarget(host, Integer.parseInt(portText));
    }

    private static IllegalArgumentException wrong(final String text) {
        return new IllegalArgumentException("must be \"host:port\" (an IPv4 address or DNS name, or an IPv6 address in"
                + " brackets, and a port), such as \"10.0.0.5:3702\", but was \"" + Names.printable(text) + "\"");
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
