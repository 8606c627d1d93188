package dev.baton.agent;

import static dev.baton.agent.testing.Agents.TENANT;
import static dev.baton.agent.testing.Documents.component;
import static dev.baton.agent.testing.Documents.desired;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.baton.agent.internal.link.MqttLink;
import dev.baton.agent.testing.Agents;
import dev.baton.agent.testing.Documents;
import dev.baton.agent.testing.EmbeddedBroker;
import dev.baton.agent.testing.MqttProbe;
import dev.baton.agent.testing.RecordingProvider;
import dev.baton.protocol.CommandRequest;
import dev.baton.protocol.CommandResponse;
import dev.baton.protocol.ComponentState;
import dev.baton.protocol.ComponentStatus;
import dev.baton.protocol.Event;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.NodeStatus;
import dev.baton.protocol.ReportedState;
import dev.baton.protocol.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The agent against a real broker on loopback, with the hub's part played by a probe client. */
class BatonAgentLinkTest {

    private static final Duration CONNECT = Duration.ofSeconds(15);

    @TempDir
    static Path brokerDirectory;

    private static EmbeddedBroker broker;

    @TempDir
    Path data;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.start(brokerDirectory);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void publishesARetainedBirthOnEveryConnectAndLeavesARetainedWillForWhenTheLinkDrops() throws Exception {
        final RecordingProvider provider = new RecordingProvider("test");
        try (BatonAgent agent = BatonAgent.start(config("birth", provider))) {
            assertThat(agent.awaitConnected(CONNECT)).isTrue();
            assertThat(agent.connectionState()).isEqualTo(ConnectionState.CONNECTED);

            try (MqttProbe probe = MqttProbe.watching(broker, TENANT, "birth")) {
                final NodeStatus birth = probe.await(Topics.Channel.STATUS, MessageType.STATUS, NodeStatus::online);
                assertThat(birth.bootId()).isEqualTo(agent.bootId());
                assertThat(birth.protocols()).containsExactly(Topics.PROTOCOL_V1);
                // The probe subscribed after the birth, so the birth it got is the broker's retained copy.
                assertThat(probe.received())
                        .filteredOn(r -> r.topic().endsWith("/" + Topics.Channel.STATUS.suffix()))
                        .first()
                        .satisfies(r -> {
                            assertThat(r.retained()).as("the birth is retained").isTrue();
                            final NodeStatus status = Documents.CODEC.decode(r.payload(), MessageType.STATUS);
                            assertThat(status.online()).isTrue();
                            assertThat(status.bootId()).isEqualTo(agent.bootId());
                        });

                broker.dropConnection("default.birth");

                final NodeStatus will = probe.await(Topics.Channel.STATUS, MessageType.STATUS, s -> !s.online());
                assertThat(will.bootId()).isEqualTo(agent.bootId());
                await().atMost(CONNECT)
                        .until(() -> probe.messages(Topics.Channel.STATUS, MessageType.STATUS).stream()
                                        .filter(NodeStatus::online)
                                        .count()
                                == 2);
                assertThat(agent.awaitConnected(CONNECT)).isTrue();
            }
            try (MqttProbe late = MqttProbe.watching(broker, TENANT, "birth")) {
                final NodeStatus retained = late.await(Topics.Channel.STATUS, MessageType.STATUS, s -> true);
                assertThat(retained.online()).isTrue();
            }
        }
        try (MqttProbe afterClose = MqttProbe.watching(broker, TENANT, "birth")) {
            final NodeStatus retained = afterClose.await(Topics.Channel.STATUS, MessageType.STATUS, s -> true);
            assertThat(retained.online()).as("an orderly close says goodbye").isFalse();
        }
    }

