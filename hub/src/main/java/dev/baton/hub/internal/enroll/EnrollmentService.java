package dev.baton.hub.internal.enroll;

import dev.baton.hub.internal.security.NodeIdentity;
import dev.baton.hub.internal.security.SecretTokens;
import dev.baton.hub.internal.store.EnrollmentOutcome;
import dev.baton.hub.internal.store.EnrollmentTokenRecord;
import dev.baton.hub.internal.store.HubStore;
import dev.baton.protocol.EnrollmentRequest;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.MqttCredentials;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrollment tokens and their redemption. An operator creates a token (stored as a hash, shown once); an agent
 * exchanges it for a node identity and a fresh MQTT password (also stored only as a hash). Re-enrolling a node
 * replaces its password; the old one stops working at the node's next connect.
 *
 * <p>Thread-safe; futures complete on the store thread.
 */
public final class EnrollmentService {

    private static final Logger log = LoggerFactory.getLogger(EnrollmentService.class);
    private static final String CREATE_TOKEN = "create a new token with `baton token create` and enroll again";

    /** A token as created: the plaintext is in here and nowhere else. */
    public record CreatedToken(
            @NotNull String id,
            @NotNull String token,
            @NotNull Instant expiresAt,
            int maxUses,
            @NotNull Map<String, String> labels) {

        public CreatedToken {
            labels = Map.copyOf(labels);
        }

        @Override
        public String toString() {
            return "CreatedToken[id=" + id + ", token=<redacted>, expiresAt=" + expiresAt + ", maxUses=" + maxUses
                    + ", labels=" + labels + ']';
        }
    }

    private final HubStore store;
    private final Clock clock;

    public EnrollmentService(final @NotNull HubStore store, final @NotNull Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Creates a token for {@code tenant}; the caller has validated the arguments. */
    public @NotNull CompletableFuture<CreatedToken> createToken(
            final @NotNull String tenant,
            final @NotNull Duration expiresIn,
            final int maxUses,
            final @NotNull Map<String, String> labels) {
        // A recognisable prefix lets secret scanners find leaked enrollment tokens.
        final String token = "bt_" + SecretTokens.newSecret();
        final Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        final EnrollmentTokenRecord record = new EnrollmentTokenRecord(
                SecretTokens.newId("et-"),
                tenant,
                SecretTokens.sha256Hex(token),
                now.plus(expiresIn),
                maxUses,
                labels,
                now);
        return store.createEnrollmentToken(record).thenApply(ignored -> {
            log.info(
                    "created enrollment token {} for tenant {} (expires {}, {} use(s), labels {})",
                    record.id(),
                    tenant,
                    record.expiresAt(),
                    maxUses,
                    labels);
            return new CreatedToken(record.id(), token, record.expiresAt(), maxUses, labels);
        });
    }

    /**
     * Redeems the request's token.
     *
     * @param mqttServerUri what the node is to connect to
     * @return fails with {@link EnrollmentRefusedException} when the token or the node name is not acceptable
     */
    public @NotNull CompletableFuture<EnrollmentResponse> enroll(
            final @NotNull EnrollmentRequest request, final @NotNull URI mqttServerUri) {
        final String node;
        if (request.node() != null) {
            node = request.node();
        } else {
            node = NodeNames.fromHostname(request.hostname())
                    .orElseThrow(() -> new EnrollmentRefusedException(
                            EnrollmentRefusedException.Reason.NODE_NAME_MISSING,
                            "the request names no node and "
                                    + (request.hostname() == null
                                            ? "no hostname"
                                            : "its hostname gives no valid node name")
                                    + "; enroll with --node NAME (lower-case letters, digits and '-')"));
        }
        final String password = SecretTokens.newSecret();
        return store.enroll(
                        SecretTokens.sha256Hex(request.token()),
                        node,
                        request.labels(),
                        SecretTokens.sha256Hex(password))
                .thenApply(outcome -> respond(outcome, mqttServerUri, password));
    }

    private static EnrollmentResponse respond(
            final EnrollmentOutcome outcome, final URI mqttServerUri, final String password) {
        if (outcome instanceof EnrollmentOutcome.Enrolled enrolled) {
            if (enrolled.reEnrolled()) {
                log.info(
                        "node {}/{} enrolled again with token {}; its previous MQTT credential no longer works and"
                                + " its reported sequence starts over",
                        enrolled.tenant(),
                        enrolled.node(),
                        enrolled.tokenId());
            } else {
                log.info(
                        "node {}/{} enrolled with token {} (labels {})",
                        enrolled.tenant(),
                        enrolled.node(),
                        enrolled.tokenId(),
                        enrolled.labels());
            }
            final String mqttName = new NodeIdentity(enrolled.tenant(), enrolled.node()).mqttName();
            return new EnrollmentResponse(
                    enrolled.tenant(),
                    enrolled.node(),
                    new MqttCredentials(mqttServerUri.toString(), mqttName, mqttName, password));
        }
        if (outcome instanceof EnrollmentOutcome.ExpiredToken expired) {
            throw new EnrollmentRefusedException(
                    EnrollmentRefusedException.Reason.TOKEN_EXPIRED,
                    "enrollment token " + expired.tokenId() + " expired at " + expired.expiresAt() + "; "
                            + CREATE_TOKEN);
        }
        if (outcome instanceof EnrollmentOutcome.UsedUpToken usedUp) {
            throw new EnrollmentRefusedException(
                    EnrollmentRefusedException.Reason.TOKEN_USED_UP,
                    "enrollment token " + usedUp.tokenId() + " has been used " + usedUp.maxUses()
                            + " time(s), its limit; " + CREATE_TOKEN + " (--max-uses N for several nodes)");
        }
        throw new EnrollmentRefusedException(
                EnrollmentRefusedException.Reason.TOKEN_UNKNOWN,
                "the enrollment token is not known to this hub; " + CREATE_TOKEN);
    }
}
