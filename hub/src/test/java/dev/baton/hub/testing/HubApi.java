package dev.baton.hub.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.baton.hub.BatonHub;
import dev.baton.protocol.EnrollmentRequest;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.jetbrains.annotations.Nullable;

/** The hub's REST API as a test (or an operator with curl) uses it. */
public final class HubApi {

    /** An answer: status, JSON body (null when empty) and headers. */
    public record Response(int status, @Nullable JsonNode body, HttpHeaders headers, byte[] raw) {

        public String error() {
            return body == null ? null : body.path("error").asText(null);
        }

        public String reason() {
            return body == null ? null : body.path("reason").asText(null);
        }

        @Override
        public String toString() {
            return "HTTP " + status + ' ' + new String(raw, StandardCharsets.UTF_8);
        }
    }

    private static final MessageCodec CODEC = new MessageCodec();
    private static final JsonMapper JSON = new JsonMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final @Nullable String token;

    public HubApi(final BatonHub hub) {
        this(URI.create("http://127.0.0.1:" + hub.httpPort()), hub.adminToken());
    }

    public HubApi(final URI base, final @Nullable String token) {
        this.base = base;
        this.token = token;
    }

    public URI base() {
        return base;
    }

    /** The same API without a bearer token. */
    public HubApi anonymous() {
        return new HubApi(base, null);
    }

    /** The same API with another bearer token. */
    public HubApi withToken(final String otherToken) {
        return new HubApi(base, otherToken);
    }

    public Response get(final String path) {
        return send("GET", path, null, Map.of());
    }

    public Response put(final String path, final byte[] body) {
        return send("PUT", path, body, Map.of());
    }

    public Response put(final String path, final byte[] body, final Map<String, String> headers) {
        return send("PUT", path, body, headers);
    }

    public Response get(final String path, final Map<String, String> headers) {
        return send("GET", path, null, headers);
    }

    public Response delete(final String path) {
        return send("DELETE", path, null, Map.of());
    }

    public Response post(final String path, final byte[] body) {
        return send("POST", path, body, Map.of());
    }

    public Response post(final String path, final String json) {
        return post(path, json.getBytes(StandardCharsets.UTF_8));
    }

    public Response putDesired(final String node, final String json) {
        return put(nodePath(node) + "/desired", json.getBytes(StandardCharsets.UTF_8));
    }

    public JsonNode node(final String node) {
        final Response response = get(nodePath(node));
        if (response.status() != 200) {
            throw new AssertionError("GET node " + node + ": " + response);
        }
        return response.body();
    }

    /** {@code /api/v1/tenants/default}. */
    public static final String TENANT_PATH = "/api/v1/tenants/default";

    public static String nodePath(final String node) {
        return "/api/v1/tenants/default/nodes/" + node;
    }

    /** A new enrollment token for the default tenant. */
    public String createToken(final String json) {
        final Response response = post("/api/v1/tenants/default/enrollment-tokens", json);
        if (response.status() != 201) {
            throw new AssertionError("token creation: " + response);
        }
        return response.body().get("token").asText();
    }

    /** Enrolls {@code node} with a fresh single-use token. */
    public EnrollmentResponse enroll(final String node) {
        final Response response = enroll(new EnrollmentRequest(createToken("{}"), node, Map.of(), null));
        if (response.status() != 201) {
            throw new AssertionError("enrollment of " + node + ": " + response);
        }
        return CODEC.decode(response.raw(), MessageType.ENROLLMENT_RESPONSE);
    }

    public Response enroll(final EnrollmentRequest request) {
        return anonymous().post("/api/v1/enroll", CODEC.encode(request, MessageType.ENROLLMENT_REQUEST));
    }

    private Response send(
            final String method, final String path, final byte @Nullable [] body, final Map<String, String> headers) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        try {
            final HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            final byte[] raw = response.body();
            final boolean json = response.headers()
                    .firstValue("Content-Type")
                    .map(type -> type.startsWith("application/json"))
                    .orElse(false);
            return new Response(
                    response.statusCode(),
                    raw.length == 0 || !json ? null : JSON.readTree(raw),
                    response.headers(),
                    raw);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