    @Test
    void appliesADesiredDocumentFromTheHubAndReportsTheObservedGeneration() throws Exception {
        final RecordingProvider provider = new RecordingProvider("test");
        try (BatonAgent agent = BatonAgent.start(config("apply", provider));
                MqttProbe hub = MqttProbe.watching(broker, TENANT, "apply")) {
            assertThat(agent.awaitConnected(CONNECT)).isTrue();

            hub.publish(
                    Topics.topic(TENANT, "apply", Topics.Channel.DESIRED),
                    Documents.encode(desired(TENANT, "apply", 1, component("b", "test", "a"), component("a", "test"))),
                    true);

            final ReportedState reported =
                    hub.await(Topics.Channel.REPORTED, MessageType.REPORTED, r -> r.observedGeneration() == 1);
            assertThat(reported.bootId()).isEqualTo(agent.bootId());
            assertThat(reported.components())
                    .extracting(ComponentStatus::name, ComponentStatus::state)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("b", ComponentState.HEALTHY),
                            org.assertj.core.groups.Tuple.tuple("a", ComponentState.HEALTHY));
            assertThat(agent.observedGeneration()).isEqualTo(1);
            assertThat(provider.calls("apply")).containsExactly("a", "b");
            await().atMost(CONNECT)
                    .until(() -> hub.messages(Topics.Channel.EVENTS, MessageType.EVENT)
                                    .size()
                            == 2);
            assertThat(hub.messages(Topics.Channel.EVENTS, MessageType.EVENT))
                    .extracting(Event::type)
                    .containsOnly("component.healthy");
        }
    }

    @Test
    void answersReconcileNowAndUnknownCommandsAndIgnoresExpiredOnes() throws Exception {
        final RecordingProvider provider = new RecordingProvider("test");
        try (BatonAgent agent = BatonAgent.start(config("commands", provider));
                MqttProbe hub = MqttProbe.watching(broker, TENANT, "commands")) {
            assertThat(agent.awaitConnected(CONNECT)).isTrue();
            final String requests = Topics.topic(TENANT, "commands", Topics.Channel.COMMAND_REQUEST);

            hub.publish(
                    requests, command("expired", "reconcile.now", Instant.now().minusSeconds(1)), false);
            hub.publish(requests, command("c-1", "reconcile.now", Instant.now().plusSeconds(30)), false);
            hub.publish(requests, command("c-2", "reboot.now", Instant.now().plusSeconds(30)), false);

            final CommandResponse ok =
                    hub.await(Topics.Channel.COMMAND_RESPONSE, MessageType.COMMAND_RESPONSE, r -> r.id().equals("c-1"));
            assertThat(ok.outcome()).isEqualTo(CommandResponse.Outcome.OK);
            assertThat(ok.message()).startsWith("drift pass done");
            final CommandResponse unknown =
                    hub.await(Topics.Channel.COMMAND_RESPONSE, MessageType.COMMAND_RESPONSE, r -> r.id().equals("c-2"));
            assertThat(unknown.outcome()).isEqualTo(CommandResponse.Outcome.UNKNOWN_COMMAND);
            assertThat(unknown.message()).contains("reboot.now").contains("reconcile.now");
            assertThat(hub.messages(Topics.Channel.COMMAND_RESPONSE, MessageType.COMMAND_RESPONSE))
                    .extracting(CommandResponse::id)
                    .doesNotContain("expired");
        }
    }

    @Test
    void continuesSequenceNumbersWhenRestartedOnTheSameDataDirectory() throws Exception {
        final RecordingProvider provider = new RecordingProvider("test");
        final long lastSeqBefore;
        final String firstBoot;
        try (MqttProbe hub = MqttProbe.watching(broker, TENANT, "restart")) {
            try (BatonAgent agent = BatonAgent.start(config("restart", provider))) {
                firstBoot = agent.bootId();
                assertThat(agent.awaitConnected(CONNECT)).isTrue();
                hub.publish(
                        Topics.topic(TENANT, "restart", Topics.Channel.DESIRED),
                        Documents.encode(desired(TENANT, "restart", 1, component("a", "test"))),
                        true);
                hub.await(Topics.Channel.REPORTED, MessageType.REPORTED, r -> r.observedGeneration() == 1);
                await().atMost(CONNECT).until(() -> !hub.messages(Topics.Channel.EVENTS, MessageType.EVENT)
                        .isEmpty());
                lastSeqBefore = hub.messages(Topics.Channel.REPORTED, MessageType.REPORTED).stream()
                        .mapToLong(ReportedState::seq)
                        .max()
                        .orElseThrow();
            }
            try (BatonAgent restarted = BatonAgent.start(config("restart", provider))) {
                assertThat(restarted.bootId()).isNotEqualTo(firstBoot);
                assertThat(restarted.observedGeneration()).isEqualTo(1);
                final ReportedState report = hub.await(Topics.Channel.REPORTED, MessageType.REPORTED, r -> r.bootId()
                        .equals(restarted.bootId()));
                assertThat(report.seq()).isGreaterThan(lastSeqBefore);
                assertThat(report.observedGeneration()).isEqualTo(1);
            }
        }
    }

    @Test
    void logsRefusedCredentialsAsAnActionableErrorAndKeepsRetrying() throws Exception {
        final Logger linkLogger = (Logger) LoggerFactory.getLogger(MqttLink.class);
        final ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        linkLogger.addAppender(log);
        broker.expectPassword("default.refused", "the-right-one");
        final RecordingProvider provider = new RecordingProvider("test");
        try (BatonAgent agent = BatonAgent.start(config("refused", provider))) {
            await().atMost(CONNECT)
                    .until(() -> log.list.stream()
                                    .filter(e -> e.getLevel() == Level.ERROR)
                                    .filter(e -> e.getFormattedMessage().contains("refused this node's credentials"))
                                    .count()
                            >= 2);
            assertThat(log.list)
                    .filteredOn(e -> e.getLevel() == Level.ERROR)
                    .first()
                    .satisfies(e -> assertThat(e.getFormattedMessage())
                            .contains("BAD_USER_NAME_OR_PASSWORD")
                            .contains("re-enroll with `baton-agent enroll")
                            .contains("--data-dir " + data.toAbsolutePath())
                            .doesNotContain("secret-refused"));
            assertThat(agent.connectionState()).isNotEqualTo(ConnectionState.CONNECTED);

            broker.expectPassword("default.refused", "secret-refused");
            assertThat(agent.awaitConnected(CONNECT)).isTrue();
        } finally {
            linkLogger.detachAppender(log);
        }
    }

    @Test
    void appliesItsStoredDesiredStateAtStartWithoutAnyBroker() throws Exception {
        final RecordingProvider provider = new RecordingProvider("test");
        try (BatonAgent agent = BatonAgent.start(config("offline", provider));
                MqttProbe hub = MqttProbe.watching(broker, TENANT, "offline")) {
            assertThat(agent.awaitConnected(CONNECT)).isTrue();
            hub.publish(
                    Topics.topic(TENANT, "offline", Topics.Channel.DESIRED),
                    Documents.encode(desired(TENANT, "offline", 1, component("a", "test"))),
                    false);
            hub.await(Topics.Channel.REPORTED, MessageType.REPORTED, r -> r.observedGeneration() == 1);
        }
        final RecordingProvider restarted = new RecordingProvider("test");
        restarted.drift("a");
        final AgentConfig nowhere = config("offline", restarted).toBuilder()
                .mqttServerUri("tcp://127.0.0.1:" + closedPort())
                .build();
        try (BatonAgent agent = BatonAgent.start(nowhere)) {
            await().atMost(5, TimeUnit.SECONDS)
                    .until(() -> restarted.calls("apply").contains("a"));
            assertThat(agent.connectionState()).isNotEqualTo(ConnectionState.CONNECTED);
            assertThat(agent.observedGeneration()).isEqualTo(1);
        }
    }

    private AgentConfig config(final String node, final RecordingProvider provider) {
        return Agents.config(data, broker.serverUri(), node, provider).build();
    }

    private static byte[] command(final String id, final String command, final Instant deadline) {
        return Documents.CODEC.encode(new CommandRequest(id, command, null, deadline), MessageType.COMMAND_REQUEST);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
