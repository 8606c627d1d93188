package dev.baton.adapters.mcu.internal;

import dev.baton.adapters.mcu.FlashException;
import dev.baton.adapters.mcu.FlashException.Reason;
import dev.baton.adapters.mcu.SerialLink;
import dev.baton.adapters.mcu.SerialLinkException;
import java.time.Duration;
import java.util.OptionalInt;
import org.jetbrains.annotations.NotNull;

/**
 * A {@link SerialLink} seen by a flasher: every failure becomes a {@link FlashException} that names the command and
 * address it interrupted, and every wait allows the wire time of the bytes awaited on top of the link's response
 * timeout, so slow baud rates need no separate tuning.
 */
final class BootloaderPort {

    private final SerialLink link;
    private final long responseNanos;
    private final long byteNanos;

    BootloaderPort(final SerialLink link) {
        this.link = link;
        this.responseNanos = link.config().responseTimeout().toNanos();
        this.byteNanos = link.config().wireTime(1_000_000).toNanos() / 1_000_000;
    }

    String portName() {
        return link.config().port();
    }

    SerialLink link() {
        return link;
    }

    void send(final byte @NotNull [] bytes, final String what, final long address) {
        checkInterrupted(what, address);
        try {
            link.write(bytes);
        } catch (final SerialLinkException e) {
            throw translate(e, what, address);
        }
    }

    /**
     * Receives exactly {@code count} bytes, allowing {@code work} for the device to act (erase, program) before it
     * answers.
     */
    byte @NotNull [] receive(final int count, final Duration work, final String what, final long address) {
        // Computed from longs: this runs three times per block, and the flasher's turnaround is what costs throughput.
        final Duration timeout = Duration.ofNanos(responseNanos + count * byteNanos + work.toNanos());
        final byte[] buffer = new byte[count];
        final int got;
        try {
            got = link.read(buffer, 0, count, timeout);
        } catch (final SerialLinkException e) {
            throw translate(e, what, address);
        }
        if (got < count) {
            throw new FlashException(
                    Reason.TIMEOUT,
                    what + at(address) + ": the bootloader answered " + got + " of " + count + " bytes within "
                            + timeout.toMillis() + " ms on " + portName()
                            + "; it may have reset or lost sync. Reset the chip into its bootloader and flash again",
                    address,
                    null);
        }
        return buffer;
    }

    /** One byte, or empty when nothing came within {@code timeout}: for synchronisation, where silence is normal. */
    @NotNull
    OptionalInt poll(final Duration timeout, final String what) {
        final byte[] one = new byte[1];
        try {
            return link.read(one, 0, 1, timeout) == 1 ? OptionalInt.of(one[0] & 0xFF) : OptionalInt.empty();
        } catch (final SerialLinkException e) {
            throw translate(e, what, -1);
        }
    }

    void discardInput(final String what) {
        try {
            link.discardInput();
        } catch (final SerialLinkException e) {
            throw translate(e, what, -1);
        }
    }

    Duration wireTime(final long bytes) {
        return link.config().wireTime(bytes);
    }

    static String at(final long address) {
        return address < 0 ? "" : String.format(" at 0x%08X", address);
    }

    static void checkInterrupted(final String what, final long address) {
        if (Thread.currentThread().isInterrupted()) {
            throw new FlashException(
                    Reason.CANCELLED,
                    "flash cancelled before " + what + at(address)
                            + "; the chip holds a partial image until flashed again",
                    address,
                    null);
        }
    }

    private FlashException translate(final SerialLinkException e, final String what, final long address) {
        final Reason reason = e.reason() == SerialLinkException.Reason.TIMEOUT ? Reason.TIMEOUT : Reason.LINK_LOST;
        return new FlashException(
                reason,
                what + at(address) + " failed: " + e.getMessage()
                        + (reason == Reason.LINK_LOST ? "; reconnect the device and flash again" : ""),
                address,
                e);
    }
}
