package dev.baton.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.protocol.DesiredSpec;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jetbrains.annotations.Nullable;

/**
 * The hub's REST API as end-to-end tests and benchmarks use it: plain HTTP with a bearer token, JSON parsed by the
 * protocol codec.
 */
public final class HubApi {

    /** A response: status and parsed body (null when empty). */
    public record Response(int status, @Nullable JsonNode body) {}

    private static final MessageCodec CODEC = new MessageCodec();

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final URI base;
    private final String token;

    public HubApi(final URI base, final String token) {
        this.base = base;
        this.token = token;
    }

    public URI base() {
        return base;
    }

    /** {@code PUT …/nodes/{node}/desired} with a raw body, for tests of what the hub refuses. */
    public Response putDesired(final String node, final String json) {
        return send(request("/api/v1/tenants/default/nodes/" + node + "/desired")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Sets a node's desired state and returns the new generation. */
    public long setDesired(final String node, final DesiredSpec spec) {
        final Response response = send(request("/api/v1/tenants/default/nodes/" + node + "/desired")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(CODEC.encode(spec, MessageType.DESIRED_SPEC))));
        if (response.status() != 200) {
            throw new IllegalStateException("PUT desired of " + node + " answered " + response);
        }
        return response.body().get("generation").asLong();
    }

    public JsonNode node(final String node) {
        final Response response =
                send(request("/api/v1/tenants/default/nodes/" + node).GET());
        if (response.status() != 200) {
            throw new IllegalStateException("GET node " + node + " answered " + response);
        }
        return response.body();
    }

    /**
     * {@code GET …/nodes/{node}?waitForGeneration=G&timeout=S}: the node's detail once it has worked through {@code
     * generation} and settled, or after {@code timeoutSeconds} (then {@link #converged} tells it did not).
     */
    public JsonNode nodeWhenSettled(final String node, final long generation, final int timeoutSeconds) {
        final Response response = send(request("/api/v1/tenants/default/nodes/" + node + "?waitForGeneration="
                        + generation + "&timeout=" + timeoutSeconds)
                .timeout(Duration.ofSeconds(timeoutSeconds + 10L))
                .GET());
        if (response.status() != 200) {
            throw new IllegalStateException(
                    "GET node " + node + " waiting for generation " + generation + " answered " + response);
        }
        return response.body();
    }

    /** {@code GET …/devices} with a query such as {@code ?kind=onvif-camera} (or ""), the items. */
    public JsonNode devices(final String query) {
        final Response response =
                send(request("/api/v1/tenants/default/devices" + query).GET());
        if (response.status() != 200) {
            throw new IllegalStateException("GET devices" + query + " answered " + response);
        }
        return response.body().get("items");
    }

    /** {@code GET …/devices/{id}}; 404 when the hub never heard of it. */
    public Response device(final String id) {
        return send(request("/api/v1/tenants/default/devices/"
                        + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)
                                .replace("+", "%20"))
                .GET());
    }

    /** {@code DELETE …/artifacts/{sha256}}. */
    public Response deleteArtifact(final String sha256) {
        return send(request("/api/v1/tenants/default/artifacts/" + sha256).DELETE());
    }

    public Response events(final String node) {
        return send(request("/api/v1/tenants/default/nodes/" + node + "/events?limit=1000")
                .GET());
    }

    /**
     * {@code POST …/artifacts?name=N} with {@code content} as the raw body; returns the SHA-256 the hub computed.
     */
    public String uploadArtifact(final String name, final byte[] content) {
        final Response response = send(HttpRequest.newBuilder(base.resolve("/api/v1/tenants/default/artifacts?name="
                        + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)));
        if (response.status() != 201 && response.status() != 200) {
            throw new IllegalStateException("artifact upload answered " + response);
        }
        return response.body().get("sha256").asText();
    }

    public String createEnrollmentToken() {
        final Response response = send(request("/api/v1/tenants/default/enrollment-tokens")
                .POST(HttpRequest.BodyPublishers.ofString("{\"maxUses\": 1}")));
        if (response.status() != 201) {
            throw new IllegalStateException("token creation answered " + response);
        }
        return response.body().get("token").asText();
    }

    /** True once {@code GET /healthz} answers 200; false while the hub is not listening or not ready. */
    public boolean healthy() {
        try {
            return http.send(
                                    HttpRequest.newBuilder(base.resolve("/healthz"))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (final IOException notListening) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** True when the node's report shows {@code generation} observed and every component healthy. */
    public static boolean converged(final JsonNode node, final long generation) {
        final JsonNode reported = node.get("reported");
        if (reported.get("observedGeneration").asLong() != generation) {
            return false;
        }
        for (final JsonNode component : reported.get("components")) {
            if (!"healthy".equals(component.get("state").asText())) {
                return false;
            }
        }
        return true;
    }

    private HttpRequest.Builder request(final String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
    }

    private Response send(final HttpRequest.Builder request) {
        try {
            final HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            final byte[] body = response.body();
            return new Response(response.statusCode(), body.length == 0 ? null : CODEC.readTree(body));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
