package dev.baton.adapters.mcu.internal;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import dev.baton.adapters.mcu.ResetLines;
import dev.baton.adapters.mcu.SerialLink;
import dev.baton.adapters.mcu.SerialLinkConfig;
import dev.baton.adapters.mcu.SerialLinkException;
import dev.baton.adapters.mcu.SerialLinkException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A {@link SerialLink} over jSerialComm. jSerialComm's semi-blocking read is one {@code read()} under termios
 * {@code VMIN=0, VTIME=t}: it returns as soon as one byte is there, or after {@code t} tenths of a second with none.
 * Every wait is such a read with a slice of {@link #BLOCKING_SLICE_MILLIS} (VTIME 1; less would be VTIME 0, a
 * non-blocking read that spins a core), so an answer is taken the moment it arrives whatever the deadline. The price
 * is paid only when nothing comes: a deadline that ends inside a slice is noticed at the slice's end, up to 100 ms
 * late. (Waiting out the last part of a deadline by polling {@code bytesAvailable()} instead cost every answer that
 * arrived in that part half a poll interval; with a response timeout under 100 ms that was every answer.)
 *
 * <p>Threading: confined to the flasher's thread; {@link #close()} may come from any thread.
 */
public final class JSerialCommLink implements SerialLink {

    static final int BLOCKING_SLICE_MILLIS = 100;

    /** A read shorter than this takes only what has arrived already, instead of a slice. */
    static final long SLICE_MIN_NANOS = 1_000_000;

    static final long WRITE_BACKOFF_NANOS = 200_000;

    private final SerialLinkConfig config;
    private final SerialPort port;
    private final ResetLines resetLines;
    private volatile boolean closed;

    private JSerialCommLink(final SerialLinkConfig config, final SerialPort port, final ResetLines resetLines) {
        this.config = config;
        this.port = port;
        this.resetLines = resetLines;
    }

