package dev.baton.adapters.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.encoding.DefaultEncodingManager;
import org.eclipse.milo.opcua.stack.core.types.DefaultDataTypeManager;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransportConfig;
import org.jetbrains.annotations.NotNull;

/**
 * The threads the {@code opcua} handler's clients run on, owned by the handler and stopped by {@link #close()}.
 * Milo's transports fall back to the process-wide {@code Stack.shared…()} pools, which nobody stops; giving every
 * transport these instead lets the handler leave no thread behind, and keeps a slow server from starving other
 * users of Milo in the agent. Every thread is a daemon thread named {@code baton-opcua-…}.
 *
 * <p>Threading: {@link #probes()} runs one blocking task per discovery URL or server (waits on Milo futures, never
 * on its own tasks); Netty's event loop does the I/O; {@link #executor()} runs Milo's callbacks.
 */
public final class ClientResources implements AutoCloseable {

    /** Prefix of every thread started here; the leak test looks for it. */
    public static final String THREAD_PREFIX = "baton-opcua-";

    /** Probes running at once: enough to overlap slow servers, few enough for a 2-core edge box. */
    static final int PROBE_THREADS = 4;

    private final NioEventLoopGroup eventLoop;
    private final ThreadPoolExecutor executor;
    private final ScheduledThreadPoolExecutor scheduler;
    private final HashedWheelTimer wheelTimer;
    private final ThreadPoolExecutor probes;
    private final ThreadPoolExecutor resolver;

    private ClientResources() {
        eventLoop = new NioEventLoopGroup(1, new DefaultThreadFactory(THREAD_PREFIX + "io", true));
        executor = fixedPool(2, "exec");
        scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("timer"));
        scheduler.setRemoveOnCancelPolicy(true);
        wheelTimer = new HashedWheelTimer(daemonThreads("wheel"), 10, TimeUnit.MILLISECONDS);
        probes = fixedPool(PROBE_THREADS, "probe");
        resolver = fixedPool(2, "dns");
    }

    /**
     * Loads Milo's codec tables on a probe thread: about a second of class loading (measured on the 2-core build
     * machine) that the first session would otherwise pay inside the first scan's deadline.
     */
    public void prepareCodecs() {
        probes.execute(() -> {
            DefaultEncodingManager.createAndInitialize();
            DefaultDataTypeManager.createAndInitialize(new NamespaceTable());
        });
    }

    /** Creates the pools; threads start on first use. */
    public static @NotNull ClientResources create() {
        return new ClientResources();
    }

    /** A transport configuration on these threads, giving up a TCP connect after {@code connectTimeout}. */
    @NotNull
    OpcTcpClientTransportConfig transportConfig(final @NotNull Duration connectTimeout) {
        return OpcTcpClientTransportConfig.newBuilder()
                .setEventLoop(eventLoop)
                .setExecutor(executor)
                .setScheduledExecutor(scheduler)
                .setWheelTimer(wheelTimer)
                .setConnectTimeout(uint(Math.max(1, connectTimeout.toMillis())))
                .build();
    }

    /** Where probes of discovery URLs and servers run. */
    @NotNull
    ExecutorService probes() {
        return probes;
    }

    /** Where host names are resolved, since {@link java.net.InetAddress} cannot be interrupted or bounded. */
    @NotNull
    ExecutorService resolver() {
        return resolver;
    }

    @NotNull
    ExecutorService executor() {
        return executor;
    }

    /** Stops every thread, waiting at most about two seconds in all. */
    @Override
    public void close() {
        probes.shutdownNow();
        resolver.shutdownNow();
        eventLoop.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS);
        executor.shutdown();
        scheduler.shutdownNow();
        wheelTimer.stop();
        try {
            eventLoop.awaitTermination(1, TimeUnit.SECONDS);
            executor.awaitTermination(500, TimeUnit.MILLISECONDS);
            probes.awaitTermination(500, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }

    private static ThreadPoolExecutor fixedPool(final int threads, final String role) {
        final ThreadPoolExecutor pool = new ThreadPoolExecutor(
                threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads(role));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ThreadFactory daemonThreads(final String role) {
        final AtomicInteger count = new AtomicInteger();
        return runnable -> {
            final Thread thread = new Thread(runnable, THREAD_PREFIX + role + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
