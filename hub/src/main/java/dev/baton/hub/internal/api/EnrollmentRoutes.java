package dev.baton.hub.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.hub.internal.HostNames;
import dev.baton.hub.internal.enroll.EnrollmentService;
import dev.baton.protocol.EnrollmentRequest;
import dev.baton.protocol.Limits;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.Names;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.IntSupplier;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/** {@code POST …/enrollment-tokens} (operator, bearer token) and {@code POST /api/v1/enroll} (agent, no bearer). */
final class EnrollmentRoutes {

    static final long DEFAULT_EXPIRES_SECONDS = 86_400;
    static final long MIN_EXPIRES_SECONDS = 60;
    static final long MAX_EXPIRES_SECONDS = 31_536_000;
    static final int DEFAULT_MAX_USES = 1;
    static final int MAX_MAX_USES = 100_000;

    /** The body of {@code POST …/enrollment-tokens}; every field optional. */
    record TokenRequest(
            @Nullable Long expiresInSeconds, @Nullable Integer maxUses, @Nullable Map<String, String> labels) {}

    private final EnrollmentService enrollment;
    private final MessageCodec codec;
    private final TenantAccess tenants;
    private final @Nullable URI advertisedMqttUri;
    private final IntSupplier mqttPort;

    /**
     * @param advertisedMqttUri what to hand to agents; null to derive {@code tcp://<request host>:<mqttPort>}
     */
    EnrollmentRoutes(
            final @NotNull EnrollmentService enrollment,
            final @NotNull MessageCodec codec,
            final @NotNull TenantAccess tenants,
            final @Nullable URI advertisedMqttUri,
            final @NotNull IntSupplier mqttPort) {
        this.enrollment = enrollment;
        this.codec = codec;
        this.tenants = tenants;
        this.advertisedMqttUri = advertisedMqttUri;
        this.mqttPort = mqttPort;
    }

    /**
     * {@code POST /api/v1/tenants/{tenant}/enrollment-tokens} with {@code {"expiresInSeconds": 86400 (60 ..
     * 31536000), "maxUses": 1 (1 .. 100000), "labels": {…}}} → 201 {@code {"token", "id", "expiresAt", "maxUses",
     * "labels"}}.
     */
    @NotNull
    CompletionStage<Reply> createToken(final @NotNull RoutingContext context) {
        final String tenant = tenants.require(context);
        final TokenRequest request = tokenRequest(Requests.body(context));
        final long expiresIn =
                request.expiresInSeconds() == null ? DEFAULT_EXPIRES_SECONDS : request.expiresInSeconds();
        if (expiresIn < MIN_EXPIRES_SECONDS || expiresIn > MAX_EXPIRES_SECONDS) {
            throw ApiException.badRequest("expiresInSeconds must be between " + MIN_EXPIRES_SECONDS + " and "
                    + MAX_EXPIRES_SECONDS + " (one year), but was " + expiresIn);
        }
        final int maxUses = request.maxUses() == null ? DEFAULT_MAX_USES : request.maxUses();
        if (maxUses < 1 || maxUses > MAX_MAX_USES) {
            throw ApiException.badRequest("maxUses must be between 1 and " + MAX_MAX_USES + ", but was " + maxUses);
        }
        final Map<String, String> labels = request.labels() == null ? Map.of() : request.labels();
        if (labels.size() > Limits.MAX_LABELS) {
            throw ApiException.badRequest(
                    "labels must not exceed " + Limits.MAX_LABELS + " entries, but had " + labels.size());
        }
        labels.forEach((key, value) -> Names.checkLabel(key, value, "labels"));
        return enrollment
                .createToken(tenant, Duration.ofSeconds(expiresIn), maxUses, labels)
                .thenApply(created -> Reply.created(new ApiViews.CreatedToken(
                        created.token(), created.id(), created.expiresAt(), created.maxUses(), created.labels())));
    }

    /** {@code POST /api/v1/enroll} with an {@code EnrollmentRequest} → 201 {@code EnrollmentResponse}. */
    @NotNull
    CompletionStage<Reply> enroll(final @NotNull RoutingContext context) {
        final EnrollmentRequest request = codec.decode(Requests.body(context), MessageType.ENROLLMENT_REQUEST);
        return enrollment
                .enroll(request, mqttUriFor(context))
                .thenApply(response -> Reply.created(codec.encode(response, MessageType.ENROLLMENT_RESPONSE)));
    }

    private TokenRequest tokenRequest(final byte[] body) {
        if (body.length == 0) {
            return new TokenRequest(null, null, null);
        }
        final JsonNode json = codec.readTree(body);
        if (!json.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object such as {\"expiresInSeconds\": 3600,"
                    + " \"maxUses\": 1, \"labels\": {\"site\": \"berlin\"}}");
        }
        return codec.treeToValue(json, TokenRequest.class);
    }

    private URI mqttUriFor(final RoutingContext context) {
        if (advertisedMqttUri != null) {
            return advertisedMqttUri;
        }
        final HostAndPort authority = context.request().authority();
        final String host = authority != null
                ? authority.host()
                : context.request().localAddress().host();
        return URI.create("tcp://" + HostNames.bracket(host) + ':' + mqttPort.getAsInt());
    }
}
