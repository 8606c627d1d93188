package dev.baton.adapters.container;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Where the Docker Engine API is served: a unix socket ({@code unix:///var/run/docker.sock}, Podman's
 * {@code podman system service} socket) or plain TCP ({@code tcp://127.0.0.1:2375}). Read from {@code DOCKER_HOST}
 * the way the Docker CLI reads it.
 */
public sealed interface EngineEndpoint {

    /** The variable Docker clients read the engine's address from. */
    String DOCKER_HOST = "DOCKER_HOST";

    /** Set by Docker clients when the engine wants TLS; not supported here. */
    String DOCKER_TLS_VERIFY = "DOCKER_TLS_VERIFY";

    /** Docker's default socket, used when {@code DOCKER_HOST} is unset or empty. */
    EngineEndpoint DEFAULT = new Unix(Path.of("/var/run/docker.sock"));

    /** The port Docker clients assume for {@code tcp://host} without one (plain HTTP). */
    int DEFAULT_TCP_PORT = 2375;

    /** The endpoint in {@code DOCKER_HOST} form, as operators write it and as messages show it. */
    @Override
    String toString();

    /** An engine listening on a unix-domain socket. */
    record Unix(@NotNull Path socket) implements EngineEndpoint {

        /** @param socket an absolute path */
        public Unix {
            Objects.requireNonNull(socket, "socket");
            if (!socket.isAbsolute()) {
                throw new IllegalArgumentException("the socket path must be absolute, but was \"" + socket + '"');
            }
        }

        @Override
        public String toString() {
            return "unix://" + socket;
        }
    }

    /** An engine serving plain HTTP on TCP; only safe on loopback or a trusted network. */
    record Tcp(@NotNull String host, int port) implements EngineEndpoint {

        /**
         * @param host a host name or an IP address; an IPv6 address without brackets
         * @param port from 1 to 65535
         */
        public Tcp {
            Objects.requireNonNull(host, "host");
            if (host.isEmpty()) {
                throw new IllegalArgumentException("the host must not be empty");
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("the port must be from 1 to 65535, but was " + port);
            }
        }

        @Override
        public String toString() {
            return "tcp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * The endpoint {@code environment} names, as the Docker CLI reads it: {@code DOCKER_HOST}, or {@link #DEFAULT}
     * when it is unset or empty.
     *
     * @throws IllegalArgumentException naming the variable and its value when it is not a usable endpoint, or when
     *     {@code DOCKER_TLS_VERIFY} asks for TLS
     */
    static @NotNull EngineEndpoint fromEnvironment(final @NotNull Map<String, String> environment) {
        final String tlsVerify = environment.get(DOCKER_TLS_VERIFY);
        if (tlsVerify != null && !tlsVerify.isEmpty()) {
            throw new IllegalArgumentException(DOCKER_TLS_VERIFY + " is set, but TLS to the engine is not supported;"
                    + " use the engine's unix socket, or forward it to this host (ssh -L) and point " + DOCKER_HOST
                    + " at the forwarded socket");
        }
        return parse(environment.get(DOCKER_HOST));
    }

    /**
     * Parses a {@code DOCKER_HOST} value.
     *
     * @param dockerHost {@code unix:///absolute/path}, {@code tcp://host[:port]}, or null or empty for
     *     {@link #DEFAULT}
     * @throws IllegalArgumentException naming the value and what is accepted
     */
    static @NotNull EngineEndpoint parse(final @Nullable String dockerHost) {
        if (dockerHost == null || dockerHost.isEmpty()) {
            return DEFAULT;
        }
        final String shown = DOCKER_HOST + "=\"" + dockerHost.replaceAll("\\p{Cntrl}", "?") + "\"";
        final int schemeEnd = dockerHost.indexOf("://");
        final String scheme =
                schemeEnd < 0 ? "" : dockerHost.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        final String rest = schemeEnd < 0 ? "" : dockerHost.substring(schemeEnd + 3);
        switch (scheme) {
            case "unix" -> {
                if (!rest.startsWith("/") || rest.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException(
                            shown + " must name an absolute socket path, e.g. unix:///var/run/docker.sock");
                }
                return new Unix(Path.of(rest));
            }
            case "tcp" -> {
                return parseTcp(shown, rest);
            }
            case "npipe", "ssh", "fd" -> throw new IllegalArgumentException(shown + " uses " + scheme
                    + "://, which is not supported; use unix:///path/to/socket or tcp://host:port");
            default -> throw new IllegalArgumentException(shown + " must be unix:///path/to/socket or tcp://host:port");
        }
    }

    private static EngineEndpoint parseTcp(final String shown, final String authority) {
        final URI uri;
        try {
            uri = new URI("tcp://" + authority);
        } catch (final URISyntaxException e) {
            throw new IllegalArgumentException(shown + " is not a valid tcp://host:port address: " + e.getReason());
        }
        if (uri.getHost() == null
                || uri.getUserInfo() != null
                || (uri.getRawPath() != null
                        && !uri.getRawPath().isEmpty()
                        && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(shown + " must be tcp://host:port, with nothing after the port");
        }
        final String host = uri.getHost().startsWith("[")
                ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
            throw new IllegalArgumentException(shown + " has port " + uri.getPort() + "; it must be from 1 to 65535");
        }
        return new Tcp(host, uri.getPort() < 0 ? DEFAULT_TCP_PORT : uri.getPort());
    }
}
