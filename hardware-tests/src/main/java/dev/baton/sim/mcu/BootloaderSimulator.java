package dev.baton.sim.mcu;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What both bootloader simulators share: a simulated chip (its {@link FlashMemory} outlives any link), attached to
 * one end of a {@link PtyPair} at a time, served by one device thread; faults counted per opcode; a reset line.
 *
 * <p>Threading: {@link #attach} starts the device thread, which alone runs the protocol. The flash model, the
 * counters and {@link #reset()} are safe from any thread.
 */
public abstract class BootloaderSimulator implements AutoCloseable {

    private final String name;
    private final List<SimFault> faults;
    private final Map<Integer, AtomicInteger> commands = new ConcurrentHashMap<>();
    private final AtomicInteger resets = new AtomicInteger();
    private volatile long poweredAt = System.nanoTime();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Thread device;
    private FileChannel channel;
    private SimulatedWire wire;
    private Runnable unplug;
    private volatile boolean unplugged;

    /** Raised on the device thread when the reset line was pulsed; the protocol restarts from power-on. */
    static final class ResetSignal extends RuntimeException {
        ResetSignal() {
            super("reset", null, false, false);
        }
    }

    protected BootloaderSimulator(final String name, final List<SimFault> faults) {
        this.name = name;
        this.faults = List.copyOf(faults);
    }

    /** Connects the chip to {@code pair}'s simulator end and starts serving; a previous link is dropped first. */
    public final void attach(final PtyPair pair) throws IOException {
        attach(pair.simulatorEnd(), pair::unplug);
    }

    /**
     * Connects the chip to the pty at {@code end} (a pair made elsewhere, e.g. by another process) and starts
     * serving; {@code unplug} is what an {@link SimFault.Unplug} fault does.
     */
    public final synchronized void attach(final Path end, final Runnable unplug) throws IOException {
        detach();
        this.unplug = unplug;
        this.unplugged = false;
        this.channel = FileChannel.open(end, StandardOpenOption.READ, StandardOpenOption.WRITE);
        final SimulatedWire wire = new SimulatedWire(channel, timing());
        this.wire = wire;
        final int resetsAtStart = resets.get();
        poweredAt = System.nanoTime();
        device = new Thread(() -> run(wire, resetsAtStart), name + "-" + end.getFileName());
        device.setDaemon(true);
        device.start();
    }

    /** Stops serving and closes the simulator's end; the flash keeps its contents. */
    public final synchronized void detach() {
        if (device == null) {
            return;
        }
        try {
            channel.close();
        } catch (final IOException e) {
            failure.compareAndSet(null, e);
        }
        try {
            device.join(5_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        device = null;
    }

    @Override
    public final void close() {
        detach();
    }

    /** Pulses the chip's reset line: the bootloader starts again from power-on on the next byte. */
    public final void reset() {
        poweredAt = System.nanoTime();
        resets.incrementAndGet();
    }

    /** When the chip last came out of reset (or was attached), on the {@link System#nanoTime()} clock. */
    protected final long poweredAt() {
        return poweredAt;
    }

    /** How many commands with {@code opcode} arrived (faulted ones included). */
    public final int commandCount(final int opcode) {
        final AtomicInteger count = commands.get(opcode);
        return count == null ? 0 : count.get();
    }

    /** Timing of the current (or last) link, for benchmarks. */
    public final synchronized WireStats wireStats() {
        return wire == null ? new WireStats(0, 0, 0, 0, 0) : wire.stats();
    }

    /** Whether a fault unplugged the link. */
    public final boolean unplugged() {
        return unplugged;
    }

    /** Anything unexpected that stopped the device thread (a simulator bug, not a client's). */
    public final Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    public abstract FlashMemory flash();

    protected abstract WireTiming timing();

    /**
     * Runs the protocol from power-on until the link goes away; a {@link ResetSignal} from {@link Reader#read()}
     * restarts it.
     */
    protected abstract void serve(Reader reader) throws IOException;

    /** Counts a command and returns the fault planned for it, if any. */
    protected final Optional<SimFault> command(final int opcode) {
        final int occurrence =
                commands.computeIfAbsent(opcode, k -> new AtomicInteger()).incrementAndGet();
        for (final SimFault fault : faults) {
            final boolean hit;
            if (fault instanceof SimFault.Refuse r) {
                hit = r.opcode() == opcode && occurrence >= r.occurrence() && occurrence < r.occurrence() + r.times();
            } else if (fault instanceof SimFault.Silence s) {
                hit = s.opcode() == opcode && s.occurrence() == occurrence;
            } else if (fault instanceof SimFault.Unplug u) {
                hit = u.opcode() == opcode && u.occurrence() == occurrence;
            } else if (fault instanceof SimFault.CorruptAnswer c) {
                hit = c.opcode() == opcode && c.occurrence() == occurrence;
            } else {
                hit = false;
            }
            if (hit) {
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }

    /** The weak cells among the faults, applied to the flash once when the simulator is built. */
    protected final List<SimFault.WeakCell> weakCells() {
        return faults.stream()
                .filter(SimFault.WeakCell.class::isInstance)
                .map(SimFault.WeakCell.class::cast)
                .toList();
    }

    /** Cuts the link now, from the device thread: the client sees the port hang up. */
    protected final void unplugNow() {
        unplugged = true;
        unplug.run();
    }

    /** The device thread's view of the wire: bytes, with resets noticed between them. */
    protected final class Reader {

        private final SimulatedWire wire;
        private int resetsSeen;
        private int pushedBack = -1;

        private Reader(final SimulatedWire wire, final int resetsSeen) {
            this.wire = wire;
            this.resetsSeen = resetsSeen;
        }

        /**
         * The next byte.
         *
         * @throws ResetSignal when the reset line was pulsed since the previous byte: the byte just read is kept for
         *     the restarted bootloader
         */
        public int read() throws IOException {
            if (pushedBack >= 0) {
                final int b = pushedBack;
                pushedBack = -1;
                return b;
            }
            final int b = wire.read();
            final int now = resets.get();
            if (now != resetsSeen) {
                resetsSeen = now;
                pushedBack = b;
                throw new ResetSignal();
            }
            return b;
        }

        public byte[] read(final int count) throws IOException {
            final byte[] out = new byte[count];
            for (int i = 0; i < count; i++) {
                out[i] = (byte) read();
            }
            return out;
        }

        public void write(final byte... bytes) throws IOException {
            wire.write(bytes);
        }

        /** Writes each of {@code values} as one byte. */
        public void send(final int... values) throws IOException {
            final byte[] bytes = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                bytes[i] = (byte) values[i];
            }
            wire.write(bytes);
        }

        public void busy(final java.time.Duration duration) {
            wire.busy(duration);
        }

        /** When the last byte read has fully arrived, on the {@link System#nanoTime()} clock. */
        public long lastByteAt() {
            return wire.lastByteAt();
        }
    }

    private void run(final SimulatedWire wire, final int resetsAtStart) {
        final Reader reader = new Reader(wire, resetsAtStart);
        try {
            while (true) {
                try {
                    serve(reader);
                    return;
                } catch (final ResetSignal again) {
                    // power-on again: serve() starts from the top
                }
            }
        } catch (final ClosedChannelException detached) {
            // detach() closed the channel
        } catch (final IOException hungUp) {
            // the pair was unplugged (EIO) or socat ended
        } catch (final RuntimeException bug) {
            failure.compareAndSet(null, bug);
        }
    }
}
