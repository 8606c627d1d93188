package dev.baton.agent;

import static dev.baton.agent.testing.Agents.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.baton.adapters.api.ComponentProviderFactory;
import dev.baton.agent.internal.reconcile.ProviderRegistry;
import dev.baton.agent.testing.Agents;
import dev.baton.agent.testing.Documents;
import dev.baton.agent.testing.EmbeddedBroker;
import dev.baton.agent.testing.MqttProbe;
import dev.baton.agent.testing.RecordingProvider;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.ComponentState;
import dev.baton.protocol.ComponentStatus;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.ReportedState;
import dev.baton.protocol.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent with the real host providers that the ServiceLoader finds (baton-adapter-host). */
class RealProvidersTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    static Path brokerDirectory;

    private static EmbeddedBroker broker;

    @TempDir
    Path data;

    @TempDir
    Path host;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.start(brokerDirectory);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void writesAFileRepairsItsDriftAndDeletesItWhenTheComponentLeaves() throws Exception {
        requireProvider("file");
        final Path file = host.resolve("etc").resolve("app.conf");
        final ComponentSpec config = new ComponentSpec(
                "app-config",
                "file",
                JsonNodeFactory.instance
                        .objectNode()
                        .put("path", file.toString())
                        .put("content", "listen = 8080\n"),
                null);
        try (BatonAgent agent = BatonAgent.start(serviceLoaderConfig("files"));
                MqttProbe hub = MqttProbe.watching(broker, TENANT, "files")) {
            assertThat(agent.awaitConnected(PATIENCE)).isTrue();
            publish(hub, "files", 1, config);

            final ReportedState applied =
                    hub.await(Topics.Channel.REPORTED, MessageType.REPORTED, r -> r.observedGeneration() == 1);
            assertThat(applied.components()).singleElement().satisfies(c -> {
                assertThat(c.state()).isEqualTo(ComponentState.HEALTHY);
                assertThat(c.message()).contains(file.toString());
            });
            assertThat(file).hasContent("listen = 8080");

            Files.writeString(file, "listen = 9999\n");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(file).hasContent("listen = 8080"));
            hub.await(Topics.Channel.REPORTED, MessageType.REPORTED, r -> r.components().stream()
                    .anyMatch(c -> c.message().startsWith("repaired drift")));

            publish(hub, "files", 2);
            final ReportedState removed =
                    hub.await(Topics.Channel.REPORTED, MessageType.REPORTED, r -> r.observedGeneration() == 2);
            assertThat(removed.components()).extracting(ComponentStatus::state).containsExactly(ComponentState.REMOVED);
            assertThat(file).doesNotExist();
        }
    }

    @Test
    void startsAProcessAndStopsItWhenTheComponentLeaves() throws Exception {
        requireProvider("process");
        final ComponentSpec sleeper = new ComponentSpec(
                "sleeper",
                "process",
                JsonNodeFactory.instance
                        .objectNode()
                        .set(
                                "command",
                                JsonNodeFactory.instance
                                        .arrayNode()
                                        .add("sleep")
                                        .add("300")),
                null);
        try (BatonAgent agent = BatonAgent.start(serviceLoaderConfig("processes"));
                MqttProbe hub = MqttProbe.watching(broker, TENANT, "processes")) {
            assertThat(agent.awaitConnected(PATIENCE)).isTrue();
            publish(hub, "processes", 1, sleeper);
            final ReportedState running =
                    hub.await(Topics.Channel.REPORTED, MessageType.REPORTED, r -> r.observedGeneration() == 1);
            assertThat(running.components()).singleElement().satisfies(c -> {
                assertThat(c.state()).isEqualTo(ComponentState.HEALTHY);
                assertThat(c.message()).contains("pid");
            });
            final long pid = Long.parseLong(running.components()
                    .get(0)
                    .message()
                    .replaceAll("\\D+", " ")
                    .trim()
                    .split(" ")[0]);
            assertThat(ProcessHandle.of(pid))
                    .hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

            publish(hub, "processes", 2);
            hub.await(Topics.Channel.REPORTED, MessageType.REPORTED, r -> r.observedGeneration() == 2);
            await().atMost(PATIENCE)
                    .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        }
    }

    private AgentConfig serviceLoaderConfig(final String node) {
        return Agents.config(data, broker.serverUri(), node, new RecordingProvider("unused"))
                .providerFactories(null)
                .reconcileInterval(Duration.ofSeconds(1))
                .build();
    }

    private static void publish(
            final MqttProbe hub, final String node, final long generation, final ComponentSpec... components) {
        hub.publish(
                Topics.topic(TENANT, node, Topics.Channel.DESIRED),
                Documents.encode(Documents.desired(TENANT, node, generation, components)),
                true);
    }

    /** baton-adapter-host is a runtime dependency of the agent: a missing host provider is a packaging error. */
    private static void requireProvider(final String kind) {
        final List<String> kinds = ProviderRegistry.discover().stream()
                .map(ComponentProviderFactory::kind)
                .toList();
        assertThat(kinds)
                .as("baton-adapter-host on the class path provides kind %s", kind)
                .contains(kind);
    }
}
