package dev.baton.adapters.host.script;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jetbrains.annotations.NotNull;

/**
 * Reads a child's output stream to its end on a thread of its own, keeping a bounded part of it: the head (stdout,
 * where a script prints its JSON result) or the tail (stderr, where the last lines say why it failed). The rest is
 * read and dropped, so that a chatty script never blocks on a full pipe and never fills the agent's memory.
 */
final class BoundedCapture {

    private final InputStream stream;
    private final int limit;
    private final boolean keepTail;
    private final Thread reader;

    /** Written by {@link #reader} only; read after {@link #await} has seen it end. */
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();

    private final byte[] ring;
    private long total;

    private BoundedCapture(final InputStream stream, final int limit, final boolean keepTail, final String name) {
        this.stream = stream;
        this.limit = limit;
        this.keepTail = keepTail;
        this.ring = keepTail ? new byte[limit] : new byte[0];
        this.reader = new Thread(this::readToEnd, name);
        // A process the script left running in the background may hold the pipe open for ever.
        reader.setDaemon(true);
    }

    /** Starts keeping the first {@code limit} bytes of {@code stream}. */
    static @NotNull BoundedCapture head(
            final @NotNull InputStream stream, final int limit, final @NotNull String name) {
        final BoundedCapture capture = new BoundedCapture(stream, limit, false, name);
        capture.reader.start();
        return capture;
    }

    /** Starts keeping the last {@code limit} bytes of {@code stream}. */
    static @NotNull BoundedCapture tail(
            final @NotNull InputStream stream, final int limit, final @NotNull String name) {
        final BoundedCapture capture = new BoundedCapture(stream, limit, true, name);
        capture.reader.start();
        return capture;
    }

    private void readToEnd() {
        final byte[] buffer = new byte[8192];
        try (InputStream in = stream) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (this) {
                    keep(buffer, n);
                }
            }
        } catch (final IOException e) {
            // The pipe broke because the process was killed; what was read is all there is.
        }
    }

    private void keep(final byte[] buffer, final int n) {
        if (keepTail) {
            for (int i = 0; i < n; i++) {
                ring[(int) ((total + i) % limit)] = buffer[i];
            }
        } else if (head.size() < limit) {
            head.write(buffer, 0, Math.min(n, limit - head.size()));
        }
        total += n;
    }

    /**
     * Waits up to {@code millis} for the stream to end; it ends when the process and every child that inherited the
     * pipe have exited.
     */
    void await(final long millis) throws InterruptedException {
        reader.join(millis);
    }

    /** Whether more was written than kept. */
    synchronized boolean truncated() {
        return total > limit;
    }

    /** What was kept, as UTF-8 (a cut multi-byte character becomes U+FFFD). */
    synchronized @NotNull String text() {
        if (!keepTail) {
            return head.toString(StandardCharsets.UTF_8);
        }
        final int kept = (int) Math.min(total, limit);
        final byte[] out = new byte[kept];
        final long start = total - kept;
        for (int i = 0; i < kept; i++) {
            out[i] = ring[(int) ((start + i) % limit)];
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
