package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.hub.testing.FakeNode;
import dev.baton.hub.testing.HubApi;
import dev.baton.hub.testing.MosquittoProcess;
import dev.baton.hub.testing.TestMessages;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.Topics;
import dev.baton.protocol.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub on an external broker (mosquitto): no embedded broker, same ingest and publishing. */
class ExternalBrokerTest {

    @TempDir
    Path tmp;

    @Test
    void withAnExternalBrokerTheHubIngestsReportsAndPublishesDesiredStateThroughIt() throws Exception {
        final Optional<Path> binary = MosquittoProcess.binary();
        // CI installs mosquitto (.ci/run) and must run this; a developer machine without it skips it.
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(binary.isPresent(), "mosquitto is not installed");
        }
        assertThat(binary).as("mosquitto binary (apt-get install mosquitto)").isPresent();

        try (MosquittoProcess mosquitto = MosquittoProcess.start(binary.get(), tmp.resolve("mosquitto"));
                BatonHub hub = BatonHub.start(HubConfig.builder()
                        .dataDir(tmp.resolve("hub"))
                        .httpHost("127.0.0.1")
                        .httpPort(0)
                        .externalMqttUri(mosquitto.uri())
                        .build())) {
            assertThat(hub.mqttPort()).isEqualTo(mosquitto.port());
            assertThat(Files.exists(tmp.resolve("hub/broker")))
                    .as("no embedded broker")
                    .isFalse();
            final HubApi api = new HubApi(hub);
            final EnrollmentResponse enrolled = api.enroll("ext-node");
            assertThat(enrolled.mqtt().serverUri()).isEqualTo(mosquitto.uri());
            api.putDesired("ext-node", Fixtures.text("desired-spec.json"));

            try (FakeNode node = FakeNode.connect("default", "ext-node", enrolled.mqtt())) {
                assertThat(node.awaitDesired().generation()).isEqualTo(1);

                node.publish(Topics.Channel.STATUS, TestMessages.birth("boot-ext-1", 1));
                node.publish(Topics.Channel.REPORTED, TestMessages.reported(1, 1, "motd", "written"));

                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    final var shown = api.node("ext-node");
                    assertThat(shown.get("online").asBoolean()).isTrue();
                    assertThat(shown.get("inSync").asBoolean()).isTrue();
                    assertThat(shown.get("reported")
                                    .get("components")
                                    .get(0)
                                    .get("state")
                                    .asText())
                            .isEqualTo("healthy");
                });
            }
        }
    }
}
