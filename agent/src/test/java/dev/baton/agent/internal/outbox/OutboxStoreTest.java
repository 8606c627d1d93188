package dev.baton.agent.internal.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.agent.internal.store.AgentDatabase;
import dev.baton.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxStoreTest {

    private static final OutboxBounds ROOMY = new OutboxBounds(16 << 20, Duration.ofDays(7));

    @TempDir
    Path directory;

    @Test
    void sequenceNumbersIncreaseWithEveryMessageAndContinueAfterReopening() {
        try (AgentDatabase database = open()) {
            final OutboxStore outbox = new OutboxStore(database, ROOMY, Clock.systemUTC());
            assertThat(outbox.enqueue(Topics.Channel.EVENTS, OutboxStoreTest::payload))
                    .isEqualTo(1);
            assertThat(outbox.enqueue(Topics.Channel.REPORTED, OutboxStoreTest::payload))
                    .isEqualTo(2);
            final long third = outbox.enqueue(Topics.Channel.EVENTS, OutboxStoreTest::payload);
            outbox.remove(third);
            assertThat(third).isEqualTo(3);
        }
        try (AgentDatabase database = open()) {
            final OutboxStore outbox = new OutboxStore(database, ROOMY, Clock.systemUTC());
            assertThat(outbox.lastSeq()).isEqualTo(3);
            assertThat(outbox.enqueue(Topics.Channel.EVENTS, OutboxStoreTest::payload))
                    .isEqualTo(4);
            assertThat(outbox.after(0, 10)).extracting(OutboxMessage::seq).containsExactly(1L, 2L, 4L);
        }
    }

    @Test
    void sequenceNumbersJumpPastAnyThatAPowerLossCouldHaveRolledBackAfterAnUncleanShutdown() {
        final AgentDatabase killed = open();
        new OutboxStore(killed, ROOMY, Clock.systemUTC()).enqueue(Topics.Channel.EVENTS, OutboxStoreTest::payload);
        // Not closed: the next open sees the store as the agent left it when it was killed.
        try (AgentDatabase database = open()) {
            final OutboxStore outbox = new OutboxStore(database, ROOMY, Clock.systemUTC());
            assertThat(outbox.enqueue(Topics.Channel.EVENTS, OutboxStoreTest::payload))
                    .isEqualTo(2 + OutboxStore.SEQ_JUMP_AFTER_UNCLEAN_SHUTDOWN);
            assertThat(outbox.after(0, 10)).hasSize(2);
        } finally {
            killed.close();
        }
    }

    @Test
    void aReportReplacesEveryUnsentReportWhileEventsStayInOrder() {
        try (AgentDatabase database = open()) {
            final OutboxStore outbox = new OutboxStore(database, ROOMY, Clock.systemUTC());
            outbox.enqueue(Topics.Channel.REPORTED, OutboxStoreTest::payload);
            outbox.enqueue(Topics.Channel.EVENTS, OutboxStoreTest::payload);
            outbox.enqueue(Topics.Channel.REPORTED, OutboxStoreTest::payload);
            outbox.enqueue(Topics.Channel.EVENTS, OutboxStoreTest::payload);
            final long latest = outbox.enqueue(Topics.Channel.REPORTED, OutboxStoreTest::payload);

            assertThat(outbox.after(0, 10))
                    .extracting(m -> m.seq() + ":" + m.channel())
                    .containsExactly("2:EVENTS", "4:EVENTS", latest + ":REPORTED");
            assertThat(new String(outbox.after(4, 1).get(0).payload(), StandardCharsets.UTF_8))
                    .contains("\"seq\":5");
            assertThat(outbox.bytes()).isEqualTo(3L * payload(1).length);
        }
    }

    @Test
    void overTheByteBoundItDropsTheOldestEventsButKeepsTheReport() {
        final int eventBytes = payload(1).length;
        try (AgentDatabase database = open()) {
            final OutboxStore outbox = new OutboxStore(
                    database, new OutboxBounds(10L * eventBytes, Duration.ofDays(7)), Clock.systemUTC());
            outbox.enqueue(Topics.Channel.REPORTED, OutboxStoreTest::payload);
            for (int i = 0; i < 25; i++) {
                outbox.enqueue(Topics.Channel.EVENTS, OutboxStoreTest::payload);
            }

            final List<OutboxMessage> left = outbox.after(0, 100);
            assertThat(left.get(0).channel()).isEqualTo(Topics.Channel.REPORTED);
            assertThat(left.subList(1, left.size()))
                    .extracting(OutboxMessage::seq)
                    .containsExactly(18L, 19L, 20L, 21L, 22L, 23L, 24L, 25L, 26L);
            assertThat(outbox.bytes()).isLessThanOrEqualTo(10L * eventBytes);
            assertThat(outbox.bytes()).isEqualTo(10L * eventBytes);
        }
    }

    @Test
    void eventsOlderThanTheAgeBoundAreDroppedWhileTheLatestReportStays() {
        final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (AgentDatabase database = open()) {
            final OutboxStore outbox = new OutboxStore(database, new OutboxBounds(16 << 20, Duration.ofDays(7)), clock);
            outbox.enqueue(Topics.Channel.EVENTS, OutboxStoreTest::payload);
            outbox.enqueue(Topics.Channel.REPORTED, OutboxStoreTest::payload);
            clock.now = clock.now.plus(Duration.ofDays(6));
            outbox.enqueue(Topics.Channel.EVENTS, OutboxStoreTest::payload);

            clock.now = clock.now.plus(Duration.ofDays(2));
            outbox.enforceBounds();

            assertThat(outbox.after(0, 10))
                    .extracting(m -> m.seq() + ":" + m.channel())
                    .containsExactly("2:REPORTED", "3:EVENTS");
        }
    }

    @Test
    void aMessageThatFailsToEncodeTakesNoSequenceNumber() {
        try (AgentDatabase database = open()) {
            final OutboxStore outbox = new OutboxStore(database, ROOMY, Clock.systemUTC());
            assertThatThrownBy(() -> outbox.enqueue(Topics.Channel.EVENTS, seq -> {
                        throw new IllegalStateException("cannot encode");
                    }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot encode");
            assertThat(outbox.lastSeq()).isZero();
            assertThat(outbox.size()).isZero();
            assertThat(outbox.enqueue(Topics.Channel.EVENTS, OutboxStoreTest::payload))
                    .isEqualTo(1);
            assertThat(outbox.size()).isEqualTo(1);
        }
    }

    private AgentDatabase open() {
        return AgentDatabase.open(directory.resolve("agent.db"));
    }

    /** A payload of constant size that carries its seq. */
    private static byte[] payload(final long seq) {
        final String digits = Long.toString(seq);
        return ("{\"seq\":" + digits + ",\"pad\":\"" + "x".repeat(200 - digits.length()) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(final Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
