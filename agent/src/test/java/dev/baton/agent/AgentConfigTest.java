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
                .hasMessage("mqtt.serverUri must be tcp://host:port or ssl://host:port, but was"
                        + " 'http://127.0.0.1:1883'");
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
}
