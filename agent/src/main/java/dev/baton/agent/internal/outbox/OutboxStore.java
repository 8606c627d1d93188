package dev.baton.agent.internal.outbox;

import dev.baton.agent.internal.store.AgentDatabase;
import dev.baton.agent.internal.store.Meta;
import dev.baton.protocol.Topics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox of agent-to-hub messages (at least once). Every message gets the next {@code seq} of a
 * persistent counter in the same transaction that inserts it, so sequence numbers never repeat, across restarts
 * too. Reports coalesce: enqueueing a report deletes every older report not yet acknowledged, since a report is
 * always complete; an inventory snapshot likewise replaces every unsent inventory message. Events stay in order and
 * are dropped oldest first when the outbox exceeds its {@linkplain OutboxBounds bounds}; reports and inventory are
 * never dropped by the bounds (their coalescing bounds them).
 *
 * <p>Threading: thread-safe. The reconciler enqueues, the publisher reads and removes; the counters below are
 * guarded by {@code this}, and the database serialises the connection.
 */
public final class OutboxStore {

    /**
     * How far the sequence counter jumps after an unclean shutdown. A power loss may roll back the last commits of
     * the write-ahead log (see {@link AgentDatabase}), counter included; messages from before the loss may already
     * be at the hub, which keeps each seq once, so the counter must not reuse them. The log holds at most about a
     * thousand unsynced pages between checkpoints, and every enqueue writes at least one, so a jump of a million
     * clears every seq that could have been lost.
     */
    public static final long SEQ_JUMP_AFTER_UNCLEAN_SHUTDOWN = 1_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(OutboxStore.class);
    private static final String LAST_SEQ = "outbox.last_seq";
    /** The age bound needs a table scan, so enqueue applies it at most this often. */
    private static final long AGE_SWEEP_INTERVAL_MILLIS = 60_000;

    private final AgentDatabase database;
    private final OutboxBounds bounds;
    private final Clock clock;
    private long lastSeq;
    private long bytes;
    private long lastAgeSweepMillis;
    private @Nullable Runnable onEnqueue;

    public OutboxStore(
            final @NotNull AgentDatabase database, final @NotNull OutboxBounds bounds, final @NotNull Clock clock) {
        this.database = database;
        this.bounds = bounds;
        this.clock = clock;
        synchronized (this) {
            database.transaction("opening the outbox", c -> {
                long seq = Meta.get(c, LAST_SEQ);
                if (!database.previousShutdownWasClean()) {
                    seq += SEQ_JUMP_AFTER_UNCLEAN_SHUTDOWN;
                    Meta.set(c, LAST_SEQ, seq);
                    LOG.info(
                            "the previous agent on {} did not shut down cleanly; outbox sequence numbers continue"
                                    + " from {}",
                            database.file(),
                            seq + 1);
                }
                lastSeq = seq;
                try (PreparedStatement sum = c.prepareStatement("SELECT COALESCE(SUM(bytes), 0) FROM outbox");
                        ResultSet row = sum.executeQuery()) {
                    bytes = row.next() ? row.getLong(1) : 0;
                }
                return null;
            });
            enforceBounds();
        }
    }

    /** Called (on the enqueueing thread) after every enqueue; the publisher uses it to wake up. */
    public synchronized void onEnqueue(final @Nullable Runnable listener) {
        this.onEnqueue = listener;
    }

    /**
     * Stores a message. {@code encoder} builds and encodes the message for the {@code seq} it is given; it runs
     * inside the transaction, so a message that fails to encode consumes no sequence number.
     *
     * @return the message's seq
     */
    public long enqueue(final Topics.@NotNull Channel channel, final @NotNull LongFunction<byte[]> encoder) {
        return enqueue(channel, channel == Topics.Channel.REPORTED, encoder);
    }

    /**
     * Stores a complete message of {@code channel} (an inventory snapshot) in place of every unsent message of that
     * channel.
     *
     * @return the message's seq
     */
    public long enqueueReplacingUnsent(
            final Topics.@NotNull Channel channel, final @NotNull LongFunction<byte[]> encoder) {
        return enqueue(channel, true, encoder);
    }

