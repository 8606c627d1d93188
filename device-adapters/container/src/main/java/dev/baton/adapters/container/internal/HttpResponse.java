package dev.baton.adapters.container.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/** The engine's answer to one {@link HttpRequest}: status, headers and the body as far as its limit allowed. */
public final class HttpResponse {

    private final int status;
    private final String reasonPhrase;
    private final Map<String, String> headers;
    private final byte[] body;
    private final boolean truncated;

    /**
     * @param headers keyed by lower-case name; a repeated header's values joined with ", " (RFC 9110 5.3)
     * @param truncated true when the body was longer than the request's {@link BodyLimit} and was cut
     */
    HttpResponse(
            final int status,
            final @NotNull String reasonPhrase,
            final @NotNull Map<String, String> headers,
            final byte @NotNull [] body,
            final boolean truncated) {
        this.status = status;
        this.reasonPhrase = reasonPhrase;
        this.headers = Map.copyOf(headers);
        this.body = body;
        this.truncated = truncated;
    }

    public int status() {
        return status;
    }

    public @NotNull String reasonPhrase() {
        return reasonPhrase;
    }

    /** A header's value, by case-insensitive name. */
    public @NotNull Optional<String> header(final @NotNull String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The body, de-chunked; a copy. */
    public byte @NotNull [] body() {
        return body.clone();
    }

    /** The body as UTF-8 text, malformed bytes replaced. */
    public @NotNull String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean truncated() {
        return truncated;
    }

    public boolean successful() {
        return status >= 200 && status < 300;
    }

    @Override
    public String toString() {
        return status + " " + reasonPhrase + " (" + body.length + " body bytes" + (truncated ? ", truncated)" : ")");
    }
}
