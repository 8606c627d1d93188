package dev.baton.adapters.opcua;

import org.jetbrains.annotations.NotNull;

/**
 * An {@code opc.tcp://host[:port][/path]} URL (OPC UA Part 6 §7.2: the URL of a TCP endpoint or discovery
 * endpoint), parsed strictly. {@link java.net.URI} is not used because it refuses host names with underscores,
 * which Windows machines often advertise.
 *
 * @param host a DNS name or IPv4 literal, or an IPv6 literal without brackets
 * @param port 1 to 65535; {@value #DEFAULT_PORT} (the IANA port of OPC UA) when the URL names none
 * @param path empty or starting with {@code /}
 */
public record OpcTcpUrl(@NotNull String host, int port, @NotNull String path) {

    public static final String SCHEME = "opc.tcp";
    public static final int DEFAULT_PORT = 4840;
    public static final int MAX_CHARS = 512;

    public OpcTcpUrl {
        checkHost(host);
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("must have a port from 1 to 65535, but had " + port);
        }
        if (!path.isEmpty() && !path.startsWith("/")) {
            throw new IllegalArgumentException("must have a path starting with '/'");
        }
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a predicate such as "must start with opc.tcp://", to follow the name of
     *     the field that held the URL
     */
    public static @NotNull OpcTcpUrl parse(final @NotNull String text) {
        if (text.length() > MAX_CHARS) {
            throw new IllegalArgumentException(
                    "must be at most " + MAX_CHARS + " characters, but was " + text.length() + " characters");
        }
        final String prefix = SCHEME + "://";
        if (!text.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new IllegalArgumentException("must start with opc.tcp://, as in opc.tcp://10.0.0.5:4840");
        }
        if (text.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("must not contain spaces or control characters");
        }
        final String rest = text.substring(prefix.length());
        final int slash = rest.indexOf('/');
        final String authority = slash < 0 ? rest : rest.substring(0, slash);
        final String path = slash < 0 ? "" : rest.substring(slash);
        if (path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
            throw new IllegalArgumentException("must not have a query or fragment");
        }
        if (authority.indexOf('@') >= 0) {
            throw new IllegalArgumentException("must not carry user information (credentials belong in the agent's"
                    + " secrets directory, never in the desired document)");
        }
        final String host;
        final String portText;
        if (authority.startsWith("[")) {
            final int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("has an IPv6 address without its closing ']'");
            }
            host = authority.substring(1, close);
            final String after = authority.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw new IllegalArgumentException("has text after the IPv6 address that is not a port");
            }
            portText = after.isEmpty() ? null : after.substring(1);
        } else {
            final int colon = authority.indexOf(':');
            if (colon >= 0 && authority.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException(
                        "must write an IPv6 address in brackets, as in opc.tcp://[::1]:4840");
            }
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("must name a host, as in opc.tcp://10.0.0.5:4840");
        }
        return new OpcTcpUrl(host, portText == null ? DEFAULT_PORT : parsePort(portText), path);
    }

    /** This URL with {@code newHost} in place of the host. */
    public @NotNull OpcTcpUrl withHost(final @NotNull String newHost) {
        return new OpcTcpUrl(newHost, port, path);
    }

    /** True when {@code other} names the same host, ignoring case (host names are case-insensitive). */
    public boolean sameHost(final @NotNull OpcTcpUrl other) {
        return host.equalsIgnoreCase(other.host);
    }

    /** The URL as text, always with its port. */
    @Override
    public @NotNull String toString() {
        final String shownHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return SCHEME + "://" + shownHost + ":" + port + path;
    }

    private static int parsePort(final String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("must have a port from 1 to 65535, but had '" + text + "'");
        }
        return Integer.parseInt(text);
    }

    private static void checkHost(final String host) {
        if (host.isEmpty() || host.length() > 253) {
            throw new IllegalArgumentException("must name a host of 1 to 253 characters");
        }
        final boolean ipv6 = host.indexOf(':') >= 0;
        for (int i = 0; i < host.length(); i++) {
            final char c = Character.toLowerCase(host.charAt(i));
            final boolean allowed = ipv6
                    ? (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' || c == '.' || c == '_';
            if (!allowed) {
                throw new IllegalArgumentException("has a host with the character '" + host.charAt(i)
                        + "', which is not allowed in a host name or IP address");
            }
        }
    }
}
