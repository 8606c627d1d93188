package dev.baton.adapters.mcu;

import dev.baton.adapters.mcu.internal.JSerialCommLink;
import java.time.Duration;
import org.jetbrains.annotations.NotNull;

/**
 * An open serial port, byte-oriented, with timeouts. Confined to one thread at a time (the flasher's).
 *
 * <p>{@link #open} uses jSerialComm; tests may implement it over anything that carries bytes.
 */
public interface SerialLink extends AutoCloseable {

    /** Opens {@code config.port()} with jSerialComm; DTR/RTS per {@link SerialLinkConfig#controlLines()}. */
    static @NotNull SerialLink open(final @NotNull SerialLinkConfig config) {
        return JSerialCommLink.open(config, null);
    }

    /**
     * Opens {@code config.port()} with jSerialComm, resetting through {@code resetLines} instead of the port's own
     * lines (a GPIO, a relay, or a test double that resets a simulator).
     */
    static @NotNull SerialLink open(final @NotNull SerialLinkConfig config, final @NotNull ResetLines resetLines) {
        return JSerialCommLink.open(config, resetLines);
    }

    @NotNull
    SerialLinkConfig config();

    /**
     * Sends all of {@code data}, blocking until the driver took it.
     *
     * @throws SerialLinkException with {@link SerialLinkException.Reason#LINK_LOST} when the port went away
     */
    void write(byte @NotNull [] data);

    /**
     * Reads up to {@code length} bytes into {@code buffer}, returning when all arrived or {@code timeout} passed.
     *
     * @return how many bytes arrived, 0 to {@code length}
     * @throws SerialLinkException with {@link SerialLinkException.Reason#LINK_LOST} when the port went away
     */
    int read(byte @NotNull [] buffer, int offset, int length, @NotNull Duration timeout);

    /**
     * Reads exactly {@code length} bytes.
     *
     * @throws SerialLinkException with {@link SerialLinkException.Reason#TIMEOUT} when fewer arrived in time
     */
    default byte @NotNull [] readExactly(final int length, final @NotNull Duration timeout) {
        final byte[] buffer = new byte[length];
        final int got = read(buffer, 0, length, timeout);
        if (got < length) {
            throw new SerialLinkException(
                    SerialLinkException.Reason.TIMEOUT,
                    "only " + got + " of " + length + " bytes arrived on " + config().port() + " within "
                            + timeout.toMillis() + " ms");
        }
        return buffer;
    }

    /** Drops bytes received but not yet read. */
    void discardInput();

    /** The port's DTR/RTS lines, or {@link ResetLines#none()}. */
    @NotNull
    ResetLines resetLines();

    /** Closes the port; idempotent. */
    @Override
    void close();
}
