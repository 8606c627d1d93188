package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.hub.internal.api.ApiServer;
import dev.baton.hub.testing.HubApi;
import dev.baton.hub.testing.SharedHub;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The REST API's general rules: health, authentication, tenant and node names, JSON errors. */
@ExtendWith(SharedHub.class)
class RestApiTest {

    @Test
    void healthzAnswersOkWhenStoreBrokerAndHubClientAreUp(final HubApi api, final BatonHub hub) {
        final HubApi.Response health = api.anonymous().get("/healthz");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("status").asText()).isEqualTo("ok");
        assertThat(health.body().get("checks").get("store").asBoolean()).isTrue();
        assertThat(health.body().get("checks").get("broker").asBoolean()).isTrue();
        assertThat(health.body().get("checks").get("mqtt").asBoolean()).isTrue();
        assertThat(hub.isHealthy()).isTrue();
    }

    @Test
    void aRequestWithoutTheTokenIsRefusedWith401AndSaysWhereTheTokenIs(final HubApi api) {
        final HubApi.Response missing = api.anonymous().get("/api/v1/tenants/default/nodes");
        final HubApi.Response wrong = api.withToken("not-the-token").get("/api/v1/tenants/default/nodes");

        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.reason()).isEqualTo("UNAUTHORIZED");
        assertThat(missing.error()).contains("Authorization: Bearer").contains("admin.token");
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(wrong.status()).isEqualTo(401);
    }

    @Test
    void anUnknownTenantIs404AndAnInvalidNameIs400(final HubApi api) {
        final HubApi.Response unknown = api.get("/api/v1/tenants/acme/nodes");
        final HubApi.Response invalid = api.get("/api/v1/tenants/Not_Valid/nodes");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.reason()).isEqualTo("TENANT_NOT_FOUND");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.reason()).isEqualTo("INVALID_FIELD");
        assertThat(invalid.error()).contains("tenant").contains("Not_Valid");
    }

    @Test
    void aNodeTheHubHasNeverHeardOfIs404(final HubApi api) {
        final HubApi.Response response = api.get(HubApi.nodePath("never-seen"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.reason()).isEqualTo("NODE_NOT_FOUND");
        assertThat(api.get(HubApi.nodePath("never-seen") + "/events").status()).isEqualTo(404);
    }

    @Test
    void anEventLimitOutOfRangeIs400(final HubApi api) {
        api.putDesired("limit-node", "{\"components\": []}");

        final HubApi.Response response = api.get(HubApi.nodePath("limit-node") + "/events?limit=5000");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("limit must be an integer between 1 and 1000, but was '5000'");
    }

    @Test
    void anUnknownEndpointOrMethodAnswersJson(final HubApi api) {
        final HubApi.Response missing = api.get("/api/v2/anything");
        final HubApi.Response method = api.post("/api/v1/tenants/default/nodes", "{}");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.reason()).isEqualTo("NOT_FOUND");
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.reason()).isEqualTo("METHOD_NOT_ALLOWED");
    }

    @Test
    void theNodeListShowsGenerationsSyncAndComponentCounts(final HubApi api) {
        api.putDesired("listed-node", "{\"components\": []}");

        final HubApi.Response list = api.get("/api/v1/tenants/default/nodes");

        assertThat(list.status()).isEqualTo(200);
        final var item = StreamSupport.stream(list.body().get("items").spliterator(), false)
                .filter(node -> node.get("name").asText().equals("listed-node"))
                .findFirst()
                .orElseThrow();
        assertThat(item.get("online").asBoolean()).isFalse();
        assertThat(item.get("lastSeen").isNull()).isTrue();
        assertThat(item.get("desiredGeneration").asLong()).isEqualTo(1);
        assertThat(item.get("observedGeneration").asLong()).isZero();
        assertThat(item.get("inSync").asBoolean()).isFalse();
        assertThat(item.get("components").get("healthy").asInt()).isZero();
        assertThat(item.get("components").get("total").asInt()).isZero();
        assertThat(item.has("labels")).isTrue();
    }

    @Test
    void theOpenEnrollmentEndpointReadsNoMoreThanAnEnrollmentRequestMayBe(final HubApi api) {
        final HubApi.Response response =
                api.anonymous().post("/api/v1/enroll", "{\"token\": \"" + "x".repeat(64 * 1024) + "\"}");

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.reason()).isEqualTo("TOO_LARGE");
        assertThat(response.error()).isEqualTo("the request body must not exceed 16384 bytes");
    }

    @Test
    void aTooLargeEnrollmentTokenRequestIsRefusedWithTheLimitOfThatEndpoint(final HubApi api) {
        final HubApi.Response response = api.post(
                "/api/v1/tenants/default/enrollment-tokens",
                "{\"labels\": {\"note\": \"" + "x".repeat(20 * 1024) + "\"}}");

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.reason()).isEqualTo("TOO_LARGE");
        assertThat(response.error()).contains(String.valueOf(ApiServer.SMALL_BODY_BYTES));
    }
}
