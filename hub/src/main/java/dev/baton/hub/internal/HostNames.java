package dev.baton.hub.internal;

import org.jetbrains.annotations.NotNull;

/**
 * Host names as they appear in URIs and {@code host:port} text, where an IPv6 literal goes in square brackets (RFC
 * 3986, section 3.2.2), and as sockets want them, without.
 */
public final class HostNames {

    private HostNames() {}

    /** {@code host} fit for {@code host:port}: an IPv6 literal in brackets; anything else as it is. */
    public static @NotNull String bracket(final @NotNull String host) {
        return host.contains(":") && !host.startsWith("[") ? '[' + host + ']' : host;
    }

    /** {@code host} fit for a socket: without the brackets around an IPv6 literal. */
    public static @NotNull String unbracket(final @NotNull String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
