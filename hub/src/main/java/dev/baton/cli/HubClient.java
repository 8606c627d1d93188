package dev.baton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/** The hub's REST API as the CLI uses it: JSON in, JSON out, errors as {@link CliException}. Not thread-safe. */
final class HubClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Long enough for a large artifact on a slow uplink; a broken connection fails sooner. */
    private static final Duration UPLOAD_TIMEOUT = Duration.ofHours(1);

    private final URI base;
    private final @Nullable String token;
    private final HttpClient http;
    private final JsonMapper json = new JsonMapper();

    HubClient(final @NotNull URI base, final @Nullable String token) {
        this.base = base;
        this.token = token;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @NotNull
    JsonNode get(final @NotNull String path) {
        return send("GET", path, null, Map.of());
    }

    /**
     * {@code GET path?waitForGeneration=G&timeout=S}: the hub answers once the node has worked through generation G
     * and settled, or after {@code wait}.
     */
    @NotNull
    JsonNode getWhenSettled(final @NotNull String path, final long generation, final @NotNull Duration wait) {
        final long seconds = Math.max(1, wait.toSeconds());
        return exchange(
                "GET",
                path + "?waitForGeneration=" + generation + "&timeout=" + seconds,
                HttpRequest.BodyPublishers.noBody(),
                Map.of(),
                Duration.ofSeconds(seconds).plus(TIMEOUT));
    }

    @NotNull
    JsonNode put(final @NotNull String path, final byte @NotNull [] body, final @NotNull Map<String, String> headers) {
        return send("PUT", path, body, headers);
    }

    @NotNull
    JsonNode post(final @NotNull String path, final byte @NotNull [] body) {
        return send("POST", path, body, Map.of());
    }

    @NotNull
    JsonNode delete(final @NotNull String path) {
        return send("DELETE", path, null, Map.of());
    }

    /**
     * Streams {@code file} as the raw body of a POST, for uploads that must not be held in memory. The timeout covers
     * the whole transfer, since the hub answers only once it has every byte.
     */
    @NotNull
    JsonNode upload(final @NotNull String path, final @NotNull Path file) {
        final HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (final FileNotFoundException e) {
            throw new CliException(1, "file " + file + " does not exist");
        }
        return exchange("POST", path, body, Map.of("Content-Type", "application/octet-stream"), UPLOAD_TIMEOUT);
    }

    @NotNull
    JsonMapper mapper() {
        return json;
    }

    private JsonNode send(
            final String method, final String path, final byte @Nullable [] body, final Map<String, String> headers) {
        final Map<String, String> all = new LinkedHashMap<>();
        if (body != null) {
            all.put("Content-Type", "application/json");
        }
        all.putAll(headers);
        return exchange(
                method,
                path,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body),
                all,
                TIMEOUT);
    }

    private JsonNode exchange(
            final String method,
            final String path,
            final HttpRequest.BodyPublisher body,
            final Map<String, String> headers,
            final Duration timeout) {
        final URI uri = base.resolve(path);
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json")
                .method(method, body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        final HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (final IOException e) {
            throw unreachable(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(1, "interrupted");
        }
        final JsonNode answer = parse(response);
        if (response.statusCode() / 100 != 2) {
            final JsonNode error = answer.path("error");
            throw new CliException(
                    1,
                    error.isTextual()
                            ? error.asText()
                            : "the hub answered " + method + ' ' + uri.getPath() + " with HTTP "
                                    + response.statusCode());
        }
        return answer;
    }

    private JsonNode parse(final HttpResponse<byte[]> response) {
        if (response.body().length == 0) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(response.body());
        } catch (final IOException e) {
            throw new CliException(
                    1,
                    "the hub at " + base + " answered HTTP " + response.statusCode()
                            + " without JSON; is --hub pointing at a Baton hub?");
        }
    }

    private CliException unreachable(final IOException e) {
        final String why = e instanceof ConnectException
                ? "connection refused"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new CliException(
                2,
                "cannot reach the hub at " + base + ": " + why + " (check --hub or BATON_HUB, and that the hub runs)");
    }
}
