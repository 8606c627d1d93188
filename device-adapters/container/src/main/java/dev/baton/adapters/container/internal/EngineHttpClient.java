package dev.baton.adapters.container.internal;

import dev.baton.adapters.container.EngineEndpoint;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * A minimal HTTP/1.1 client for the Docker Engine API on a unix socket or plain TCP: one connection per request
 * ({@code Connection: close}), bounded answers (see {@link HttpResponseReader}), and a deadline per request.
 *
 * <p>Stateless apart from its configuration, so any thread may use it; each exchange blocks its caller.
 */
public final class EngineHttpClient implements EngineTransport {

    /** How long the engine may take to accept a connection. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /**
     * The {@code Host} header for a unix socket, which has no host name; the engine ignores it, but HTTP/1.1
     * requires one (RFC 9112 3.2).
     */
    private static final String UNIX_HOST = "docker";

    private final EngineEndpoint endpoint;
    private final Duration connectTimeout;

    public EngineHttpClient(final @NotNull EngineEndpoint endpoint) {
        this(endpoint, CONNECT_TIMEOUT);
    }

    public EngineHttpClient(final @NotNull EngineEndpoint endpoint, final @NotNull Duration connectTimeout) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    @Override
    public @NotNull HttpResponse exchange(final @NotNull HttpRequest request) {
        final long deadline = System.nanoTime() + request.timeout().toNanos();
        final EngineConnection connection;
        try {
            connection = EngineConnection.open(endpoint, connectTimeout, deadline, request.idleTimeout());
        } catch (final EngineException e) {
            throw unreachable("it did not accept a connection within " + Durations.describe(connectTimeout), e);
        } catch (final IOException e) {
            throw unreachable(connectFailure(e), e);
        }
        try (connection) {
            connection.writeFully(ByteBuffer.wrap(request.encode(host())));
            return new HttpResponseReader(connection).read(request.method(), request.bodyLimit());
        } catch (final EngineException e) {
            if (e.reason() == EngineException.Reason.TIMEOUT) {
                throw new EngineException(
                        EngineException.Reason.TIMEOUT,
                        e.getMessage() + " for " + request + " (limit " + Durations.describe(request.timeout()) + ")",
                        e);
            }
            throw e;
        } catch (final IOException e) {
            throw new EngineException(
                    EngineException.Reason.BROKEN_RESPONSE,
                    "the connection to the engine at " + endpoint + " broke during " + request + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    e);
        }
    }

    @Override
    public @NotNull String describe() {
        return endpoint.toString();
    }

    private String host() {
        return endpoint instanceof EngineEndpoint.Tcp tcp
                ? (tcp.host().indexOf(':') >= 0 ? "[" + tcp.host() + "]" : tcp.host()) + ":" + tcp.port()
                : UNIX_HOST;
    }

    /** Why the connection failed, in the operator's terms, with what to do about it. */
    private String connectFailure(final IOException failure) {
        final String message = failure.getMessage() == null ? "" : failure.getMessage();
        final String lower = message.toLowerCase(Locale.ROOT);
        if (endpoint instanceof EngineEndpoint.Unix unix) {
            if (!Files.exists(unix.socket())) {
                return "the socket does not exist";
            }
            if (lower.contains("permission denied") || lower.contains("access denied")) {
                return PERMISSION_DENIED;
            }
            if (lower.contains("connection refused")) {
                return "the socket exists but nothing listens on it (connection refused)";
            }
            if (lower.contains("too long")) {
                return "the socket path is too long for a unix socket ("
                        + unix.socket().toString().length() + " characters; the limit is about 100)";
            }
        } else if (failure instanceof ConnectException) {
            return "connection refused";
        } else if (failure instanceof UnknownHostException || lower.contains("resolve")) {
            return message;
        }
        return message.isEmpty() ? failure.getClass().getSimpleName() : message;
    }

    private static final String PERMISSION_DENIED = "the agent's user may not open the socket (permission denied)";

    private EngineException unreachable(final String why, final Exception cause) {
        final String remedy = why.equals(PERMISSION_DENIED)
                ? "let the agent's user open it (e.g. add it to the socket's group, often 'docker'), or set "
                        + EngineEndpoint.DOCKER_HOST + " to an engine it may use"
                : "start Docker or `podman system service`, or set " + EngineEndpoint.DOCKER_HOST
                        + " to the engine's socket";
        return new EngineException(
                EngineException.Reason.UNREACHABLE,
                "no Docker-compatible engine at " + endpoint + " (" + why + "): " + remedy,
                cause);
    }
}
