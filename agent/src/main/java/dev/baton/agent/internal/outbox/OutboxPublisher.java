package dev.baton.agent.internal.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the {@link OutboxStore} over the MQTT link, oldest first, with QoS 1. A message is deleted only after its
 * PUBACK; while disconnected the publisher waits, and after a failed publish it starts again from the oldest
 * message left. A crash between PUBACK and delete sends a message twice, which the hub absorbs by its seq.
 *
 * <p>Threading: one thread of its own ("baton-outbox-{node}") owns {@code cursor}, {@code inFlight} and
 * {@code failed}. Completions arrive on MQTT client threads and are handed over through a queue.
 */
public final class OutboxPublisher implements AutoCloseable {

    /** Messages published but not yet acknowledged: enough to fill a link, few enough to resend cheaply. */
    static final int WINDOW = 32;

    private static final Logger LOG = LoggerFactory.getLogger(OutboxPublisher.class);
    private static final Duration IDLE_WAIT = Duration.ofSeconds(1);

    private final OutboxStore store;
    private final OutboxTransport transport;
    private final Thread thread;
    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean wakeRequested; // guarded by lock
    private volatile boolean running = true;

    // Owned by the publisher thread.
    private long cursor;
    private int inFlight;
    private boolean failed;
    private boolean wasConnected;

    private record Completion(long seq, @Nullable Throwable error) {}

    public OutboxPublisher(
            final @NotNull OutboxStore store, final @NotNull OutboxTransport transport, final @NotNull String node) {
        this.store = store;
        this.transport = transport;
        this.thread = new Thread(this::run, "baton-outbox-" + node);
        this.thread.setDaemon(true);
    }

    public void start() {
        store.onEnqueue(this::wake);
        thread.start();
    }

    /** Asks the publisher to look again: a message was enqueued or the link changed state. Any thread. */
    public void wake() {
        lock.lock();
        try {
            wakeRequested = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the thread; unacknowledged messages stay in the store for the next start. */
    @Override
    public void close() {
        running = false;
        store.onEnqueue(null);
        wake();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (running) {
            try {
                drainCompletions();
                if (!dispatch()) {
                    awaitWake();
                }
            } catch (final RuntimeException e) {
                // A store failure (disk full, say) must not end the thread: back off and try again.
                LOG.error("outbox publisher: {}", e.toString(), e);
                sleepQuietly();
            }
        }
    }

    /** Publishes what the window allows; true when it published anything. */
    private boolean dispatch() {
        final boolean connected = transport.isConnected();
        if (connected && !wasConnected) {
            // Events may have aged beyond the bound during a long disconnection: drop them before sending.
            store.enforceBounds();
        }
        wasConnected = connected;
        if (!connected || failed || inFlight >= WINDOW) {
            return false;
        }
        final List<OutboxMessage> batch = store.after(cursor, WINDOW - inFlight);
        for (final OutboxMessage message : batch) {
            cursor = message.seq();
            inFlight++;
            final long seq = message.seq();
            transport.publish(message.channel(), message.payload()).whenComplete((ignored, error) -> {
                completions.add(new Completion(seq, error));
                wake();
            });
        }
        return !batch.isEmpty();
    }

    private void drainCompletions() {
        Completion completion;
        while ((completion = completions.poll()) != null) {
            inFlight--;
            final Throwable error = unwrap(completion.error());
            if (error == null) {
                store.remove(completion.seq());
            } else if (error instanceof MessageRefusedException refused) {
                LOG.error(
                        "the broker refused outbox message seq {}, dropping it: {}",
                        completion.seq(),
                        refused.getMessage());
                store.remove(completion.seq());
            } else {
                LOG.debug("outbox message seq {} not acknowledged: {}", completion.seq(), error.toString());
                failed = true;
            }
        }
        if (failed && inFlight == 0) {
            // Every outstanding publish has ended: resend from the oldest message left, in order.
            failed = false;
            cursor = 0;
        }
    }

    private void awaitWake() {
        lock.lock();
        try {
            if (!wakeRequested && running) {
                wake.await(IDLE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            wakeRequested = false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(IDLE_WAIT.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static @Nullable Throwable unwrap(final @Nullable Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