    /** See {@link SerialLink#open(SerialLinkConfig, ResetLines)}; {@code override} null means the port's own lines. */
    public static @NotNull JSerialCommLink open(
            final @NotNull SerialLinkConfig config, final @Nullable ResetLines override) {
        final Path device = Path.of(config.port());
        if (device.isAbsolute() && !Files.exists(device)) {
            throw new SerialLinkException(
                    Reason.PORT_MISSING,
                    "serial port " + config.port() + " does not exist; check that the device is plugged in and the"
                            + " path (ls /dev/serial/by-id)");
        }
        final SerialPort port;
        try {
            port = SerialPort.getCommPort(config.port());
        } catch (final SerialPortInvalidPortException e) {
            throw new SerialLinkException(
                    Reason.PORT_MISSING,
                    "serial port " + config.port() + " does not exist; check the device path (ls /dev/serial/by-id)",
                    e);
        }
        port.setComPortParameters(
                config.baud(),
                8,
                config.stopBits() == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT,
                switch (config.parity()) {
                    case NONE -> SerialPort.NO_PARITY;
                    case EVEN -> SerialPort.EVEN_PARITY;
                    case ODD -> SerialPort.ODD_PARITY;
                });
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        // Writes are non-blocking: jSerialComm's blocking mode adds tcdrain(), which on ptys and USB bridges waits
        // for the kernel or the adapter well beyond the bytes' wire time, once per command.
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, BLOCKING_SLICE_MILLIS, 0);
        if (!port.openPort()) {
            throw openFailed(config.port(), device, port.getLastErrorCode());
        }
        final ResetLines lines;
        if (override != null) {
            lines = override;
        } else if (config.controlLines() == SerialLinkConfig.ControlLines.MODEM) {
            lines = new ModemLines(port, config.port());
        } else {
            lines = ResetLines.none();
        }
        return new JSerialCommLink(config, port, lines);
    }

    /**
     * Why {@code openPort()} failed: jSerialComm reports the {@code errno} of the failing call (ENOENT 2, EACCES 13 on
     * Linux; ERROR_FILE_NOT_FOUND 2, ERROR_ACCESS_DENIED 5 on Windows, where 5 also means "held by another program").
     */
    static SerialLinkException openFailed(final String name, final Path device, final int errno) {
        final boolean posix = device.isAbsolute();
        if (errno == 2 || (posix && !Files.exists(device))) {
            return new SerialLinkException(
                    Reason.PORT_MISSING,
                    "serial port " + name + " does not exist (error " + errno + "); check that the device is plugged in"
                            + " and the path (ls /dev/serial/by-id)");
        }
        if (posix && (errno == 13 || errno == 1 || !Files.isReadable(device) || !Files.isWritable(device))) {
            return new SerialLinkException(
                    Reason.PERMISSION_DENIED,
                    "the agent's user may not open serial port " + name + " (error " + errno + ", permission denied);"
                            + " add it to the port's group (dialout on Debian: usermod -aG dialout USER) or add a udev"
                            + " rule, then restart the agent");
        }
        return new SerialLinkException(
                Reason.OPEN_FAILED,
                "cannot open serial port " + name + " (error " + errno + "); check that no other program holds it"
                        + (posix ? "" : " and that the agent's user may use it"));
    }

    @Override
    public @NotNull SerialLinkConfig config() {
        return config;
    }

    @Override
    public void write(final byte @NotNull [] data) {
        long deadline = 0;
        int written = 0;
        while (written < data.length) {
            final int n = closed ? -1 : port.writeBytes(data, data.length - written, written);
            if (n < 0) {
                throw lost("writing");
            }
            written += n;
            if (n == 0) {
                // A full driver buffer drains at the baud rate; allow that plus the response timeout.
                if (deadline == 0) {
                    deadline = System.nanoTime()
                            + config.wireTime(data.length)
                                    .plus(config.responseTimeout())
                                    .toNanos();
                } else if (System.nanoTime() - deadline > 0) {
                    throw lost("writing (the driver accepted no bytes for "
                            + config.responseTimeout().toMillis() + " ms)");
                }
                LockSupport.parkNanos(WRITE_BACKOFF_NANOS);
            }
        }
    }

    @Override
    public int read(
            final byte @NotNull [] buffer, final int offset, final int length, final @NotNull Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        int got = 0;
        if (timeout.toNanos() < SLICE_MIN_NANOS) {
            // Too short for a slice: what is there already.
            final int available = closed ? -1 : port.bytesAvailable();
            final int n = available <= 0 ? available : port.readBytes(buffer, Math.min(available, length), offset);
            if (n < 0) {
                throw lost("reading");
            }
            return n;
        }
        while (got < length && deadline - System.nanoTime() > 0) {
            final int n = closed ? -1 : port.readBytes(buffer, length - got, offset + got);
            if (n < 0) {
                throw lost("reading");
            }
            got += n;
        }
        return got;
    }

    @Override
    public void discardInput() {
        final byte[] sink = new byte[256];
        int available;
        while ((available = port.bytesAvailable()) > 0) {
            if (port.readBytes(sink, Math.min(available, sink.length)) < 0) {
                throw lost("discarding input");
            }
        }
        if (available < 0) {
            throw lost("discarding input");
        }
    }

    @Override
    public @NotNull ResetLines resetLines() {
        return resetLines;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            port.closePort();
        }
    }

    private SerialLinkException lost(final String doing) {
        return new SerialLinkException(
                Reason.LINK_LOST,
                "serial port " + config.port() + " went away while " + doing
                        + (closed ? " (the link was closed)" : "; was the device unplugged?"));
    }

    /** DTR and RTS through jSerialComm; a port without them (a pty) fails loudly rather than resetting nothing. */
    private record ModemLines(SerialPort port, String name) implements ResetLines {

        @Override
        public void setDtr(final boolean asserted) {
            if (!(asserted ? port.setDTR() : port.clearDTR())) {
                throw unsupported("DTR");
            }
        }

        @Override
        public void setRts(final boolean asserted) {
            if (!(asserted ? port.setRTS() : port.clearRTS())) {
                throw unsupported("RTS");
            }
        }

        private SerialLinkException unsupported(final String line) {
            return new SerialLinkException(
                    Reason.CONTROL_LINES,
                    "cannot set " + line + " on " + name + " (error " + port.getLastErrorCode()
                            + "); a pseudo-terminal has no modem lines: open it with controlLines NONE");
        }
    }
}
