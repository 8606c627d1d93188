package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.hub.testing.FakeNode;
import dev.baton.hub.testing.HubApi;
import dev.baton.hub.testing.SharedHub;
import dev.baton.hub.testing.TestMessages;
import dev.baton.protocol.ComponentState;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.Topics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET …/nodes/{node}?waitForGeneration=G}: the answer waits for the node's report of generation G settled, so
 * that clients (`baton wait`, scripts, the latency benchmark) need not poll.
 */
@ExtendWith(SharedHub.class)
class WaitForGenerationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String COMPONENTS = "{\"components\": [{\"name\": \"app\", \"kind\": \"file\","
            + " \"properties\": {\"path\": \"/tmp/app\", \"content\": \"x\"}}]}";

    @Test
    void theAnswerWaitsUntilTheNodeReportsTheGenerationSettled(final HubApi api) throws Exception {
        final EnrollmentResponse enrolled = api.enroll("waited-on");
        api.putDesired("waited-on", COMPONENTS);
        api.putDesired("waited-on", COMPONENTS);
        try (FakeNode node = FakeNode.connect("default", "waited-on", enrolled.mqtt())) {
            final CompletableFuture<HubApi.Response> answer = CompletableFuture.supplyAsync(
                    () -> api.get(HubApi.nodePath("waited-on") + "?waitForGeneration=2&timeout=30"));

            // The older generation, then the right one still applying: neither ends the wait.
            node.publish(Topics.Channel.REPORTED, TestMessages.reported(1, 1, "app", "wrote 1 byte"));
            node.publish(
                    Topics.Channel.REPORTED,
                    TestMessages.reported(2, 2, "app", ComponentState.APPLYING, "waiting for its health check"));
            await().atMost(WAIT).until(() -> observed(api.node("waited-on")) == 2);
            Thread.sleep(300); // time for a wrongly woken request to answer; the assertion below would catch it
            assertThat(answer).isNotDone();

            node.publish(Topics.Channel.REPORTED, TestMessages.reported(3, 2, "app", "wrote 1 byte"));

            final HubApi.Response response = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers().firstValue("Baton-Wait")).hasValue("settled");
            assertThat(observed(response.body())).isEqualTo(2);
            assertThat(firstComponentState(response.body())).isEqualTo("healthy");
        }
    }

    @Test
    void aFailedComponentSettlesTheWaitToo(final HubApi api) {
        final EnrollmentResponse enrolled = api.enroll("waited-on-failing");
        api.putDesired("waited-on-failing", COMPONENTS);
        try (FakeNode node = FakeNode.connect("default", "waited-on-failing", enrolled.mqtt())) {
            node.publish(
                    Topics.Channel.REPORTED,
                    TestMessages.reported(1, 1, "app", ComponentState.FAILED, "permission denied"));

            final HubApi.Response response =
                    api.get(HubApi.nodePath("waited-on-failing") + "?waitForGeneration=1&timeout=30");

            assertThat(response.headers().firstValue("Baton-Wait")).hasValue("settled");
            assertThat(firstComponentState(response.body())).isEqualTo("failed");
        }
    }

    @Test
    void aNodeThatNeverReportsIsAnsweredAtTheTimeoutWithWhatTheHubHas(final HubApi api) {
        api.enroll("silent");
        api.putDesired("silent", COMPONENTS);

        final HubApi.Response response = api.get(HubApi.nodePath("silent") + "?waitForGeneration=1&timeout=1");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().firstValue("Baton-Wait")).hasValue("timeout");
        assertThat(observed(response.body())).isZero();
    }

    @Test
    void aGenerationThatWasNeverSetOrAMalformedWaitIsRefused(final HubApi api) {
        api.enroll("impatient");
        api.putDesired("impatient", COMPONENTS);

        final HubApi.Response future = api.get(HubApi.nodePath("impatient") + "?waitForGeneration=2");
        assertThat(future.status()).isEqualTo(400);
        assertThat(future.error())
                .contains("waitForGeneration 2 is above the desired generation of default/impatient (1)");

        final HubApi.Response words = api.get(HubApi.nodePath("impatient") + "?waitForGeneration=soon");
        assertThat(words.status()).isEqualTo(400);
        assertThat(words.error()).contains("waitForGeneration must be an integer between 1 and");

        final HubApi.Response forever = api.get(HubApi.nodePath("impatient") + "?waitForGeneration=1&timeout=100000");
        assertThat(forever.status()).isEqualTo(400);
        assertThat(forever.error()).contains("timeout must be an integer between 1 and 300");

        assertThat(api.get(HubApi.nodePath("nobody") + "?waitForGeneration=1").status())
                .isEqualTo(404);
    }

    private static String firstComponentState(final JsonNode node) {
        return node.get("reported").get("components").get(0).get("state").asText();
    }

    private static long observed(final JsonNode node) {
        return node.get("reported").get("observedGeneration").asLong();
    }
}
