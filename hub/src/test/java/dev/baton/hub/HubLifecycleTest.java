package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.baton.hub.internal.DataDirectory;
import dev.baton.hub.internal.store.HubStore;
import dev.baton.hub.testing.FakeNode;
import dev.baton.hub.testing.HubApi;
import dev.baton.hub.testing.TestMessages;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.Topics;
import dev.baton.protocol.testing.Fixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, stopping and restarting whole hubs, each on its own data directory. */
class HubLifecycleTest {

    @TempDir
    Path tmp;

    @Test
    void aRestartedHubKeepsItsAdminTokenNodesAndDesiredStateAndResyncsTheNode() throws Exception {
        final HubConfig config = HubConfig.builder()
                .dataDir(tmp.resolve("hub"))
                .bindHost("127.0.0.1")
                .httpPort(freePort())
                .mqttPort(freePort())
                .build();
        final String adminToken;
        final EnrollmentResponse enrolled;
        try (BatonHub hub = BatonHub.start(config)) {
            adminToken = hub.adminToken();
            final Path tokenFile = config.dataDir().resolve("admin.token");
            assertThat(Files.readString(tokenFile, StandardCharsets.UTF_8).strip())
                    .isEqualTo(adminToken);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
                    .isEqualTo("rw-------");
            final HubApi api = new HubApi(hub);
            enrolled = api.enroll("survivor");
            assertThat(api.putDesired("survivor", Fixtures.text("desired-spec.json"))
                            .status())
                    .isEqualTo(200);
        }

        try (BatonHub hub = BatonHub.start(config)) {
            assertThat(hub.httpPort()).isEqualTo(config.httpPort());
            assertThat(hub.mqttPort()).isEqualTo(config.mqttPort());
            assertThat(hub.adminToken()).isEqualTo(adminToken);
            assertThatThrownBy(() -> BatonHub.start(
                            config.toBuilder().httpPort(0).mqttPort(0).build()))
                    .isInstanceOfSatisfying(HubStartException.class, e -> assertThat(e.reason())
                            .isEqualTo(HubStartException.Reason.DATA_DIR_IN_USE))
                    .hasMessageContaining("in use by another hub");

            final JsonNode node = new HubApi(hub).node("survivor");
            assertThat(node.get("desired").get("generation").asLong()).isEqualTo(1);
            assertThat(node.get("enrolledAt").isNull()).isFalse();

            try (FakeNode agent = FakeNode.connect("default", "survivor", enrolled.mqtt())) {
                agent.subscribe(agent.topic(Topics.Channel.DESIRED));
                agent.publish(Topics.Channel.STATUS, TestMessages.birth("boot-survivor-2", 0));

                final Mqtt5Publish resent = agent.received().poll(10, TimeUnit.SECONDS);
                assertThat(resent).as("desired document after the birth").isNotNull();
                assertThat(resent.isRetain())
                        .as("the broker lost its retained messages with the restart; the birth brought it back")
                        .isFalse();
                assertThat(TestMessages.CODEC
                                .decode(resent.getPayloadAsBytes(), MessageType.DESIRED)
                                .generation())
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void aTakenMqttPortStopsTheStartWithAMessageThatNamesIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            final HubConfig config = HubConfig.builder()
                    .dataDir(tmp.resolve("hub"))
                    .bindHost("127.0.0.1")
                    .httpPort(0)
                    .mqttPort(taken.getLocalPort())
                    .build();

            assertThatThrownBy(() -> BatonHub.start(config))
                    .isInstanceOfSatisfying(HubStartException.class, e -> assertThat(e.reason())
                            .isEqualTo(HubStartException.Reason.PORT_IN_USE))
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("choose another");
        }
        // The failed start let go of the data directory again.
        try (DataDirectory directory = DataDirectory.open(tmp.resolve("hub"))) {
            assertThat(directory.database()).exists();
        }
    }

    @Test
    void aTakenHttpPortStopsTheStartBeforeTheBrokerRuns() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            final HubConfig config = HubConfig.builder()
                    .dataDir(tmp.resolve("hub"))
                    .bindHost("127.0.0.1")
                    .httpPort(taken.getLocalPort())
                    .mqttPort(0)
                    .build();

            assertThatThrownBy(() -> BatonHub.start(config))
                    .isInstanceOfSatisfying(HubStartException.class, e -> assertThat(e.reason())
                            .isEqualTo(HubStartException.Reason.PORT_IN_USE))
                    .hasMessageContaining("cannot listen for HTTP on 127.0.0.1:" + taken.getLocalPort());
        }
        assertThat(tmp.resolve("hub/broker")).doesNotExist();
    }

    @Test
    void aStoreWrittenByANewerHubIsRefusedAtStart() throws Exception {
        final Path dataDir = tmp.resolve("hub");
        Files.createDirectories(dataDir);
        HubStore.openSqlite(dataDir.resolve("hub.db"), Clock.systemUTC()).close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("hub.db"));
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO schema_version (version, description, checksum, applied_at)"
                    + " VALUES (99, 'from the future', 'x', 0)");
        }

        assertThatThrownBy(() -> BatonHub.start(HubConfig.builder()
                        .dataDir(dataDir)
                        .bindHost("127.0.0.1")
                        .httpPort(0)
                        .mqttPort(0)
                        .build()))
                .isInstanceOfSatisfying(HubStartException.class, e -> assertThat(e.reason())
                        .isEqualTo(HubStartException.Reason.STORE_UNUSABLE))
                .hasMessageContaining("schema version 99")
                .hasMessageContaining("newer hub");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
