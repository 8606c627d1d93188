package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.agent.AgentConfig;
import dev.baton.agent.BatonAgent;
import dev.baton.agent.Enrollment;
import dev.baton.hub.BatonHub;
import dev.baton.hub.HubConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hub, embedded broker and agent in one JVM on loopback: the foundation's acceptance paths. */
class RoundTripTest {

    private static final Duration CONVERGE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private final List<AutoCloseable> running = new ArrayList<>();
    private BatonHub hub;
    private HubApi api;

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void desiredStateSetThroughTheApiIsAppliedByTheAgentAndShownByTheHub() throws Exception {
        startHub(0, 0);
        final AgentConfig config = enroll("edge-01");
        final BatonAgent agent = startAgent(config);
        final Path file = tmp.resolve("out/greeting.txt");

        final HubApi.Response put = api.putDesired("edge-01", fileDesired(file, "hello\n"));

        assertThat(put.status()).isEqualTo(200);
        assertThat(put.body().get("generation").asLong()).isEqualTo(1);
        final JsonNode node = awaitObserved("edge-01", 1);
        assertThat(node.get("online").asBoolean()).isTrue();
        assertThat(node.get("desired").get("generation").asLong()).isEqualTo(1);
        assertThat(component(node, "greeting").get("state").asText()).isEqualTo("healthy");
        assertThat(Files.readString(file)).isEqualTo("hello\n");
        assertThat(agent.observedGeneration()).isEqualTo(1);
    }

    @Test
    void agentOfflineWhileDesiredChangesTwiceConvergesToTheLastOnReconnect() throws Exception {
        startHub(0, 0);
        final AgentConfig config = enroll("edge-02");
        final Path file = tmp.resolve("out/config.txt");
        BatonAgent agent = startAgent(config);
        api.putDesired("edge-02", fileDesired(file, "one\n"));
        awaitObserved("edge-02", 1);

        agent.close();
        running.remove(agent);
        await().atMost(CONVERGE).until(() -> !api.node("edge-02").get("online").asBoolean());
        api.putDesired("edge-02", fileDesired(file, "two\n"));
        api.putDesired("edge-02", fileDesired(file, "three\n"));
        assertThat(Files.readString(file)).isEqualTo("one\n");

        agent = startAgent(config);

        final JsonNode node = awaitObserved("edge-02", 3);
        assertThat(node.get("online").asBoolean()).isTrue();
        assertThat(Files.readString(file)).isEqualTo("three\n");
        assertThat(agent.observedGeneration()).isEqualTo(3);
    }

    @Test
    void agentKeepsRepairingDriftWhileTheHubIsDownAndEveryEventArrivesOnceAfterwards() throws Exception {
        final int httpPort = MosquittoBroker.freePort();
        final int mqttPort = MosquittoBroker.freePort();
        startHub(httpPort, mqttPort);
        final AgentConfig config = enroll("edge-03");
        final BatonAgent agent = startAgent(config);
        final Path file = tmp.resolve("out/watched.txt");
        api.putDesired("edge-03", fileDesired(file, "keep me\n"));
        awaitObserved("edge-03", 1);
        final Set<Long> seqBefore = eventSeqs("edge-03");

        hub.close();
        running.remove(hub);
        for (int i = 0; i < 3; i++) {
            Files.delete(file);
            await().atMost(CONVERGE).until(() -> Files.exists(file));
        }
        startHub(httpPort, mqttPort);

        await().atMost(CONVERGE)
                .untilAsserted(() -> assertThat(repairEvents("edge-03")).hasSize(3));
        final List<Long> seqs = allEventSeqs("edge-03");
        assertThat(new HashSet<>(seqs)).hasSameSizeAs(seqs);
        assertThat(seqs).containsAll(seqBefore);
        assertThat(api.node("edge-03").get("online").asBoolean()).isTrue();
        assertThat(agent.observedGeneration()).isEqualTo(1);
    }

    @Test
    void brokerRestartIsSurvivedAndTheNextChangeStillArrives() throws Exception {
        final int httpPort = MosquittoBroker.freePort();
        final int mqttPort = MosquittoBroker.freePort();
        startHub(httpPort, mqttPort);
        final AgentConfig config = enroll("edge-04");
        startAgent(config);
        final Path file = tmp.resolve("out/after-restart.txt");
        api.putDesired("edge-04", fileDesired(file, "before\n"));
        awaitObserved("edge-04", 1);

        hub.close();
        running.remove(hub);
        startHub(httpPort, mqttPort);
        api.putDesired("edge-04", fileDesired(file, "after\n"));

        awaitObserved("edge-04", 2);
        assertThat(Files.readString(file)).isEqualTo("after\n");
    }

