package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HubConfigTest {

    @Test
    void defaultsListenEverywhereOnTheUsualPorts() {
        final HubConfig config = HubConfig.builder().dataDir(Path.of("data")).build();

        assertThat(config.httpHost()).isEqualTo("0.0.0.0");
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.mqttPort()).isEqualTo(1883);
        assertThat(config.sharedSubscriptionGroup()).isEqualTo("hub");
        assertThat(config.externalMqttUri()).isEmpty();
        assertThat(config.dataDir()).isAbsolute();
    }

    @Test
    void aBadPortIsRefusedNamingTheFieldTheLimitAndTheValue() {
        assertThatThrownBy(() -> HubConfig.builder().httpPort(70_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("httpPort must be between 0 and 65535 (0 picks a free port), but was 70000");
    }

    @Test
    void anExternalBrokerUriWithoutPortGetsTheMqttDefault() {
        final HubConfig config = HubConfig.builder()
                .dataDir(Path.of("data"))
                .externalMqttUri("tcp://broker.example")
                .build();

        assertThat(config.externalMqttUri()).hasValue(URI.create("tcp://broker.example:1883"));
    }

    @Test
    void anExternalBrokerUriMustBeTcp() {
        assertThatThrownBy(() -> HubConfig.builder().externalMqttUri("http://broker:1883"))
                .hasMessageContaining("externalMqttUri must be tcp://host:port");
    }

    @Test
    void aPasswordWithoutUsernameIsRefused() {
        assertThatThrownBy(() -> HubConfig.builder()
                        .dataDir(Path.of("data"))
                        .externalMqttUri("tcp://broker:1883")
                        .externalMqttPassword("secret")
                        .build())
                .hasMessageContaining("externalMqttUsername");
    }

    @Test
    void theDataDirIsRequired() {
        assertThatThrownBy(() -> HubConfig.builder().build()).hasMessage("dataDir is required");
    }

    @Test
    void toStringNeverShowsThePassword() {
        final HubConfig config = HubConfig.builder()
                .dataDir(Path.of("data"))
                .externalMqttUri("tcp://broker:1883")
                .externalMqttUsername("hub")
                .externalMqttPassword("s3cr3t-value")
                .build();

        assertThat(config.toString()).doesNotContain("s3cr3t-value").contains("<redacted>");
    }
}
