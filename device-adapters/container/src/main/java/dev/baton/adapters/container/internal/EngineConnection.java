package dev.baton.adapters.container.internal;

import dev.baton.adapters.container.EngineEndpoint;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.jetbrains.annotations.NotNull;

/**
 * One connection to the engine, used for one exchange. The channel is non-blocking and every wait goes through a
 * selector with a deadline, because a blocking {@link SocketChannel} has no read timeout, and a unix-domain channel
 * has no {@code Socket} adapter to set one on.
 *
 * <p>Owned by the thread that opened it; not thread-safe.
 */
final class EngineConnection implements ByteSource, Closeable {

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final long deadlineNanos;
    private final long idleNanos;
    private final String endpoint;

    private EngineConnection(
            final SocketChannel channel,
            final Selector selector,
            final long deadlineNanos,
            final long idleNanos,
            final String endpoint)
            throws IOException {
        this.channel = channel;
        this.selector = selector;
        this.key = channel.register(selector, 0);
        this.deadlineNanos = deadlineNanos;
        this.idleNanos = idleNanos;
        this.endpoint = endpoint;
    }

    /**
     * Connects within {@code connectTimeout} (and the deadline).
     *
     * @param deadlineNanos in {@link System#nanoTime()} terms: when the whole exchange must be over
     * @param idleTimeout the longest wait for any one byte
     * @throws IOException as the OS reported it; the caller says what it means
     */
    static @NotNull EngineConnection open(
            final @NotNull EngineEndpoint endpoint,
            final @NotNull Duration connectTimeout,
            final long deadlineNanos,
            final @NotNull Duration idleTimeout)
            throws IOException {
        final SocketAddress address;
        final SocketChannel channel;
        if (endpoint instanceof EngineEndpoint.Unix unix) {
            address = UnixDomainSocketAddress.of(unix.socket());
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } else {
            final EngineEndpoint.Tcp tcp = (EngineEndpoint.Tcp) endpoint;
            final InetSocketAddress inet = new InetSocketAddress(tcp.host(), tcp.port());
            if (inet.isUnresolved()) {
                throw new IOException("cannot resolve host name " + tcp.host());
            }
            address = inet;
            channel = SocketChannel.open(
                    inet.getAddress() instanceof java.net.Inet6Address
                            ? StandardProtocolFamily.INET6
                            : StandardProtocolFamily.INET);
        }
        Selector selector = null;
        try {
            channel.configureBlocking(false);
            selector = Selector.open();
            final EngineConnection connection =
                    new EngineConnection(channel, selector, deadlineNanos, idleTimeout.toNanos(), endpoint.toString());
            if (!channel.connect(address)) {
                final long connectDeadline = Math.min(deadlineNanos, System.nanoTime() + connectTimeout.toNanos());
                connection.await(SelectionKey.OP_CONNECT, connectDeadline, "to accept the connection");
                channel.finishConnect();
            }
            return connection;
        } catch (final IOException | RuntimeException e) {
            channel.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    /** Writes all of {@code bytes}, waiting while the socket's send buffer is full. */
    void writeFully(final @NotNull ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            if (channel.write(bytes) == 0) {
                await(SelectionKey.OP_WRITE, idleDeadline(), "to take the request");
            }
        }
    }

    @Override
    public int read(final @NotNull ByteBuffer target) throws IOException {
        while (true) {
            final int read = channel.read(target);
            if (read != 0) {
                return read;
            }
            await(SelectionKey.OP_READ, idleDeadline(), "to answer");
        }
    }

    private long idleDeadline() {
        return Math.min(deadlineNanos, System.nanoTime() + idleNanos);
    }

    private void await(final int operation, final long until, final String what) throws IOException {
        key.interestOps(operation);
        try {
            while (true) {
                final long left = until - System.nanoTime();
                if (left <= 0) {
                    throw new EngineException(
                            EngineException.Reason.TIMEOUT,
                            "the engine at " + endpoint + " took too long " + what
                                    + (until == deadlineNanos
                                            ? ""
                                            : " (silent for " + Durations.describe(Duration.ofNanos(idleNanos)) + ")"));
                }
                // select(long) takes milliseconds and 0 means forever, hence at least 1.
                if (selector.select(Math.max(1, left / 1_000_000)) > 0) {
                    selector.selectedKeys().clear();
                    return;
                }
            }
        } finally {
            if (key.isValid()) {
                key.interestOps(0);
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
