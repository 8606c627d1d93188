package dev.baton.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.protocol.DesiredSpec;
import dev.baton.protocol.EnrollmentRequest;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The hub's REST API as a fleet operator's script would drive it: enrollment, {@code PUT …/desired} per node and
 * {@code GET …/nodes}. Asynchronous calls hold one permit of a semaphore while in flight, so the caller bounds how
 * many requests the hub sees at once; the calling thread blocks while all permits are out.
 *
 * <p>Thread-safe. Futures complete on the HTTP client's own executor (two daemon threads).
 */
public final class FleetApi implements AutoCloseable {

    /** One line of {@code GET …/nodes}, as far as the benchmark reads it. */
    public record NodeLine(
            @NotNull String name,
            boolean online,
            long desiredGeneration,
            long observedGeneration,
            @Nullable Instant lastSeen) {}

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final MessageCodec codec = new MessageCodec();
    private final ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
        final Thread thread = new Thread(runnable, "fleet-http");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1)
            .executor(executor)
            .build();
    private final URI base;
    private final String token;
    private final String tenantPath;

    public FleetApi(final @NotNull URI base, final @NotNull String adminToken) {
        this.base = base;
        this.token = adminToken;
        this.tenantPath = "/api/v1/tenants/default";
    }

    /** An enrollment token of the default tenant good for {@code maxUses} nodes. */
    public @NotNull String createEnrollmentToken(final int maxUses) {
        final HttpResponse<byte[]> response = join(sendAsync(authorized(tenantPath + "/enrollment-tokens")
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        codec.writeValue(Map.of("maxUses", maxUses, "expiresInSeconds", 86_400))))));
        return expect(response, 201, "POST enrollment-tokens").get("token").asText();
    }

    /** {@code POST /api/v1/enroll} for node {@code node}, holding a permit of {@code inFlight} while it runs. */
    public @NotNull CompletableFuture<EnrollmentResponse> enroll(
            final @NotNull String enrollmentToken, final @NotNull String node, final @NotNull Semaphore inFlight)
            throws InterruptedException {
        final byte[] body = codec.encode(
                new EnrollmentRequest(enrollmentToken, node, Map.of("fleet", "bench"), node),
                MessageType.ENROLLMENT_REQUEST);
        final HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/v1/enroll"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        return limited(inFlight, request).thenApply(response -> {
            if (response.statusCode() != 201) {
                throw new IllegalStateException("enrolling " + node + " answered " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
            return codec.decode(response.body(), MessageType.ENROLLMENT_RESPONSE);
        });
    }

    /** {@code PUT …/nodes/{node}/desired}; completes with the generation the hub answered. */
    public @NotNull CompletableFuture<Long> putDesired(
            final @NotNull String node, final @NotNull DesiredSpec spec, final @NotNull Semaphore inFlight)
            throws InterruptedException {
        final HttpRequest.Builder request = authorized(tenantPath + "/nodes/" + node + "/desired")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(codec.encode(spec, MessageType.DESIRED_SPEC)));
        return limited(inFlight, request).thenApply(response -> expect(response, 200, "PUT desired of " + node)
                .get("generation")
                .asLong());
    }

    /** {@code GET …/nodes}: every node of the default tenant. */
    public @NotNull List<NodeLine> nodes() {
        final JsonNode list =
                expect(join(sendAsync(authorized(tenantPath + "/nodes").GET())), 200, "GET nodes");
        final List<NodeLine> lines = new ArrayList<>(list.get("items").size());
        for (final JsonNode item : list.get("items")) {
            final JsonNode lastSeen = item.get("lastSeen");
            lines.add(new NodeLine(
                    item.get("name").asText(),
                    item.get("online").asBoolean(),
                    item.get("desiredGeneration").asLong(),
                    item.get("observedGeneration").asLong(),
                    lastSeen == null || lastSeen.isNull() ? null : Instant.parse(lastSeen.asText())));
        }
        return lines;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private CompletableFuture<HttpResponse<byte[]>> limited(final Semaphore inFlight, final HttpRequest.Builder request)
            throws InterruptedException {
        inFlight.acquire();
        final CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            sent = sendAsync(request);
        } catch (final RuntimeException e) {
            inFlight.release();
            throw e;
        }
        return sent.whenComplete((response, error) -> inFlight.release());
    }

    private CompletableFuture<HttpResponse<byte[]>> sendAsync(final HttpRequest.Builder request) {
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder authorized(final String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
    }

    private JsonNode expect(final HttpResponse<byte[]> response, final int status, final String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return codec.readTree(response.body());
    }

    private static <T> T join(final CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (final java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw e;
        }
    }
}
