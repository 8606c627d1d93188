package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import dev.baton.hub.testing.FakeNode;
import dev.baton.hub.testing.HubApi;
import dev.baton.hub.testing.LogCapture;
import dev.baton.hub.testing.SharedHub;
import dev.baton.protocol.EnrollmentRequest;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Enrollment tokens and their exchange for node credentials. */
@ExtendWith(SharedHub.class)
class EnrollmentTest {

    private static final MessageCodec CODEC = new MessageCodec();

    @Test
    void aTokenBuysCredentialsOnceAndTheNodeConnectsWithThem(final HubApi api, final BatonHub hub) {
        final HubApi.Response created = api.post(
                "/api/v1/tenants/default/enrollment-tokens",
                "{\"maxUses\": 1, \"expiresInSeconds\": 3600, \"labels\": {\"site\": \"berlin\"}}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("maxUses").asInt()).isEqualTo(1);
        assertThat(created.body().get("id").asText()).startsWith("et-");
        assertThat(created.body().get("expiresAt").asText()).isNotBlank();
        final String token = created.body().get("token").asText();

        final HubApi.Response enrolled =
                api.enroll(new EnrollmentRequest(token, "happy-node", Map.of("line", "3", "site", "paris"), null));

        assertThat(enrolled.status()).isEqualTo(201);
        final EnrollmentResponse response = CODEC.decode(enrolled.raw(), MessageType.ENROLLMENT_RESPONSE);
        assertThat(response.tenant()).isEqualTo("default");
        assertThat(response.node()).isEqualTo("happy-node");
        assertThat(response.mqtt().username()).isEqualTo("default.happy-node");
        assertThat(response.mqtt().clientId()).isEqualTo("default.happy-node");
        assertThat(response.mqtt().serverUri()).isEqualTo("tcp://127.0.0.1:" + hub.mqttPort());
        final JsonNode node = api.node("happy-node");
        assertThat(node.get("enrolledAt").isNull()).isFalse();
        assertThat(node.get("labels").get("site").asText())
                .as("the token's label wins")
                .isEqualTo("berlin");
        assertThat(node.get("labels").get("line").asText()).isEqualTo("3");
        try (FakeNode fake = FakeNode.connect("default", "happy-node", response.mqtt())) {
            assertThat(fake.isConnected()).isTrue();
        }

        final HubApi.Response again = api.enroll(new EnrollmentRequest(token, "second-node", Map.of(), null));
        assertThat(again.status()).isEqualTo(403);
        assertThat(again.reason()).isEqualTo("TOKEN_USED_UP");
        assertThat(again.error()).contains("baton token create");
        assertThat(api.get(HubApi.nodePath("second-node")).status()).isEqualTo(404);
    }

    @Test
    void anUnknownTokenIs401AndSaysWhatToDo(final HubApi api) {
        final HubApi.Response response = api.enroll(new EnrollmentRequest("no-such-token", "stranger", Map.of(), null));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.reason()).isEqualTo("TOKEN_UNKNOWN");
        assertThat(response.error()).contains("create a new token with `baton token create`");
    }

    @Test
    void anExpiredTokenIs403(final HubApi api, final BatonHub hub) throws Exception {
        final HubApi.Response created = api.post("/api/v1/tenants/default/enrollment-tokens", "{}");
        expireInDatabase(hub.config().dataDir(), created.body().get("id").asText());

        final HubApi.Response response =
                api.enroll(new EnrollmentRequest(created.body().get("token").asText(), "late-node", Map.of(), null));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.reason()).isEqualTo("TOKEN_EXPIRED");
        assertThat(response.error()).contains("expired").contains("baton token create");
    }

    @Test
    void withoutANodeNameTheHostnameGivesOne(final HubApi api) {
        final HubApi.Response response =
                api.enroll(new EnrollmentRequest(api.createToken("{}"), null, Map.of(), "Jetson_Nano-7.plant.example"));

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.body().get("node").asText()).isEqualTo("jetson-nano-7");
    }

    @Test
    void enrollingAgainReplacesTheCredential(final HubApi api) {
        final EnrollmentResponse first = api.enroll("re-node");
        final EnrollmentResponse second = api.enroll("re-node");

        assertThatThrownBy(() -> FakeNode.connect("default", "re-node", first.mqtt()))
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(
                                e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
        try (FakeNode fake = FakeNode.connect("default", "re-node", second.mqtt())) {
            assertThat(fake.isConnected()).isTrue();
        }
    }

    @Test
    void tokensAndPasswordsReachNeitherTheLogNorTheDatabase(final HubApi api, final BatonHub hub) throws Exception {
        final String token;
        final EnrollmentResponse response;
        try (LogCapture log = LogCapture.of("dev.baton")) {
            token = api.createToken("{\"maxUses\": 1}");
            final HubApi.Response enrolled = api.enroll(new EnrollmentRequest(token, "secret-node", Map.of(), null));
            response = CODEC.decode(enrolled.raw(), MessageType.ENROLLMENT_RESPONSE);
            try (FakeNode fake = FakeNode.connect("default", "secret-node", response.mqtt())) {
                assertThat(fake.isConnected()).isTrue();
            }
            assertThat(log.messages()).isNotEmpty();
            assertThat(log.messages())
                    .noneMatch(message -> message.contains(token)
                            || message.contains(response.mqtt().password())
                            || message.contains(hub.adminToken()));
        }
        final Path dataDir = hub.config().dataDir();
        for (final String file : new String[] {"hub.db", "hub.db-wal"}) {
            if (Files.exists(dataDir.resolve(file))) {
                final String content =
                        new String(Files.readAllBytes(dataDir.resolve(file)), StandardCharsets.ISO_8859_1);
                assertThat(content)
                        .doesNotContain(token)
                        .doesNotContain(response.mqtt().password());
            }
        }
    }

    @Test
    void tokenRequestsAreValidatedFieldByField(final HubApi api) {
        final HubApi.Response tooShort =
                api.post("/api/v1/tenants/default/enrollment-tokens", "{\"expiresInSeconds\": 10}");
        final HubApi.Response noUses = api.post("/api/v1/tenants/default/enrollment-tokens", "{\"maxUses\": 0}");
        final HubApi.Response unknown = api.post("/api/v1/tenants/default/enrollment-tokens", "{\"uses\": 3}");
        final HubApi.Response badLabel =
                api.post("/api/v1/tenants/default/enrollment-tokens", "{\"labels\": {\"-bad\": \"x\"}}");

        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.error())
                .isEqualTo("expiresInSeconds must be between 60 and 31536000 (one year), but was 10");
        assertThat(noUses.status()).isEqualTo(400);
        assertThat(noUses.error()).isEqualTo("maxUses must be between 1 and 100000, but was 0");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.reason()).isEqualTo("MALFORMED");
        assertThat(unknown.error()).contains("uses");
        assertThat(badLabel.status()).isEqualTo(400);
    }

    private static void expireInDatabase(final Path dataDir, final String tokenId) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("hub.db"));
                PreparedStatement update =
                        connection.prepareStatement("UPDATE enrollment_tokens SET expires_at = 1 WHERE id = ?")) {
            connection.createStatement().execute("PRAGMA busy_timeout = 5000");
            update.setString(1, tokenId);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }
}
