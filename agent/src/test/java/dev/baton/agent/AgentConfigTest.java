package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

    @TempDir
    Path data;

    private AgentConfig.Builder valid() {
        return AgentConfig.builder()
                .dataDirectory(data)
                .tenant("default")
                .node("edge-1")
                .mqttServerUri("tcp://127.0.0.1:1883")
                .mqttPassword("p4ss");
    }

    @Test
    void clientIdentifierAndUserNameDefaultToTenantDotNodeAsTheHubIssuesThem() {
        final AgentConfig config = valid().build();

        assertThat(config.mqttClientId()).isEqualTo("default.edge-1");
        assertThat(config.mqttUsername()).isEqualTo("default.edge-1");
        assertThat(config.outboxMaxBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(config.outboxMaxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(config.reconnectBackoff()).isEqualTo(Backoff.RECONNECT_DEFAULT);
    }

    @Test
    void neverShowsThePasswordInItsStringForm() {
        assertThat(valid().build().toString()).doesNotContain("p4ss").contains("<redacted>");
    }

    @Test
    void refusesInvalidValuesNamingTheFieldTheLimitAndTheValue() {
        assertThatThrownBy(() -> valid().node("Edge_1").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node must be 1 to 63 lower-case letters")
                .hasMessageContaining("'Edge_1'");
        assertThatThrownBy(() -> valid().mqttServerUri("http://127.0.0.1:1883").build())
                .hasMessage("mqtt.serverUri must be tcp://host:port or ssl://host:port, without user info, path,"
                        + " query or fragment, but was 'http://127.0.0.1:1883'");
        assertThatThrownBy(() -> valid().outboxMaxBytes(10).build())
                .hasMessage("outbox.maxBytes must be between 1048576 and 1073741824, but was 10");
        assertThatThrownBy(() -> valid().reconcileInterval(Duration.ZERO).build())
                .hasMessage("reconcileInterval must be between 1 s and 86400 s, but was 0 ms");
        assertThatThrownBy(() -> AgentConfig.builder()
                        .dataDirectory(data)
                        .tenant("default")
                        .node("n")
                        .mqttServerUri("tcp://h:1")
                        .build())
                .hasMessage("mqtt.password is required");
        assertThatThrownBy(() -> valid().label("bad key!", "x").build()).hasMessageContaining("labels has a key");
    }

    @Test
    void refusesAnUnknownFieldInAgentJsonNamingTheFileAndTheField() throws Exception {
        Files.writeString(data.resolve("agent.json"), "{\"tenant\":\"default\",\"nodee\":\"x\"}");
        Files.createDirectories(data.resolve("secrets"));
        Files.writeString(data.resolve("secrets/mqtt.json"), "{\"password\":\"p\"}");

        assertThatThrownBy(() -> AgentConfig.fromDataDirectory(data))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("agent.json: unknown field 'nodee'");
    }

    @Test
    void refusesUserInfoPathOrQueryInTheHubUrlAndTheMqttUriWithoutShowingTheUserInfo() {
        assertThatThrownBy(() -> valid().hubUrl("https://admin:s3cret@hub:8443").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("hubUrl must be http://host[:port] or https://host[:port], without user info")
                .hasMessageEndingWith("but was 'https://***@hub:8443'")
                .message()
                .doesNotContain("s3cret");
        assertThatThrownBy(() -> valid().hubUrl("https://hub:8443/api").build()).hasMessageContaining("without");
        assertThatThrownBy(() -> valid().hubUrl("https://hub:8443?x=1").build()).hasMessageContaining("without");
        assertThatThrownBy(
                        () -> valid().mqttServerUri("tcp://node:pw@broker:1883").build())
                .hasMessageStartingWith("mqtt.serverUri must be")
                .message()
                .doesNotContain("pw");
        assertThatThrownBy(() -> valid().mqttServerUri("tcp://broker:1883/x").build())
                .hasMessageContaining("without user info, path");

        assertThat(valid().hubUrl("https://hub:8443").build().hubUrl())
                .hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("https://hub:8443"));
        assertThat(valid().mqttServerUri("ssl://broker:8883/")
                        .build()
                        .mqttServerUri()
                        .getHost())
                .isEqualTo("broker");
    }

    @Test
    void enrollmentChecksTheHubUrlByTheSameRules() {
        assertThatThrownBy(() -> Enrollment.builder()
                        .hubUrl("http://user:pw@127.0.0.1:8080")
                        .token("t")
                        .dataDirectory(data)
                        .build())
                .hasMessageStartingWith("hub URL must be http://host[:port] or https://host[:port], without user info")
                .message()
                .doesNotContain("pw");
    }
}
