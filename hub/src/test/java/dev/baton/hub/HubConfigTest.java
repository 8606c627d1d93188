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

    @Test
    void withoutADatabaseUrlTheStoreIsSqliteInTheDataDirectoryAndArtifactsToo() {
        final HubConfig config =
                HubConfig.builder().dataDir(Path.of("/srv/hub")).build();

        assertThat(config.databaseUrl()).isEmpty();
        assertThat(config.databaseForLogs()).isEqualTo("/srv/hub/hub.db");
        assertThat(config.artifactDir()).isEqualTo(Path.of("/srv/hub/artifacts"));
    }

    @Test
    void aDatabaseUrlMustBePostgresAndTheRefusalDoesNotShowItsPassword() {
        assertThatThrownBy(() -> HubConfig.builder().databaseUrl("jdbc:mysql://db/baton?password=hunter2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("databaseUrl must be a PostgreSQL JDBC URL such as"
                        + " jdbc:postgresql://host:5432/baton?user=baton")
                .hasMessageContaining("left out for SQLite")
                .hasMessageContaining("jdbc:mysql://db/baton?password=<redacted>")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> HubConfig.builder().databaseUrl("jdbc:sqlite:/srv/hub/hub.db"))
                .hasMessageContaining("databaseUrl must be a PostgreSQL JDBC URL");
    }

    @Test
    void theDatabaseUrlIsLoggedWithEveryPasswordRedacted() {
        final HubConfig config = HubConfig.builder()
                .dataDir(Path.of("data"))
                .databaseUrl("jdbc:postgresql://db:5432/baton?user=baton&password=hunter2&sslpassword=k3y&ssl=true")
                .databasePassword("s3cret")
                .build();

        assertThat(config.databaseForLogs())
                .isEqualTo("jdbc:postgresql://db:5432/baton?user=baton&password=<redacted>&sslpassword=<redacted>"
                        + "&ssl=true");
        assertThat(config.toString())
                .contains("database=jdbc:postgresql://db:5432/baton?user=baton&password=<redacted>")
                .doesNotContain("hunter2")
                .doesNotContain("k3y")
                .doesNotContain("s3cret");
        assertThat(config.databasePassword()).hasValue("s3cret");
    }

    @Test
    void aDatabasePasswordWithoutADatabaseUrlIsRefused() {
        assertThatThrownBy(() -> HubConfig.builder()
                        .dataDir(Path.of("data"))
                        .databasePassword("s3cret")
                        .build())
                .hasMessage("databasePassword is set but databaseUrl is not; the SQLite store needs no password");
    }
}
