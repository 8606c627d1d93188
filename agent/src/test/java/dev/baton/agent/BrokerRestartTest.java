package dev.baton.agent;

import static dev.baton.agent.testing.Agents.TENANT;
import static dev.baton.agent.testing.Documents.component;
import static dev.baton.agent.testing.Documents.desired;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.agent.testing.Agents;
import dev.baton.agent.testing.Documents;
import dev.baton.agent.testing.EmbeddedBroker;
import dev.baton.agent.testing.MqttProbe;
import dev.baton.agent.testing.RecordingProvider;
import dev.baton.protocol.Event;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.NodeStatus;
import dev.baton.protocol.Topics;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker goes away and comes back: the agent works on offline and delivers everything it queued. */
class BrokerRestartTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String NODE = "edge-restart";
    private static final String CLIENT_ID = TENANT + "." + NODE;

    @TempDir
    Path brokerDirectory;

    @TempDir
    Path data;

    @Test
    void reconnectsSendsBirthAgainAndDeliversEveryEventEnqueuedWhileOffline() throws Exception {
        final RecordingProvider provider = new RecordingProvider("test");
        try (EmbeddedBroker broker = EmbeddedBroker.start(brokerDirectory);
                BatonAgent agent = BatonAgent.start(
                        Agents.config(data, broker.serverUri(), NODE, provider).build())) {
            assertThat(agent.awaitConnected(PATIENCE)).isTrue();
            try (MqttProbe hub = MqttProbe.watching(broker, TENANT, NODE)) {
                hub.publish(
                        Topics.topic(TENANT, NODE, Topics.Channel.DESIRED),
                        Documents.encode(desired(
                                TENANT,
                                NODE,
                                1,
                                component("a", "test"),
                                component("b", "test"),
                                component("c", "test"))),
                        true);
                hub.await(Topics.Channel.REPORTED, MessageType.REPORTED, r -> r.observedGeneration() == 1);
            }

            // The broker goes down; when it is back it keeps the agent out until the hub's side listens again.
            broker.refuse(CLIENT_ID);
            broker.stop();
            await().atMost(PATIENCE).until(() -> agent.connectionState() != ConnectionState.CONNECTED);

            for (final String component : List.of("a", "b", "c")) {
                provider.failNext(component, 1);
                provider.drift(component);
                provider.requestReconcile(component, "offline test");
            }
            // Each component fails once, then its retry repairs it: a failed and a healthy event each.
            await().atMost(PATIENCE).until(() -> queuedEventSeqs().size() >= 6);
            final Set<Long> offline = Set.copyOf(queuedEventSeqs());
            assertThat(agent.connectionState()).isNotEqualTo(ConnectionState.CONNECTED);

            broker.startAgain();
            try (MqttProbe hub = MqttProbe.watching(broker, TENANT, NODE)) {
                broker.admit(CLIENT_ID);
                assertThat(agent.awaitConnected(PATIENCE)).isTrue();

                final NodeStatus birth = hub.await(Topics.Channel.STATUS, MessageType.STATUS, NodeStatus::online);
                assertThat(birth.bootId()).isEqualTo(agent.bootId());
                await().atMost(PATIENCE)
                        .untilAsserted(() -> assertThat(receivedSeqs(hub)).containsAll(offline));
                final List<Event> events = hub.messages(Topics.Channel.EVENTS, MessageType.EVENT);
                assertThat(events.stream().filter(e -> offline.contains(e.seq())))
                        .extracting(Event::type)
                        .containsOnly("component.failed", "component.healthy");
                await().atMost(PATIENCE).until(() -> queuedEventSeqs().isEmpty());
            }
        }
    }

    private static Set<Long> receivedSeqs(final MqttProbe hub) {
        return hub.messages(Topics.Channel.EVENTS, MessageType.EVENT).stream()
                .map(Event::seq)
                .collect(Collectors.toSet());
    }

    /** The events waiting in the agent's outbox, read through a second connection as an operator would. */
    private List<Long> queuedEventSeqs() throws Exception {
        try (var connection = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("agent.db"));
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery("SELECT seq FROM outbox WHERE channel = 'EVENTS' ORDER BY seq")) {
            final List<Long> seqs = new ArrayList<>();
            while (rows.next()) {
                seqs.add(rows.getLong(1));
            }
            return seqs;
        }
    }
}