    @Test
    void invalidDesiredStateIsRefusedByTheHubAndTheAgentKeepsTheLastGoodOne() throws Exception {
        startHub(0, 0);
        final AgentConfig config = enroll("edge-05");
        startAgent(config);
        final Path file = tmp.resolve("out/good.txt");
        api.putDesired("edge-05", fileDesired(file, "good\n"));
        awaitObserved("edge-05", 1);

        final HubApi.Response cycle = api.putDesired(
                "edge-05",
                "{\"components\":[{\"name\":\"a\",\"kind\":\"file\",\"dependsOn\":[\"b\"]},"
                        + "{\"name\":\"b\",\"kind\":\"file\",\"dependsOn\":[\"a\"]}]}");
        final HubApi.Response oversized =
                api.putDesired("edge-05", fileDesired(tmp.resolve("out/big.txt"), "x".repeat(1024 * 1024 + 1)));

        assertThat(cycle.status()).isEqualTo(400);
        assertThat(cycle.body().get("error").asText()).contains("cycle");
        assertThat(oversized.status()).isIn(400, 413);
        final JsonNode node = api.node("edge-05");
        assertThat(node.get("desired").get("generation").asLong()).isEqualTo(1);
        assertThat(Files.readString(file)).isEqualTo("good\n");
    }

    private void startHub(final int httpPort, final int mqttPort) {
        hub = BatonHub.start(HubConfig.builder()
                .dataDir(tmp.resolve("hub"))
                .httpHost("127.0.0.1")
                .httpPort(httpPort)
                .mqttHost("127.0.0.1")
                .mqttPort(mqttPort)
                .build());
        running.add(hub);
        api = new HubApi(java.net.URI.create("http://127.0.0.1:" + hub.httpPort()), hub.adminToken());
    }

    private AgentConfig enroll(final String node) {
        final AgentConfig enrolled = Enrollment.builder()
                .hubUrl(api.base().toString())
                .token(api.createEnrollmentToken())
                .node(node)
                .dataDirectory(tmp.resolve("agent-" + node))
                .build()
                .enroll();
        // A short drift interval keeps the tests quick; the documents set their own below.
        return enrolled.toBuilder().reconcileInterval(Duration.ofSeconds(1)).build();
    }

    private BatonAgent startAgent(final AgentConfig config) {
        final BatonAgent agent = BatonAgent.start(config);
        running.add(agent);
        return agent;
    }

    private JsonNode awaitObserved(final String node, final long generation) {
        return await().atMost(CONVERGE)
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> api.node(node),
                        json -> json.get("reported").get("observedGeneration").asLong() == generation
                                && allHealthy(json));
    }

    private static boolean allHealthy(final JsonNode node) {
        for (final JsonNode component : node.get("reported").get("components")) {
            if (!"healthy".equals(component.get("state").asText())) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode component(final JsonNode node, final String name) {
        for (final JsonNode component : node.get("reported").get("components")) {
            if (name.equals(component.get("name").asText())) {
                return component;
            }
        }
        throw new AssertionError("no component " + name + " in " + node);
    }

    private Set<Long> eventSeqs(final String node) {
        return new HashSet<>(allEventSeqs(node));
    }

    private List<Long> allEventSeqs(final String node) {
        final List<Long> seqs = new ArrayList<>();
        for (final JsonNode event : api.events(node).body().get("items")) {
            seqs.add(event.get("seq").asLong());
        }
        return seqs;
    }

    private List<JsonNode> repairEvents(final String node) {
        final List<JsonNode> out = new ArrayList<>();
        for (final JsonNode event : api.events(node).body().get("items")) {
            if (event.get("message").asText().startsWith("repaired drift")) {
                out.add(event);
            }
        }
        return out;
    }

    static String fileDesired(final Path file, final String content) {
        return "{\"components\":[{\"name\":\"greeting\",\"kind\":\"file\",\"properties\":{\"path\":"
                + json(file.toString()) + ",\"content\":" + json(content) + "}}],"
                + "\"reconcile\":{\"active\":true,\"intervalSeconds\":1}}";
    }

    static String json(final String text) {
        return new String(
                new dev.baton.protocol.MessageCodec().writeValue(text), java.nio.charset.StandardCharsets.UTF_8);
    }
}
