package dev.baton.agent.internal.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.agent.internal.store.AgentDatabase;
import dev.baton.protocol.Topics;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxPublisherTest {

    @TempDir
    Path directory;

    private AgentDatabase database;
    private OutboxStore outbox;
    private FakeTransport transport;
    private OutboxPublisher publisher;

    @BeforeEach
    void start() {
        database = AgentDatabase.open(directory.resolve("agent.db"));
        outbox = new OutboxStore(database, new OutboxBounds(1 << 20, Duration.ofDays(7)), Clock.systemUTC());
        transport = new FakeTransport();
        publisher = new OutboxPublisher(outbox, transport, "edge-1");
        publisher.start();
    }

    @AfterEach
    void stop() {
        publisher.close();
        database.close();
    }

    @Test
    void publishesOldestFirstAndDeletesAMessageOnlyWhenTheBrokerAcknowledgedIt() {
        transport.connected = true;
        enqueue(3);

        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.sent.size() == 3);
        assertThat(transport.sent).extracting(Sent::seq).containsExactly(1L, 2L, 3L);

        transport.sent.get(1).ack.complete(null);
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(outbox.after(0, 10))
                .extracting(OutboxMessage::seq)
                .containsExactly(1L, 3L));

        transport.sent.get(0).ack.complete(null);
        transport.sent.get(2).ack.complete(null);
        await().atMost(5, TimeUnit.SECONDS).until(() -> outbox.size() == 0);
    }

    @Test
    void waitsWhileDisconnectedAndSendsEverythingOnceConnected() {
        enqueue(2);
        final int checksBefore = transport.connectivityChecks.get();
        publisher.wake();
        // The publisher has looked at the link since the messages were in the outbox, and found it down.
        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.connectivityChecks.get() > checksBefore);
        assertThat(transport.sent).isEmpty();

        transport.connected = true;
        publisher.wake(); // as the link's listener does on connect

        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.sent.size() == 2);
    }

    @Test
    void resendsFromTheOldestUnacknowledgedMessageAfterAFailedPublish() {
        transport.connected = true;
        enqueue(3);
        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.sent.size() == 3);

        transport.sent.get(0).ack.completeExceptionally(new ConnectException("connection lost"));
        transport.sent.get(1).ack.complete(null);
        transport.sent.get(2).ack.completeExceptionally(new ConnectException("connection lost"));

        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.sent.size() == 5);
        assertThat(transport.sent.subList(3, 5)).extracting(Sent::seq).containsExactly(1L, 3L);
    }

    @Test
    void dropsAMessageTheBrokerRefusesInsteadOfBlockingTheOutbox() {
        transport.connected = true;
        enqueue(2);
        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.sent.size() == 2);

        transport.sent.get(0).ack.completeExceptionally(new MessageRefusedException("events: NOT_AUTHORIZED"));
        transport.sent.get(1).ack.complete(null);

        await().atMost(5, TimeUnit.SECONDS).until(() -> outbox.size() == 0);
        assertThat(transport.sent).hasSize(2);
    }

    private void enqueue(final int count) {
        for (int i = 0; i < count; i++) {
            outbox.enqueue(Topics.Channel.EVENTS, seq -> ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
        }
    }

    private record Sent(long seq, CompletableFuture<Void> ack) {}

    private static final class FakeTransport implements OutboxTransport {
        volatile boolean connected;
        final List<Sent> sent = new CopyOnWriteArrayList<>();
        /** How often the publisher asked whether the link is up. */
        final AtomicInteger connectivityChecks = new AtomicInteger();

        @Override
        public boolean isConnected() {
            final boolean answer = connected;
            connectivityChecks.incrementAndGet();
            return answer;
        }

        @Override
        public @NotNull CompletableFuture<Void> publish(
                final Topics.@NotNull Channel channel, final byte @NotNull [] payload) {
            final String json = new String(payload, StandardCharsets.UTF_8);
            final long seq = Long.parseLong(json.replaceAll("\\D", ""));
            final CompletableFuture<Void> ack = new CompletableFuture<>();
            sent.add(new Sent(seq, ack));
            return ack;
        }
    }
}
