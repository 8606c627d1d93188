package dev.baton.bench.fleet;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.MessageCodec;
import io.reactivex.schedulers.Schedulers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.annotations.NotNull;

/**
 * N simulated agents in one JVM over real MQTT connections. Every client shares one executor configuration: one
 * Netty event loop group of {@value #NETTY_THREADS} threads (the HiveMQ client keys its event loop groups by the
 * executor given, so one executor means one group) and one application scheduler of {@value #APPLICATION_THREADS}
 * threads for callbacks — instead of a thread pool per client.
 *
 * <p>Threading: {@link #connect} and {@link #close} block and are called from the benchmark's thread.
 */
final class SimulatedFleet implements AutoCloseable {

    static final int NETTY_THREADS = 2;
    static final int APPLICATION_THREADS = 2;

    /** How connecting went: wall time and per-agent latency from CONNECT sent to birth and SUBACK answered. */
    record ConnectResult(long elapsedNanos, long @NotNull [] perAgentNanos, int failed) {}

    private final ExecutorService netty = Executors.newCachedThreadPool(daemon("fleet-netty"));
    private final ExecutorService application =
            Executors.newFixedThreadPool(APPLICATION_THREADS, daemon("fleet-callbacks"));
    private final List<SimulatedAgent> agents;
    private final FleetCounters counters;

    SimulatedFleet(final @NotNull List<EnrollmentResponse> identities, final @NotNull FleetCounters counters) {
        this.counters = counters;
        final MqttClientExecutorConfig executors = MqttClientExecutorConfig.builder()
                .nettyExecutor(netty)
                .nettyThreads(NETTY_THREADS)
                .applicationScheduler(Schedulers.from(application))
                .build();
        final MessageCodec codec = new MessageCodec();
        final List<SimulatedAgent> built = new ArrayList<>(identities.size());
        for (final EnrollmentResponse identity : identities) {
            built.add(new SimulatedAgent(identity, executors, codec, counters));
        }
        this.agents = List.copyOf(built);
    }

    @NotNull
    FleetCounters counters() {
        return counters;
    }

    @NotNull
    List<SimulatedAgent> agents() {
        return agents;
    }

    /**
     * Connects every agent, at most {@code concurrency} at a time, and waits for all of them.
     *
     * @throws IllegalStateException when they are not all connected within {@code timeout}
     */
    @NotNull
    ConnectResult connect(final int concurrency, final @NotNull Duration timeout) throws InterruptedException {
        final Semaphore inFlight = new Semaphore(concurrency);
        final long[] latencies = new long[agents.size()];
        final AtomicInteger failed = new AtomicInteger();
        final List<CompletableFuture<Void>> all = new ArrayList<>(agents.size());
        final long started = System.nanoTime();
        for (int i = 0; i < agents.size(); i++) {
            final int index = i;
            inFlight.acquire();
            final long sent = System.nanoTime();
            all.add(agents.get(i).connect().whenComplete((ignored, error) -> {
                inFlight.release();
                latencies[index] = System.nanoTime() - sent;
                if (error != null) {
                    failed.incrementAndGet();
                    counters.disconnected(agents.get(index).node(), error);
                }
            }));
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .exceptionally(error -> null)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("never fails: errors are counted", e);
        } catch (final TimeoutException e) {
            throw new IllegalStateException("not every agent connected within " + timeout.toSeconds() + " s: "
                    + all.stream().filter(CompletableFuture::isDone).count() + " of " + agents.size()
                    + " answered; " + counters.summary());
        }
        return new ConnectResult(System.nanoTime() - started, latencies, failed.get());
    }

    /** Disconnects every agent (bounded wait) and stops the shared threads. */
    @Override
    public void close() {
        final List<CompletableFuture<Void>> all = new ArrayList<>(agents.size());
        for (final SimulatedAgent agent : agents) {
            all.add(agent.disconnect());
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            System.err.println("not every simulated agent disconnected cleanly: " + e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        application.shutdown();
        netty.shutdown();
    }

    private static ThreadFactory daemon(final String name) {
        final AtomicInteger count = new AtomicInteger();
        return runnable -> {
            final Thread thread = new Thread(runnable, name + '-' + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
