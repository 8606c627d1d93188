package dev.baton.adapters.container.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * The calls of the Docker Engine API the container provider makes, typed. Docker and Podman's compatibility service
 * ({@code podman system service}) both serve them.
 *
 * <h2>API version</h2>
 *
 * Every path carries a version. Before its first call the client asks the engine which versions it serves
 * ({@code GET /version}, which takes none) and speaks {@value #PREFERRED_API_VERSION} when the engine accepts it, as
 * Docker 20.10 and later up to 28 and Podman 3 and later do; otherwise the oldest version the engine accepts (Docker
 * 29 accepts 1.44 and up), since every field sent and read here is unchanged from 1.41 through 1.52. The version is
 * asked again after the engine was unreachable, because it may have been upgraded meanwhile.
 *
 * <h2>Threading</h2>
 *
 * Every method blocks its caller for its exchanges. The negotiated version is the only state, kept in a volatile
 * field; two threads negotiating at once agree on it.
 */
public final class EngineApi {

    /** The API version spoken when the engine accepts it: the one the provider is tested against. */
    public static final String PREFERRED_API_VERSION = "1.41";

    /** How long a pull may stream its progress. */
    public static final Duration PULL_TIMEOUT = Duration.ofMinutes(30);

    /** How long a pull's progress stream may be silent; a registry that stalls this long is not coming back. */
    public static final Duration PULL_IDLE_TIMEOUT = Duration.ofMinutes(2);

    /** The engine's own waiting (a stop's grace period) is added to this. */
    private static final Duration MARGIN = Duration.ofSeconds(30);

    private static final int MAX_ENGINE_MESSAGE_CHARS = 512;
    private static final BodyLimit LOG_LIMIT = BodyLimit.keepHead(64 * 1024);
    private static final BodyLimit PULL_PROGRESS_LIMIT = BodyLimit.keepTail(64 * 1024);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EngineTransport transport;

    /** The version spoken, or null until the engine has been asked. */
    private volatile String apiVersion;

    public EngineApi(final @NotNull EngineTransport transport) {
        this.transport = transport;
    }

    /** Where the engine is, for messages. */
    public @NotNull String endpoint() {
        return transport.describe();
    }

    /** The container named (or with the id) {@code nameOrId}, or empty when there is none. */
    public @NotNull Optional<ContainerInspection> inspectContainer(final @NotNull String nameOrId) {
        final HttpResponse response = send(HttpRequest.get(path("/containers/" + nameOrId + "/json")));
        if (response.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(ContainerInspection.fromJson(json(expect(response, "inspect container " + nameOrId))));
    }

    /**
     * Creates a container ({@code POST /containers/create}).
     *
     * @param body the container's configuration (Engine API {@code ContainerConfig} with {@code HostConfig})
     * @return the new container's id
     */
    public @NotNull String createContainer(final @NotNull String name, final @NotNull ObjectNode body) {
        final byte[] encoded;
        try {
            encoded = JSON.writeValueAsBytes(body);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a JSON tree", e);
        }
        final HttpResponse response =
                send(HttpRequest.postJson(path("/containers/create?name=" + query(name)), encoded));
        final String id =
                json(expect(response, "create container " + name)).path("Id").asText("");
        if (id.isEmpty()) {
            throw new EngineException(
                    EngineException.Reason.BROKEN_RESPONSE,
                    "the engine created container " + name + " but did not say its Id");
        }
        return id;
    }

    /** Starts the container; one already running is left alone (HTTP 304). */
    public void startContainer(final @NotNull String id) {
        expect(send(HttpRequest.post(path("/containers/" + id + "/start"))), "start container " + id);
    }

    /**
     * Stops the container: SIGTERM (or the image's stop signal), SIGKILL after {@code grace}. One already stopped is
     * left alone (HTTP 304).
     */
    public void stopContainer(final @NotNull String id, final @NotNull Duration grace) {
        expect(
                send(HttpRequest.post(path("/containers/" + id + "/stop?t=" + grace.toSeconds()))
                        .withTimeout(grace.plus(MARGIN))),
                "stop container " + id);
    }

    /** Stops the container as {@link #stopContainer} does and starts it again. */
    public void restartContainer(final @NotNull String id, final @NotNull Duration grace) {
        expect(
                send(HttpRequest.post(path("/containers/" + id + "/restart?t=" + grace.toSeconds()))
                        .withTimeout(grace.plus(MARGIN))),
                "restart container " + id);
    }

    public void unpauseContainer(final @NotNull String id) {
        expect(send(HttpRequest.post(path("/containers/" + id + "/unpause"))), "unpause container " + id);
    }

    /**
     * Removes the container, killing it if it still runs, with its anonymous volumes (which a recreated container
     * would not reuse anyway); bind mounts and named volumes stay.
     *
     * @return false when there was no such container
     */
    public boolean removeContainer(final @NotNull String id) {
        final HttpResponse response = send(HttpRequest.delete(path("/containers/" + id + "?force=true&v=true")));
        if (response.status() == 404) {
            return false;
        }
        expect(response, "remove container " + id);
        return true;
    }

    /** The last {@code lines} lines of the container's stdout and stderr, interleaved; at most 64 KiB of them. */
    public @NotNull String logTail(final @NotNull String id, final int lines) {
        final HttpResponse response =
                send(HttpRequest.get(path("/containers/" + id + "/logs?stdout=true&stderr=true&tail=" + lines))
                        .withBodyLimit(LOG_LIMIT));
        if (!response.successful()) {
            throw failure(response, "read the log of container " + id);
        }
        return LogStream.decode(response.body());
    }

    /** Whether the engine holds the image {@code reference}. */
    public boolean imageExists(final @NotNull String reference) {
        final HttpResponse response = send(HttpRequest.get(path("/images/" + reference + "/json")));
        if (response.status() == 404) {
            return false;
        }
        expect(response, "inspect image " + reference);
        return true;
    }

    /**
     * Pulls {@code repository} at {@code tagOrDigest} ({@code POST /images/create}). The engine answers 200 at once
     * and streams progress as JSON lines; a failure arrives as a line with an {@code error} field.
     *
     * @param tagOrDigest never empty: an empty tag would pull every tag of the repository
     * @throws EngineException with {@link EngineException.Reason#ENGINE_FAILED} carrying the engine's error
     */
    public void pullImage(final @NotNull String repository, final @NotNull String tagOrDigest) {
        if (tagOrDigest.isEmpty()) {
            throw new IllegalArgumentException("a pull needs a tag or digest, or the engine pulls every tag");
        }
        final HttpResponse response = send(
                HttpRequest.post(path("/images/create?fromImage=" + query(repository) + "&tag=" + query(tagOrDigest)))
                        .withStreamingTimeouts(PULL_TIMEOUT, PULL_IDLE_TIMEOUT)
                        .withBodyLimit(PULL_PROGRESS_LIMIT));
        expect(response, "pull " + repository);
        final String error = lastStreamedError(response.bodyText());
        if (error != null) {
            throw new EngineException(EngineException.Reason.ENGINE_FAILED, response.status(), shorten(error), null);
        }
    }

    /** The {@code error} of the last progress line that has one; lines cut by the body limit are skipped. */
    private static String lastStreamedError(final String progress) {
        String error = null;
        for (final String line : progress.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                final JsonNode message = JSON.readTree(line);
                if (message.hasNonNull("error")) {
                    error = message.get("error").asText();
                } else if (message.path("errorDetail").hasNonNull("message")) {
                    error = message.path("errorDetail").get("message").asText();
                }
            } catch (final IOException e) {
                // The first line of a tail kept by the body limit is usually cut; the error comes last.
            }
        }
        return error;
    }

    /** The version this client speaks to the engine, asking the engine first if it has not yet. */
    public @NotNull String apiVersion() {
        final String known = apiVersion;
        if (known != null) {
            return known;
        }
        final HttpResponse response = send(HttpRequest.get("/version"));
        final JsonNode version = json(expect(response, "tell its API version"));
        final String chosen = chooseVersion(
                version.path("ApiVersion").asText(""),
                version.path("MinAPIVersion").asText(""));
        apiVersion = chosen;
        return chosen;
    }

    /**
     * {@value #PREFERRED_API_VERSION} when it lies within what the engine serves, else the engine's minimum.
     *
     * @param newest the engine's {@code ApiVersion}, or empty when it did not say
     * @param oldest the engine's {@code MinAPIVersion}, or empty when it did not say
     * @throws EngineException with {@link EngineException.Reason#REFUSED} when the engine is older than 1.41
     */
    static @NotNull String chooseVersion(final @NotNull String newest, final @NotNull String oldest) {
        final int[] preferred = parseVersion(PREFERRED_API_VERSION);
        final int[] newestServed = parseVersion(newest);
        if (newestServed != null && compare(newestServed, preferred) < 0) {
            throw new EngineException(
                    EngineException.Reason.REFUSED,
                    "the engine serves Docker Engine API versions up to " + newest + ", older than the "
                            + PREFERRED_API_VERSION + " the provider needs: upgrade it to Docker 20.10 or Podman 3"
                            + " or later");
        }
        final int[] oldestServed = parseVersion(oldest);
        if (oldestServed != null && compare(oldestServed, preferred) > 0) {
            return oldest;
        }
        return PREFERRED_API_VERSION;
    }

    /** "major.minor" as two numbers, or null when the engine said something else. */
    private static int[] parseVersion(final String version) {
        if (!version.matches("[0-9]{1,4}\\.[0-9]{1,4}")) {
            return null;
        }
        final int dot = version.indexOf('.');
        return new int[] {Integer.parseInt(version.substring(0, dot)), Integer.parseInt(version.substring(dot + 1))};
    }

    private static int compare(final int[] left, final int[] right) {
        return left[0] != right[0] ? Integer.compare(left[0], right[0]) : Integer.compare(left[1], right[1]);
    }

    private HttpResponse send(final HttpRequest request) {
        try {
            return transport.exchange(request);
        } catch (final EngineException e) {
            if (e.reason() == EngineException.Reason.UNREACHABLE) {
                apiVersion = null;
            }
            throw e;
        }
    }

    private String path(final String pathAndQuery) {
        return "/v" + apiVersion() + pathAndQuery;
    }

    private static String query(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The response when it is 2xx or 304 (nothing to do); otherwise the engine's refusal as an exception. */
    private static HttpResponse expect(final HttpResponse response, final String what) {
        if (response.successful() || response.status() == 304) {
            return response;
        }
        throw failure(response, what);
    }

    private static EngineException failure(final HttpResponse response, final String what) {
        final int status = response.status();
        final EngineException.Reason reason;
        if (status == 404) {
            reason = EngineException.Reason.NOT_FOUND;
        } else if (status == 409) {
            reason = EngineException.Reason.CONFLICT;
        } else if (status >= 400 && status < 500) {
            reason = EngineException.Reason.REFUSED;
        } else {
            reason = EngineException.Reason.ENGINE_FAILED;
        }
        return new EngineException(
                reason,
                status,
                "the engine could not " + what + " (HTTP " + status + "): " + engineMessage(response),
                null);
    }

    /** The {@code message} of an error body, which Docker and Podman both send; else the body as text. */
    private static String engineMessage(final HttpResponse response) {
        final String text = response.bodyText();
        try {
            final JsonNode body = JSON.readTree(text);
            if (body != null && body.hasNonNull("message")) {
                return shorten(body.get("message").asText());
            }
        } catch (final IOException e) {
            // Not JSON: show it as it is.
        }
        return text.isBlank() ? response.reasonPhrase() : shorten(text.strip());
    }

    private static JsonNode json(final HttpResponse response) {
        try {
            final JsonNode node = JSON.readTree(response.body());
            if (node == null || !node.isObject()) {
                throw new EngineException(
                        EngineException.Reason.BROKEN_RESPONSE, "the engine answered with something not a JSON object");
            }
            return node;
        } catch (final IOException e) {
            throw new EngineException(
                    EngineException.Reason.BROKEN_RESPONSE,
                    "the engine answered with malformed JSON: " + e.getMessage(),
                    e);
        }
    }

    private static String shorten(final String text) {
        final String oneLine = text.strip().replaceAll("\\p{Cntrl}+", " ");
        return oneLine.length() <= MAX_ENGINE_MESSAGE_CHARS
                ? oneLine
                : oneLine.substring(0, MAX_ENGINE_MESSAGE_CHARS - 1) + "…";
    }
}
