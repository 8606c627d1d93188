package dev.baton.adapters.container;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/**
 * A container port published on the host: {@code hostPort:containerPort[/proto]}, or with the host address to bind,
 * {@code 127.0.0.1:8080:80} or {@code [::1]:8080:80/udp}.
 *
 * @param hostIp an IP address literal, or empty for every address of the host
 * @param hostPort from 1 to 65535
 * @param containerPort from 1 to 65535
 * @param protocol {@code tcp}, {@code udp} or {@code sctp}
 */
record PortBinding(@NotNull String hostIp, int hostPort, int containerPort, @NotNull String protocol) {

    static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp");

    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(?:\\." + OCTET + "){3}");

    /** @throws IllegalArgumentException saying what is wrong (the caller names the property and value) */
    static @NotNull PortBinding parse(final @NotNull String text) {
        String rest = text;
        String protocol = "tcp";
        final int slash = rest.lastIndexOf('/');
        if (slash >= 0) {
            protocol = rest.substring(slash + 1).toLowerCase(Locale.ROOT);
            if (!PROTOCOLS.contains(protocol)) {
                throw new IllegalArgumentException(
                        "has protocol \"" + rest.substring(slash + 1) + "\"; it must be tcp, udp or sctp");
            }
            rest = rest.substring(0, slash);
        }
        String hostIp = "";
        if (rest.startsWith("[")) {
            final int close = rest.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException(
                        "must be [ipv6]:hostPort:containerPort when it starts with '[', e.g. [::1]:8080:80");
            }
            hostIp = ipLiteral(rest.substring(1, close), true);
            rest = rest.substring(close + 2);
        }
        final String[] parts = rest.split(":", -1);
        if (parts.length == 3 && hostIp.isEmpty()) {
            hostIp = ipLiteral(parts[0], false);
        } else if (parts.length != 2) {
            throw new IllegalArgumentException("must be hostPort:containerPort[/proto] or"
                    + " hostIp:hostPort:containerPort[/proto], e.g. 8080:80 or 127.0.0.1:8080:80/tcp");
        }
        final int hostPort = port(parts[parts.length - 2], "host port");
        final int containerPort = port(parts[parts.length - 1], "container port");
        return new PortBinding(hostIp, hostPort, containerPort, protocol);
    }

    /** The key of the container port in the Engine API: {@code 80/tcp}. */
    @NotNull
    String containerKey() {
        return containerPort + "/" + protocol;
    }

    private static int port(final String text, final String what) {
        if (text.matches("[0-9]{1,5}")) {
            final int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65_535) {
                return port;
            }
        }
        if (text.contains("-")) {
            throw new IllegalArgumentException(
                    "has " + what + " \"" + text + "\"; port ranges are not supported, list each port");
        }
        throw new IllegalArgumentException("has " + what + " \"" + text + "\"; it must be a number from 1 to 65535");
    }

    /** The address as written, once it is known to be a literal: validation never looks a name up. */
    private static String ipLiteral(final String text, final boolean bracketed) {
        if (!bracketed && IPV4.matcher(text).matches()) {
            return text;
        }
        if (bracketed && text.matches("[0-9A-Fa-f:.]+") && text.contains(":")) {
            try {
                // A literal of this shape is parsed, never resolved.
                InetAddress.getByName(text);
                return text;
            } catch (final UnknownHostException e) {
                // Falls through to the error below.
            }
        }
        throw new IllegalArgumentException("has host address \"" + text + "\"; it must be an IPv4 address such as"
                + " 127.0.0.1 or a bracketed IPv6 address such as [::1]");
    }

    @Override
    public String toString() {
        final String ip = hostIp.isEmpty() ? "" : (hostIp.contains(":") ? "[" + hostIp + "]" : hostIp) + ":";
        return ip + hostPort + ":" + containerPort + "/" + protocol;
    }
}
