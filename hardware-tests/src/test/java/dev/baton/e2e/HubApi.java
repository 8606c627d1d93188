package dev.baton.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.protocol.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The hub's REST API as a test uses it: plain HTTP with the admin token, JSON parsed by the protocol codec. */
final class HubApi {

    /** A response: status and parsed body. */
    record Response(int status, JsonNode body) {}

    private static final MessageCodec CODEC = new MessageCodec();

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final URI base;
    private final String token;

    HubApi(final URI base, final String token) {
        this.base = base;
        this.token = token;
    }

    URI base() {
        return base;
    }

    Response putDesired(final String node, final String json) {
        return send(request("/api/v1/tenants/default/nodes/" + node + "/desired")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    JsonNode node(final String node) {
        final Response response =
                send(request("/api/v1/tenants/default/nodes/" + node).GET());
        if (response.status() != 200) {
            throw new IllegalStateException("GET node " + node + " answered " + response);
        }
        return response.body();
    }

    Response events(final String node) {
        return send(request("/api/v1/tenants/default/nodes/" + node + "/events?limit=1000")
                .GET());
    }

    String createEnrollmentToken() {
        final Response response = send(request("/api/v1/tenants/default/enrollment-tokens")
                .POST(HttpRequest.BodyPublishers.ofString("{\"maxUses\": 1}")));
        if (response.status() != 201) {
            throw new IllegalStateException("token creation answered " + response);
        }
        return response.body().get("token").asText();
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
            return new Response(
                    response.statusCode(),
                    body.length == 0
                            ? null
                            : CODEC.readTree(
                                    new String(body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
