package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.hub.internal.mqtt.NodeMessageIngest;
import dev.baton.hub.testing.FakeNode;
import dev.baton.hub.testing.HubApi;
import dev.baton.hub.testing.LogCapture;
import dev.baton.hub.testing.MosquittoProcess;
import dev.baton.hub.testing.PostgresCluster;
import dev.baton.hub.testing.TestMessages;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.Topics;
import dev.baton.protocol.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two hubs on one PostgreSQL database and one external broker (mosquitto) serve one fleet as one hub would. */
class ScaleOutTest {

    private static PostgresCluster postgres;
    private static MosquittoProcess mosquitto;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startPeers(@TempDir final Path peers) throws Exception {
        postgres = PostgresCluster.shared();
        final Optional<Path> binary = MosquittoProcess.binary();
        // CI installs mosquitto (.ci/run) and must run this; a developer machine without it skips it.
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(binary.isPresent(), "mosquitto is not installed");
        }
        assertThat(binary).as("mosquitto binary (apt-get install mosquitto)").isPresent();
        mosquitto = MosquittoProcess.start(binary.get(), peers.resolve("mosquitto"));
    }

    @AfterAll
    static void stopPeers() throws InterruptedException {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    private HubConfig.Builder hub(final String name, final String database) {
        return HubConfig.builder()
                .dataDir(tmp.resolve(name))
                .httpHost("127.0.0.1")
                .httpPort(0)
                .externalMqttUri(mosquitto.uri())
                .databaseUrl(database)
                .databasePassword(postgres.password())
                .artifactDir(tmp.resolve("shared-artifacts"));
    }

    /** Gives hub {@code name} the admin token of {@code first}, as the operations guide says to. */
    private void copyAdminToken(final BatonHub first, final String name) throws Exception {
        Files.createDirectories(tmp.resolve(name));
        Files.copy(
                first.config().dataDir().resolve("admin.token"),
                tmp.resolve(name).resolve("admin.token"));
    }

    @Test
    void twoHubsOnOneDatabaseShareNodesDesiredStateReportsEventsAndArtifacts() throws Exception {
        final String database = postgres.createDatabase();
        try (BatonHub a = BatonHub.start(hub("hub-a", database).build());
                LogCapture ingest = LogCapture.of(NodeMessageIngest.class)) {
            copyAdminToken(a, "hub-b");
            try (BatonHub b = BatonHub.start(hub("hub-b", database).build())) {
                assertThat(b.adminToken()).isEqualTo(a.adminToken());
                final HubApi apiA = new HubApi(a);
                final HubApi apiB = new HubApi(b);

                final EnrollmentResponse enrolled = apiA.enroll("pair-node");
                apiA.putDesired("pair-node", Fixtures.text("desired-spec.json"));
                try (FakeNode node = FakeNode.connect("default", "pair-node", enrolled.mqtt())) {
                    assertThat(node.awaitDesired().generation()).isEqualTo(1);

                    node.publish(Topics.Channel.STATUS, TestMessages.birth("boot-pair-1", 1));
                    node.publish(Topics.Channel.REPORTED, TestMessages.reported(1, 1, "motd", "written"));
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                        final var shown = apiB.node("pair-node");
                        assertThat(shown.get("online").asBoolean()).isTrue();
                        assertThat(shown.get("reported")
                                        .get("observedGeneration")
                                        .asLong())
                                .isEqualTo(1);
                        assertThat(shown.get("reported")
                                        .get("components")
                                        .get(0)
                                        .get("state")
                                        .asText())
                                .isEqualTo("healthy");
                    });

                    // Each message reaches one hub of the shared subscription, not both.
                    final int events = 40;
                    for (long seq = 1; seq <= events; seq++) {
                        node.publish(Topics.Channel.EVENTS, TestMessages.event(seq, "event " + seq));
                    }
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> apiA.get(HubApi.nodePath("pair-node") + "/events?limit=100")
                                            .body()
                                            .get("items")
                                            .size()
                                    == events);
                    await().atMost(Duration.ofSeconds(5)).until(() -> storedEvents(ingest) == events);
                    assertThat(ingest.messages())
                            .as("no hub received an event the other one had stored")
                            .noneMatch(message -> message.startsWith("ignored event"));
                }

                final byte[] content = "firmware image\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
                final HubApi.Response uploaded = apiA.post(HubApi.TENANT_PATH + "/artifacts?name=fw.bin", content);
                assertThat(uploaded.status()).isEqualTo(201);
                final HubApi.Response downloaded = apiB.get(HubApi.TENANT_PATH + "/artifacts/" + sha256(content));
                assertThat(downloaded.status()).isEqualTo(200);
                assertThat(downloaded.raw()).isEqualTo(content);
            }
        }
    }

    @Test
    void twoHubsTakingTheSameIfMatchGenerationAtOnceAnswerOneOkAndOneConflict() throws Exception {
        final String database = postgres.createDatabase();
        try (BatonHub a = BatonHub.start(hub("cas-a", database).build())) {
            copyAdminToken(a, "cas-b");
            try (BatonHub b = BatonHub.start(hub("cas-b", database).build())) {
                final HubApi apiA = new HubApi(a);
                final HubApi apiB = new HubApi(b);
                final byte[] spec = Fixtures.bytes("desired-spec.json");
                apiA.putDesired("cas-node", Fixtures.text("desired-spec.json"));

                for (long generation = 1; generation <= 10; generation++) {
                    final Map<String, String> ifMatch = Map.of("If-Match", "\"" + generation + "\"");
                    final CompletableFuture<HubApi.Response> viaA = CompletableFuture.supplyAsync(
                            () -> apiA.put(HubApi.nodePath("cas-node") + "/desired", spec, ifMatch));
                    final CompletableFuture<HubApi.Response> viaB = CompletableFuture.supplyAsync(
                            () -> apiB.put(HubApi.nodePath("cas-node") + "/desired", spec, ifMatch));

                    assertThat(List.of(viaA.join().status(), viaB.join().status()))
                            .as("generation %d", generation)
                            .containsExactlyInAnyOrder(200, 409);
                }
                assertThat(apiB.node("cas-node")
                                .get("desired")
                                .get("generation")
                                .asLong())
                        .isEqualTo(11);
            }
        }
    }

    @Test
    void aHubWithoutTheAdminTokenOfTheHubsSharingItsDatabaseRefusesToStart() throws Exception {
        final String database = postgres.createDatabase();
        try (BatonHub a = BatonHub.start(hub("first", database).build())) {
            assertThatThrownBy(() -> BatonHub.start(hub("second", database).build()))
                    .isInstanceOfSatisfying(HubStartException.class, e -> assertThat(e.reason())
                            .isEqualTo(HubStartException.Reason.ADMIN_TOKEN_MISMATCH))
                    .hasMessageContaining("does not exist")
                    .hasMessageContaining(
                            "Copy admin.token from the data directory of a hub already using this" + " database");
            assertThat(tmp.resolve("second").resolve("admin.token"))
                    .as("no second admin token left behind")
                    .doesNotExist();

            Files.writeString(tmp.resolve("second").resolve("admin.token"), "not-the-shared-token\n");
            assertThatThrownBy(() -> BatonHub.start(hub("second", database).build()))
                    .hasMessageContaining("holds a different token");

            Files.copy(
                    a.config().dataDir().resolve("admin.token"),
                    tmp.resolve("second").resolve("admin.token"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (BatonHub second = BatonHub.start(hub("second", database).build())) {
                assertThat(new HubApi(second)
                                .get("/api/v1/tenants/default/nodes")
                                .status())
                        .isEqualTo(200);
                assertThat(new HubApi(a).get("/api/v1/tenants/default/nodes").status())
                        .as("the first hub's token still works there")
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void theHubNeverLogsTheDatabasePasswordEvenWhenItIsInTheUrl() throws Exception {
        final String database = postgres.createDatabase() + "&password=" + postgres.password();
        try (LogCapture logs = LogCapture.of("dev.baton");
                BatonHub hub = BatonHub.start(
                        hub("logged", database).databasePassword(null).build())) {
            assertThat(hub.isHealthy()).isTrue();
            assertThat(logs.messages()).anyMatch(message -> message.contains("password=<redacted>"));
            assertThat(logs.messages()).noneMatch(message -> message.contains(postgres.password()));
        }
    }

    private static long storedEvents(final LogCapture ingest) {
        return ingest.messages().stream()
                .filter(message -> message.startsWith("stored event"))
                .count();
    }

    private static String sha256(final byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