    /** Messages of {@code channel} not yet acknowledged. */
    public int unsent(final Topics.@NotNull Channel channel) {
        return database.read("counting the outbox", c -> {
            try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM outbox WHERE channel = ?")) {
                count.setString(1, channel.name());
                try (ResultSet row = count.executeQuery()) {
                    return row.next() ? row.getInt(1) : 0;
                }
            }
        });
    }

    private long enqueue(
            final Topics.Channel channel, final boolean replaceUnsent, final LongFunction<byte[]> encoder) {
        final Runnable listener;
        final long seq;
        synchronized (this) {
            final long next = lastSeq + 1;
            final long now = clock.millis();
            final long freed = database.transaction("enqueueing " + channel.suffix() + " seq " + next, c -> {
                final byte[] payload = encoder.apply(next);
                long released = 0;
                if (replaceUnsent) {
                    released = deleteUnsent(c, channel);
                }
                Meta.set(c, LAST_SEQ, next);
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO outbox (seq, channel, payload, bytes, created_at) VALUES (?, ?, ?, ?, ?)")) {
                    insert.setLong(1, next);
                    insert.setString(2, channel.name());
                    insert.setBytes(3, payload);
                    insert.setLong(4, payload.length);
                    insert.setLong(5, now);
                    insert.executeUpdate();
                }
                return released - payload.length;
            });
            lastSeq = next;
            bytes -= freed;
            seq = next;
            if (now - lastAgeSweepMillis >= AGE_SWEEP_INTERVAL_MILLIS) {
                dropOldEvents();
            }
            if (bytes > bounds.maxBytes()) {
                dropOldestEvents();
            }
            listener = onEnqueue;
        }
        if (listener != null) {
            listener.run();
        }
        return seq;
    }

    /** Up to {@code limit} messages with a seq above {@code afterSeq}, oldest first. */
    public @NotNull List<OutboxMessage> after(final long afterSeq, final int limit) {
        return database.read("reading the outbox", c -> {
            final List<OutboxMessage> out = new ArrayList<>();
            try (PreparedStatement select =
                    c.prepareStatement("SELECT seq, channel, payload FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?")) {
                select.setLong(1, afterSeq);
                select.setInt(2, limit);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        out.add(new OutboxMessage(
                                row.getLong(1), Topics.Channel.valueOf(row.getString(2)), row.getBytes(3)));
                    }
                }
            }
            return out;
        });
    }

    /** Deletes a message the broker acknowledged; a message already coalesced or dropped is no error. */
    public synchronized void remove(final long seq) {
        final long freed = database.transaction("removing outbox seq " + seq, c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM outbox WHERE seq = ? RETURNING bytes")) {
                delete.setLong(1, seq);
                try (ResultSet row = delete.executeQuery()) {
                    return row.next() ? row.getLong(1) : 0L;
                }
            }
        });
        bytes -= freed;
    }

    /** The highest seq ever assigned. */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    /** Payload bytes held. */
    public synchronized long bytes() {
        return bytes;
    }

    public int size() {
        return database.read("counting the outbox", c -> {
            try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM outbox");
                    ResultSet row = count.executeQuery()) {
                return row.next() ? row.getInt(1) : 0;
            }
        });
    }

    /** Drops events older than the age bound, then the oldest events while over the byte bound. */
    public synchronized void enforceBounds() {
        dropOldEvents();
        if (bytes > bounds.maxBytes()) {
            dropOldestEvents();
        }
    }

    private void dropOldEvents() {
        lastAgeSweepMillis = clock.millis();
        final long cutoff = lastAgeSweepMillis - bounds.maxAge().toMillis();
        final Dropped old = database.transaction("dropping old events", c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM outbox WHERE channel = ? AND created_at < ? RETURNING seq, bytes")) {
                delete.setString(1, Topics.Channel.EVENTS.name());
                delete.setLong(2, cutoff);
                return Dropped.of(delete);
            }
        });
        if (old.count() > 0) {
            bytes -= old.bytes();
            LOG.warn(
                    "outbox: dropped {} undelivered events older than {} (seq {} to {})",
                    old.count(),
                    bounds.maxAge(),
                    old.firstSeq(),
                    old.lastSeq());
        }
    }

    private void dropOldestEvents() {
        final long excess = bytes - bounds.maxBytes();
        final Dropped overflow = database.transaction("dropping the oldest events", c -> {
            long upTo = -1;
            long freed = 0;
            try (PreparedStatement select =
                    c.prepareStatement("SELECT seq, bytes FROM outbox WHERE channel = ? ORDER BY seq")) {
                select.setString(1, Topics.Channel.EVENTS.name());
                try (ResultSet row = select.executeQuery()) {
                    while (freed < excess && row.next()) {
                        upTo = row.getLong(1);
                        freed += row.getLong(2);
                    }
                }
            }
            try (PreparedStatement delete =
                    c.prepareStatement("DELETE FROM outbox WHERE channel = ? AND seq <= ? RETURNING seq, bytes")) {
                delete.setString(1, Topics.Channel.EVENTS.name());
                delete.setLong(2, upTo);
                return Dropped.of(delete);
            }
        });
        if (overflow.count() > 0) {
            bytes -= overflow.bytes();
            LOG.warn(
                    "outbox: over its bound of {} bytes, dropped the {} oldest undelivered events (seq {} to {})",
                    bounds.maxBytes(),
                    overflow.count(),
                    overflow.firstSeq(),
                    overflow.lastSeq());
        }
    }

    private static long deleteUnsent(final Connection c, final Topics.Channel channel) throws SQLException {
        long released = 0;
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM outbox WHERE channel = ? RETURNING bytes")) {
            delete.setString(1, channel.name());
            try (ResultSet row = delete.executeQuery()) {
                while (row.next()) {
                    released += row.getLong(1);
                }
            }
        }
        return released;
    }

    /** Messages deleted by a bound. */
    private record Dropped(int count, long bytes, long firstSeq, long lastSeq) {

        static Dropped of(final PreparedStatement deleteReturningSeqAndBytes) throws SQLException {
            int count = 0;
            long bytes = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            try (ResultSet row = deleteReturningSeqAndBytes.executeQuery()) {
                while (row.next()) {
                    count++;
                    first = Math.min(first, row.getLong(1));
                    last = Math.max(last, row.getLong(1));
                    bytes += row.getLong(2);
                }
            }
            return new Dropped(count, bytes, first, last);
        }
    }
}
