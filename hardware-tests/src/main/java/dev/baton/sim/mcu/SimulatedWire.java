package dev.baton.sim.mcu;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A simulator's end of a pty, with {@link WireTiming} applied: a byte counts as received {@code byteNanos} after
 * the previous one (or after it was read, if later), and an answer leaves only once the command's last byte has
 * arrived, the turnaround and any device work have passed, and its own bytes have had their wire time.
 *
 * <p>Threading: used by the simulator's device thread only.
 */
final class SimulatedWire {

    /** Below this, waiting spins instead of parking, so answers do not pay the timer slack of a park. */
    private static final long SPIN_NANOS = 200_000;

    private final FileChannel channel;
    private final long byteNanos;
    private final long turnaroundNanos;
    private final ByteBuffer in = ByteBuffer.allocate(4096).flip();
    private long chunkArrivedAt;
    private long receivedUntil = System.nanoTime();
    private long busyUntil = System.nanoTime();
    private long sentUntil = System.nanoTime();
    private long lastWriteDone;
    private final WireStats.Recorder stats = new WireStats.Recorder();

    SimulatedWire(final FileChannel channel, final WireTiming timing) {
        this.channel = channel;
        this.byteNanos = timing.byteNanos();
        this.turnaroundNanos = timing.turnaround().toNanos();
    }

    /**
     * The next byte, 0 to 255.
     *
     * @throws IOException when the pty hung up (the pair was unplugged) or the channel was closed
     */
    int read() throws IOException {
        if (!in.hasRemaining()) {
            in.clear();
            final int n = channel.read(in);
            in.flip();
            if (n < 0) {
                throw new IOException("pty closed");
            }
            chunkArrivedAt = System.nanoTime();
            if (lastWriteDone != 0) {
                stats.hostTurnaround(chunkArrivedAt - lastWriteDone);
                lastWriteDone = 0;
            }
        }
        receivedUntil = Math.max(receivedUntil, chunkArrivedAt) + byteNanos;
        return in.get() & 0xFF;
    }

    byte[] read(final int count) throws IOException {
        final byte[] out = new byte[count];
        for (int i = 0; i < count; i++) {
            out[i] = (byte) read();
        }
        return out;
    }

    /** When the last byte read so far has fully arrived, on the {@link System#nanoTime()} clock. */
    long lastByteAt() {
        return receivedUntil;
    }

    /** The device works for {@code duration} (erasing, programming) before it can answer. */
    void busy(final Duration duration) {
        busyUntil = Math.max(Math.max(System.nanoTime(), receivedUntil), busyUntil) + duration.toNanos();
    }

    /** Sends {@code bytes} once the wire would have carried them. */
    void write(final byte... bytes) throws IOException {
        final long start = Math.max(Math.max(receivedUntil + turnaroundNanos, busyUntil), sentUntil);
        final long end = start + bytes.length * byteNanos;
        waitUntil(end);
        stats.lateAnswer(System.nanoTime() - end);
        final ByteBuffer out = ByteBuffer.wrap(bytes);
        while (out.hasRemaining()) {
            channel.write(out);
        }
        sentUntil = end;
        lastWriteDone = System.nanoTime();
    }

    WireStats stats() {
        return stats.snapshot();
    }

    /** Drops bytes already read from the pty but not consumed (after a reset, the UART forgets them). */
    void forgetPending() {
        in.position(in.limit());
    }

    private static void waitUntil(final long deadline) {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0) {
            if (remaining > SPIN_NANOS) {
                LockSupport.parkNanos(remaining - SPIN_NANOS);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
