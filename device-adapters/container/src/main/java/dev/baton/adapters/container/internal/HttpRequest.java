package dev.baton.adapters.container.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * One HTTP/1.1 request to the engine (RFC 9112), with the time it may take and how much of the answer is kept.
 * Immutable; the {@code with…} methods return changed copies.
 */
public final class HttpRequest {

    /** What a request may take, connection to last byte, unless it says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Enough for any JSON object the engine describes a container or image with. */
    public static final BodyLimit DEFAULT_BODY_LIMIT = BodyLimit.failAbove(4 * 1024 * 1024);

    private final String method;
    private final String target;
    private final byte @Nullable [] body;
    private final Duration timeout;
    private final Duration idleTimeout;
    private final BodyLimit bodyLimit;

    private HttpRequest(
            final String method,
            final String target,
            final byte @Nullable [] body,
            final Duration timeout,
            final Duration idleTimeout,
            final BodyLimit bodyLimit) {
        this.method = method;
        this.target = target;
        this.body = body;
        this.timeout = timeout;
        this.idleTimeout = idleTimeout;
        this.bodyLimit = bodyLimit;
    }

    /**
     * @param target the path and query, e.g. {@code /v1.41/containers/x/json}; already percent-encoded
     */
    public static @NotNull HttpRequest get(final @NotNull String target) {
        return of("GET", target, null);
    }

    public static @NotNull HttpRequest delete(final @NotNull String target) {
        return of("DELETE", target, null);
    }

    /** A POST without a body. */
    public static @NotNull HttpRequest post(final @NotNull String target) {
        return of("POST", target, null);
    }

    /** A POST of a JSON body, already encoded as UTF-8. */
    public static @NotNull HttpRequest postJson(final @NotNull String target, final byte @NotNull [] json) {
        return of("POST", target, json.clone());
    }

    private static HttpRequest of(final String method, final String target, final byte @Nullable [] body) {
        Objects.requireNonNull(target, "target");
        if (!target.startsWith("/") || target.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            // Anything else could split the request line or smuggle a header.
            throw new IllegalArgumentException(
                    "a request target must start with '/' and hold only visible ASCII, but was \"" + target + '"');
        }
        return new HttpRequest(method, target, body, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_BODY_LIMIT);
    }

    /**
     * A copy that may take {@code timeout} from connecting to the last byte of the answer, and may wait as long for
     * any one byte.
     */
    public @NotNull HttpRequest withTimeout(final @NotNull Duration timeout) {
        return new HttpRequest(method, target, body, positive(timeout, "timeout"), timeout, bodyLimit);
    }

    /**
     * A copy whose answer may stream for up to {@code timeout} as long as no gap between its bytes exceeds {@code
     * idleTimeout}: for a pull, whose progress stream is long but never silent for long.
     */
    public @NotNull HttpRequest withStreamingTimeouts(
            final @NotNull Duration timeout, final @NotNull Duration idleTimeout) {
        return new HttpRequest(
                method, target, body, positive(timeout, "timeout"), positive(idleTimeout, "idleTimeout"), bodyLimit);
    }

    public @NotNull HttpRequest withBodyLimit(final @NotNull BodyLimit bodyLimit) {
        return new HttpRequest(
                method, target, body, timeout, idleTimeout, Objects.requireNonNull(bodyLimit, "bodyLimit"));
    }

    public @NotNull String method() {
        return method;
    }

    public @NotNull String target() {
        return target;
    }

    public @NotNull Duration timeout() {
        return timeout;
    }

    public @NotNull Duration idleTimeout() {
        return idleTimeout;
    }

    public @NotNull BodyLimit bodyLimit() {
        return bodyLimit;
    }

    /**
     * The request as bytes on the wire. {@code Connection: close} makes every request use a connection of its own,
     * so that no answer can be mistaken for another's and a half-read answer can simply be abandoned.
     *
     * @param host the {@code Host} header; a unix socket has no host name, so the Docker CLI's convention is used
     */
    byte @NotNull [] encode(final @NotNull String host) {
        final StringBuilder head = new StringBuilder(256)
                .append(method)
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(host)
                .append("\r\n")
                .append("User-Agent: baton-agent\r\n")
                .append("Accept: application/json\r\n")
                .append("Connection: close\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\n");
        }
        if (body != null || !method.equals("GET")) {
            head.append("Content-Length: ")
                    .append(body == null ? 0 : body.length)
                    .append("\r\n");
        }
        head.append("\r\n");
        final byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        if (body == null) {
            return headBytes;
        }
        final byte[] out = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, out, 0, headBytes.length);
        System.arraycopy(body, 0, out, headBytes.length, body.length);
        return out;
    }

    @Override
    public String toString() {
        return method + " " + target;
    }

    private static Duration positive(final Duration duration, final String name) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, but was " + duration);
        }
        return duration;
    }
}
