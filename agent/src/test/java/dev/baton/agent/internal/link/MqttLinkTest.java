package dev.baton.agent.internal.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClientState;
import dev.baton.agent.AgentConfig;
import dev.baton.agent.Backoff;
import dev.baton.agent.ConnectionState;
import dev.baton.agent.testing.EmbeddedBroker;
import dev.baton.agent.testing.MqttProbe;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.NodeStatus;
import dev.baton.protocol.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link's own state machine, against loopback ports with and without a broker. */
class MqttLinkTest {

    private static final Backoff FAST_RECONNECT = new Backoff(Duration.ofMillis(100), Duration.ofMillis(200), 0);
    /** Long enough that a reconnect still pending at close would show, short enough to keep the test fast. */
    private static final Backoff SLOW_RECONNECT = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(5), 0);

    private static final String BOOT_ID = "00000000-0000-0000-0000-000000000001";

    @TempDir
    Path data;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    @Test
    void closeCancelsAReconnectThatWaitsForItsBackoffAndLetsTheClientStop() throws Exception {
        final AgentConfig config = config("tcp://127.0.0.1:" + closedPort(), SLOW_RECONNECT);
        final MqttLink link =
                new MqttLink(config, BOOT_ID, "test", () -> 0, new IgnoringListener(), scheduler, new MessageCodec());
        link.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> link.state() == ConnectionState.DISCONNECTED);
        await().atMost(Duration.ofSeconds(5)).until(() -> link.clientState() == MqttClientState.DISCONNECTED_RECONNECT);

        final long started = System.nanoTime();
        link.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("close waits for the client, not for the backoff")
                .isLessThan(Duration.ofSeconds(2));
        assertThat(link.state()).isEqualTo(ConnectionState.CLOSED);
        await().atMost(Duration.ofSeconds(1)).until(() -> link.clientState() == MqttClientState.DISCONNECTED);
        // Past the backoff the cancelled reconnect must not have fired.
        Thread.sleep(SLOW_RECONNECT.initial().plusMillis(500).toMillis());
        assertThat(link.clientState()).isEqualTo(MqttClientState.DISCONNECTED);
    }

    @Test
    void closeBeforeStartReturnsAtOnce() {
        final MqttLink link = new MqttLink(
                config("tcp://127.0.0.1:1", SLOW_RECONNECT),
                BOOT_ID,
                "test",
                () -> 0,
                new IgnoringListener(),
                scheduler,
                new MessageCodec());
        final long started = System.nanoTime();
        link.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(link.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(link.clientState()).isEqualTo(MqttClientState.DISCONNECTED);
    }

    @Test
    void eachReconnectLeavesAWillWithTheGenerationObservedAtThatReconnect(@TempDir final Path brokerDirectory)
            throws Exception {
        final AtomicLong observed = new AtomicLong(3);
        try (EmbeddedBroker broker = EmbeddedBroker.start(brokerDirectory);
                MqttProbe hub = MqttProbe.watching(broker, "default", "link")) {
            final MqttLink link = new MqttLink(
                    config(broker.serverUri(), FAST_RECONNECT),
                    BOOT_ID,
                    "test",
                    observed::get,
                    new IgnoringListener(),
                    scheduler,
                    new MessageCodec());
            try {
                link.start();
                assertThat(link.awaitConnected(Duration.ofSeconds(15))).isTrue();
                observed.set(7);

                broker.dropConnection("default.link");
                assertThat(hub.await(Topics.Channel.STATUS, MessageType.STATUS, s -> !s.online())
                                .observedGeneration())
                        .as("the will of the first connect")
                        .isEqualTo(3);
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> hub.messages(Topics.Channel.STATUS, MessageType.STATUS).stream()
                                        .filter(NodeStatus::online)
                                        .count()
                                == 2);
                assertThat(link.awaitConnected(Duration.ofSeconds(15))).isTrue();

                broker.dropConnection("default.link");
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> hub.messages(Topics.Channel.STATUS, MessageType.STATUS).stream()
                                        .filter(s -> !s.online())
                                        .count()
                                == 2);
                assertThat(hub.messages(Topics.Channel.STATUS, MessageType.STATUS).stream()
                                .filter(s -> !s.online())
                                .toList()
                                .get(1)
                                .observedGeneration())
                        .as("the will sent with the reconnect")
                        .isEqualTo(7);
            } finally {
                link.close();
            }
        }
    }

    @Test
    void refusesPacketsLargerThanTheLargestDesiredDocumentFromTheBroker(@TempDir final Path brokerDirectory)
            throws Exception {
        final RecordingListener listener = new RecordingListener();
        try (EmbeddedBroker broker = EmbeddedBroker.start(brokerDirectory);
                MqttProbe hub = MqttProbe.watching(broker, "default", "link")) {
            final MqttLink link = new MqttLink(
                    config(broker.serverUri(), FAST_RECONNECT),
                    BOOT_ID,
                    "test",
                    () -> 0,
                    listener,
                    scheduler,
                    new MessageCodec());
            try {
                link.start();
                assertThat(link.awaitConnected(Duration.ofSeconds(15))).isTrue();
                final String desired = Topics.topic("default", "link", Topics.Channel.DESIRED);

                hub.publish(desired, new byte[MqttLink.MAX_INCOMING_PACKET_BYTES + 1], false);
                hub.publish(desired, new byte[] {'{', '}'}, false);

                await().atMost(Duration.ofSeconds(15)).until(() -> !listener.desired.isEmpty());
                assertThat(listener.desired).containsExactly(2);
                assertThat(link.state()).isEqualTo(ConnectionState.CONNECTED);
            } finally {
                link.close();
            }
        }
    }

    private AgentConfig config(final String serverUri, final Backoff reconnect) {
        return AgentConfig.builder()
                .dataDirectory(data)
                .tenant("default")
                .node("link")
                .mqttServerUri(serverUri)
                .mqttPassword("secret")
                .reconnectBackoff(reconnect)
                .build();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static final class RecordingListener implements LinkListener {
        /** The sizes of the desired payloads received. */
        final List<Integer> desired = new CopyOnWriteArrayList<>();

        @Override
        public void onConnected() {}

        @Override
        public void onDisconnected() {}

        @Override
        public void onDesired(final byte @NotNull [] payload) {
            desired.add(payload.length);
        }

        @Override
        public void onCommandRequest(final byte @NotNull [] payload) {}
    }

    private static final class IgnoringListener implements LinkListener {
        @Override
        public void onConnected() {}

        @Override
        public void onDisconnected() {}

        @Override
        public void onDesired(final byte @NotNull [] payload) {}

        @Override
        public void onCommandRequest(final byte @NotNull [] payload) {}
    }
}
