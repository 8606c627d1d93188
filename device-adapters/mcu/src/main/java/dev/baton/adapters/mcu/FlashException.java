package dev.baton.adapters.mcu;

import java.util.Objects;
import java.util.OptionalLong;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A flash that did not complete. The message says what failed (command and address), why, and what to do; the
 * reason lets a caller decide whether retrying can help.
 */
public final class FlashException extends RuntimeException {

    /** Why the flash failed. */
    public enum Reason {
        /** The bootloader never answered the synchronisation sequence: wrong port, baud, parity, or not in it. */
        NO_SYNC,
        /** The chip is not the one the options expected; nothing was erased or written. */
        CHIP_MISMATCH,
        /** The chip answered with an ID this back-end has no flash layout for; nothing was erased or written. */
        UNKNOWN_CHIP,
        /** The image has bytes outside the chip's writable flash; nothing was erased or written. */
        IMAGE_OUT_OF_RANGE,
        /** The chip is read-protected and the options do not allow removing the protection (which erases it). */
        READ_PROTECTED,
        /** The bootloader refused a command (NACK, or STK_NOSYNC/STK_FAILED) more often than retries allow. */
        REFUSED,
        /** The bootloader went silent in the middle of a command. */
        TIMEOUT,
        /** The bootloader answered with a byte the protocol does not allow there. */
        PROTOCOL_ERROR,
        /** The serial link went away (port closed, device unplugged). */
        LINK_LOST,
        /** Read-back differed from the image even after the bounded rewrites. */
        VERIFY_FAILED,
        /** The bootloader does not offer a command the flash needs. */
        UNSUPPORTED,
        /** The calling thread was interrupted. */
        CANCELLED,
        /** The external flashing tool the back-end runs is not installed; nothing was touched. */
        TOOL_MISSING,
        /**
         * The target is not there: the serial port does not exist, no probe, DFU device or UF2 volume was found, or the
         * tool found no chip answering behind its probe. Plugging the device in (or fixing the path) can help.
         */
        NO_DEVICE,
        /**
         * The port or USB device exists, but the agent's user may not open it (group dialout, a udev rule); nothing was
         * touched.
         */
        PERMISSION_DENIED
    }

    private final @NotNull Reason reason;
    private final long address;

    public FlashException(final @NotNull Reason reason, final @NotNull String message) {
        this(reason, message, -1, null);
    }

    public FlashException(
            final @NotNull Reason reason,
            final @NotNull String message,
            final long address,
            final @Nullable Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.address = address;
    }

    public @NotNull Reason reason() {
        return reason;
    }

    /** The flash address the failing command was about, when it was about one. */
    public @NotNull OptionalLong address() {
        return address < 0 ? OptionalLong.empty() : OptionalLong.of(address);
    }
}
