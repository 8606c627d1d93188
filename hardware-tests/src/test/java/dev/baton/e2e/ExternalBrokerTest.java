package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.agent.AgentConfig;
import dev.baton.agent.BatonAgent;
import dev.baton.agent.Enrollment;
import dev.baton.hub.BatonHub;
import dev.baton.hub.HubConfig;
import dev.baton.testing.HubApi;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same round trip with the hub on an external broker: a real mosquitto started by the test. */
class ExternalBrokerTest {

    @TempDir
    Path tmp;

    @Test
    void desiredStateRoundTripsThroughAnExternalMosquittoAndSurvivesItsRestart() throws Exception {
        final Optional<Path> mosquitto = MosquittoBroker.binary();
        // CI installs mosquitto (.ci/run) and must run this test; a developer machine without it skips it.
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(mosquitto.isPresent(), "mosquitto is not installed");
        }
        assertThat(mosquitto).as("mosquitto binary (apt-get install mosquitto)").isPresent();
        Files.createDirectories(tmp.resolve("mosquitto"));

        MosquittoBroker broker = MosquittoBroker.start(mosquitto.get(), tmp.resolve("mosquitto"));
        try (BatonHub hub = BatonHub.start(HubConfig.builder()
                .dataDir(tmp.resolve("hub"))
                .httpHost("127.0.0.1")
                .httpPort(0)
                .externalMqttUri(broker.uri())
                .build())) {
            final HubApi api = new HubApi(URI.create("http://127.0.0.1:" + hub.httpPort()), hub.adminToken());
            final AgentConfig config = Enrollment.builder()
                    .hubUrl(api.base().toString())
                    .token(api.createEnrollmentToken())
                    .node("edge-ext")
                    .dataDirectory(tmp.resolve("agent"))
                    .build()
                    .enroll();
            assertThat(config.mqttServerUri()).isEqualTo(URI.create(broker.uri()));
            final Path file = tmp.resolve("out/external.txt");

            try (BatonAgent agent = BatonAgent.start(config)) {
                api.setDesired("edge-ext", RoundTripTest.greeting(file, "via mosquitto\n"));

                final JsonNode node = await().atMost(Duration.ofSeconds(30))
                        .until(
                                () -> api.node("edge-ext"),
                                json -> json.get("reported")
                                                .get("observedGeneration")
                                                .asLong()
                                        == 1);
                assertThat(node.get("online").asBoolean()).isTrue();
                assertThat(Files.readString(file)).isEqualTo("via mosquitto\n");
                assertThat(agent.observedGeneration()).isEqualTo(1);

                // mosquitto runs without persistence: a restart loses every session and retained message, and
                // hub and agent must notice, subscribe again and re-sync.
                broker.close();
                broker = MosquittoBroker.start(mosquitto.get(), tmp.resolve("mosquitto"), broker.port());
                api.setDesired("edge-ext", RoundTripTest.greeting(file, "after the restart\n"));

                await().atMost(Duration.ofSeconds(30))
                        .until(() -> api.node("edge-ext")
                                        .get("reported")
                                        .get("observedGeneration")
                                        .asLong()
                                == 2);
                assertThat(Files.readString(file)).isEqualTo("after the restart\n");
            }
        } finally {
            broker.close();
        }
    }
}
