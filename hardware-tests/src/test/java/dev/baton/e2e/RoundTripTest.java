package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.agent.AgentConfig;
import dev.baton.agent.BatonAgent;
import dev.baton.agent.Enrollment;
import dev.baton.hub.BatonHub;
import dev.baton.hub.HubConfig;
import dev.baton.protocol.DesiredSpec;
import dev.baton.testing.Desired;
import dev.baton.testing.HubApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        // The MQTT clients' Netty threads are not daemons: one that outlives its hub or agent keeps a JVM (a
        // benchmark, an embedding application) from ending.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        Thread.getAllStackTraces().keySet())
                .filteredOn(thread -> thread.isAlive() && thread.getName().startsWith("com.hivemq.client.mqtt"))
                .as("HiveMQ client threads left after hub and agent closed")
                .isEmpty());
    }

    @Test
    void desiredStateSetThroughTheApiIsAppliedByTheAgentAndShownByTheHub() throws Exception {
        startHub(0, 0);
        final AgentConfig config = enroll("edge-01");
        final BatonAgent agent = startAgent(config);
        final Path file = tmp.resolve("out/greeting.txt");

        final long generation = api.setDesired("edge-01", greeting(file, "hello\n"));

        assertThat(generation).isEqualTo(1);
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
        api.setDesired("edge-02", greeting(file, "one\n"));
        awaitObserved("edge-02", 1);

        agent.close();
        running.remove(agent);
        await().atMost(CONVERGE).until(() -> !api.node("edge-02").get("online").asBoolean());
        api.setDesired("edge-02", greeting(file, "two\n"));
        api.setDesired("edge-02", greeting(file, "three\n"));
        assertThat(Files.readString(file)).isEqualTo("one\n");

        agent = startAgent(config);

        final JsonNode node = awaitObserved("edge-02", 3);
        assertThat(node.get("online").asBoolean()).isTrue();
        assertThat(Files.readString(file)).isEqualTo("three\n");
        assertThat(agent.observedGeneration()).isEqualTo(3);
    }

    @Test
    void agentKeepsRepairingDriftWhileTheHubIsDownAndEveryEventArrivesOnceAfterwards() throws Exception {
        startHub(0, 0);
        final int httpPort = hub.httpPort();
        final int mqttPort = hub.mqttPort();
        final AgentConfig config = enroll("edge-03");
        final BatonAgent agent = startAgent(config);
        final Path file = tmp.resolve("out/watched.txt");
        api.setDesired("edge-03", greeting(file, "keep me\n"));
        awaitObserved("edge-03", 1);
        final List<Long> seqBefore = eventSeqs("edge-03");

        hub.close();
        running.remove(hub);
        for (int i = 0; i < 3; i++) {
            Files.delete(file);
            await().atMost(CONVERGE).until(() -> Files.exists(file));
        }
        startHub(httpPort, mqttPort);

        await().atMost(CONVERGE)
                .untilAsserted(() -> assertThat(repairEvents("edge-03")).hasSize(3));
        // Exactly three, and still three a little later: none lost in the outbox, none delivered twice under a
        // new sequence number, nothing of before the outage dropped.
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(repairEvents("edge-03")).hasSize(3));
        assertThat(repairEvents("edge-03"))
                .extracting(event -> event.get("seq").asLong())
                .doesNotHaveDuplicates();
        assertThat(eventSeqs("edge-03")).containsAll(seqBefore);
        assertThat(api.node("edge-03").get("online").asBoolean()).isTrue();
        assertThat(agent.observedGeneration()).isEqualTo(1);
    }

    @Test
    void brokerRestartIsSurvivedAndTheNextChangeStillArrives() throws Exception {
        startHub(0, 0);
        final int httpPort = hub.httpPort();
        final int mqttPort = hub.mqttPort();
        final AgentConfig config = enroll("edge-04");
        startAgent(config);
        final Path file = tmp.resolve("out/after-restart.txt");
        api.setDesired("edge-04", greeting(file, "before\n"));
        awaitObserved("edge-04", 1);

        hub.close();
        running.remove(hub);
        startHub(httpPort, mqttPort);
        api.setDesired("edge-04", greeting(file, "after\n"));

        awaitObserved("edge-04", 2);
        assertThat(Files.readString(file)).isEqualTo("after\n");
    }

    @Test
    void invalidAndOversizedDesiredStatesAreRefusedAndTheStoredGenerationStays() throws Exception {
        startHub(0, 0);
        final AgentConfig config = enroll("edge-05");
        startAgent(config);
        final Path file = tmp.resolve("out/good.txt");
        api.setDesired("edge-05", greeting(file, "good\n"));
        awaitObserved("edge-05", 1);

        final HubApi.Response cycle = api.putDesired(
                "edge-05",
                "{\"components\":[{\"name\":\"a\",\"kind\":\"file\",\"dependsOn\":[\"b\"]},"
                        + "{\"name\":\"b\",\"kind\":\"file\",\"dependsOn\":[\"a\"]}]}");
        final HubApi.Response oversized = api.putDesired(
                "edge-05",
                "{\"components\":[{\"name\":\"big\",\"kind\":\"file\",\"properties\":{\"path\":\"/tmp/big\","
                        + "\"content\":\"" + "x".repeat(1024 * 1024 + 1) + "\"}}]}");

        assertThat(cycle.status()).isEqualTo(400);
        assertThat(cycle.body().get("error").asText()).contains("cycle");
        assertThat(oversized.status()).isEqualTo(413);
        assertThat(oversized.body().get("reason").asText()).isEqualTo("TOO_LARGE");
        final JsonNode node = api.node("edge-05");
        assertThat(node.get("desired").get("generation").asLong()).isEqualTo(1);
        assertThat(node.get("desired")
                        .get("components")
                        .get(0)
                        .get("properties")
                        .get("content")
                        .asText())
                .isEqualTo("good\n");
    }

    @Test
    void aFailingGenerationIsRolledBackAndTheHubShowsTheRollbackThePlanAndADryRun() throws Exception {
        startHub(0, 0);
        startAgent(enroll("edge-rb"));
        final Path file = tmp.resolve("out/app.conf");
        final String policy =
                "\"reconcile\": {\"active\": true, \"intervalSeconds\": 30, \"rollback\": {\"afterFailures\": 1}}";
        final String config = "{\"name\": \"config\", \"kind\": \"file\", \"properties\": {\"path\": \"" + file
                + "\", \"content\": \"%s\"}, \"health\": {\"command\": [\"test\", \"-s\", \"" + file
                + "\"], \"intervalSeconds\": 1}}";
        assertThat(api.putDesired("edge-rb", "{\"components\": [" + config.formatted("v1") + "], " + policy + "}")
                        .status())
                .isEqualTo(200);
        awaitObserved("edge-rb", 1);

        final String broken = "{\"name\": \"collector\", \"kind\": \"process\", \"properties\": {\"command\":" + " [\""
                + tmp.resolve("no-such-binary") + "\"]}, \"dependsOn\": [\"config\"]}";
        api.putDesired("edge-rb", "{\"components\": [" + config.formatted("v2") + ", " + broken + "], " + policy + "}");

        final JsonNode node = await().atMost(CONVERGE)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> api.node("edge-rb"),
                        json -> component(json, "config") != null
                                && "rolled-back"
                                        .equals(component(json, "config")
                                                .get("state")
                                                .asText())
                                && "removed"
                                        .equals(component(json, "collector")
                                                .get("state")
                                                .asText()));
        assertThat(Files.readString(file)).isEqualTo("v1");
        assertThat(node.get("reported").get("observedGeneration").asLong()).isEqualTo(2);
        assertThat(node.get("reported").get("conditions")).anySatisfy(c -> {
            assertThat(c.get("type").asText()).isEqualTo("RolledBack");
            assertThat(c.get("status").asBoolean()).isTrue();
            assertThat(c.get("message").asText())
                    .startsWith("generation 2 failed (collector: ")
                    .endsWith("returned to generation 1");
        });
        await().atMost(CONVERGE)
                .untilAsserted(() -> assertThat(api.node("edge-rb").get("rollbacks"))
                        .singleElement()
                        .satisfies(e -> assertThat(e.get("type").asText()).isEqualTo("desired.rolled-back")));

        api.putDesired(
                "edge-rb",
                "{\"components\": [" + config.formatted("v3") + "], \"reconcile\": {\"active\": true,"
                        + " \"intervalSeconds\": 30, \"dryRun\": true}}");
        final JsonNode planned = await().atMost(CONVERGE)
                .until(
                        () -> api.node("edge-rb"),
                        json -> json.get("reported").get("observedGeneration").asLong() == 3);
        final JsonNode plan = planned.get("reported").get("plan");
        assertThat(plan.get("dryRun").asBoolean()).isTrue();
        assertThat(plan.get("steps")).singleElement().satisfies(step -> {
            assertThat(step.get("component").asText()).isEqualTo("config");
            assertThat(step.get("action").asText()).isEqualTo("update");
        });
        assertThat(Files.readString(file)).as("a dry run changes nothing").isEqualTo("v1");
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

    private List<Long> eventSeqs(final String node) {
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

    /** One file component named greeting. */
    static DesiredSpec greeting(final Path file, final String content) {
        return Desired.of(List.of(Desired.file("greeting", file, content)));
    }
}
