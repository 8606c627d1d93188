package dev.baton.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback that forwards to a target and, for its first {@code cuts} connections, closes both sides
 * once it has forwarded {@code cutAfterBytes} bytes of the target's answer: a network that breaks off a download.
 * It keeps the first bytes the client sent on each connection, so that a test can read the HTTP request head
 * (such as a {@code Range} header) that reached the target.
 */
public final class CuttingProxy implements AutoCloseable {

    private static final int HEAD_KEPT = 8192;

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final long cutAfterBytes;
    private final AtomicInteger cutsLeft;
    private final List<String> requestHeads = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());

    public CuttingProxy(final int targetPort, final long cutAfterBytes, final int cuts) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.cutAfterBytes = cutAfterBytes;
        this.cutsLeft = new AtomicInteger(cuts);
        daemon(this::accept, "cutting-proxy");
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The start of what clients sent on each connection, oldest first (ISO-8859-1, so bytes map to chars). */
    public List<String> requestHeads() {
        synchronized (requestHeads) {
            return List.copyOf(requestHeads);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            final Socket client;
            try {
                client = server.accept();
            } catch (final IOException e) {
                return;
            }
            final boolean cut = cutsLeft.getAndDecrement() > 0;
            final int index;
            synchronized (requestHeads) {
                index = requestHeads.size();
                requestHeads.add("");
            }
            try {
                final Socket upstream = new Socket();
                upstream.connect(target, 5000);
                sockets.add(client);
                sockets.add(upstream);
                daemon(() -> pumpRequest(client, upstream, index), "cutting-proxy-up");
                daemon(() -> pumpAnswer(upstream, client, cut ? cutAfterBytes : Long.MAX_VALUE), "cutting-proxy-down");
            } catch (final IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pumpRequest(final Socket from, final Socket to, final int index) {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        try (InputStream in = from.getInputStream()) {
            final OutputStream out = to.getOutputStream();
            final byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (head.size() < HEAD_KEPT) {
                    head.write(buffer, 0, Math.min(n, HEAD_KEPT - head.size()));
                    requestHeads.set(index, head.toString(StandardCharsets.ISO_8859_1));
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (final IOException e) {
            // One side closed or was cut.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void pumpAnswer(final Socket from, final Socket to, final long budget) {
        long left = budget;
        try (InputStream in = from.getInputStream()) {
            final OutputStream out = to.getOutputStream();
            final byte[] buffer = new byte[8192];
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
                left -= n;
            }
        } catch (final IOException e) {
            // One side closed.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(final Runnable task, final String name) {
        final Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(final Socket socket) {
        try {
            socket.close();
        } catch (final IOException ignored) {
            // Closing is all that is left to do.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (sockets) {
            sockets.forEach(CuttingProxy::closeQuietly);
        }
    }
}
