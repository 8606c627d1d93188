package dev.baton.sim.mcu;

import java.time.Duration;
import java.util.Objects;

/**
 * How long bytes take on the simulated UART, so that a pty (which moves bytes at memory speed) behaves like a wire:
 * every byte costs {@code bitsPerByte / baud} seconds each way, and the device answers no sooner than
 * {@code turnaround} after the last byte of a command arrived.
 *
 * @param baud bits per second; 0 for no throttling
 * @param bitsPerByte 10 for 8N1, 11 for 8E1 (what a real STM32 link needs; the pty itself carries 8N1)
 * @param turnaround the device's reaction time before each answer
 */
public record WireTiming(int baud, int bitsPerByte, Duration turnaround) {

    public WireTiming {
        Objects.requireNonNull(turnaround, "turnaround");
        if (baud < 0) {
            throw new IllegalArgumentException("baud must be 0 (unthrottled) or positive, but was " + baud);
        }
        if (bitsPerByte < 9 || bitsPerByte > 12) {
            throw new IllegalArgumentException("bitsPerByte must be from 9 to 12, but was " + bitsPerByte);
        }
        if (turnaround.isNegative()) {
            throw new IllegalArgumentException("turnaround must not be negative, but was " + turnaround);
        }
    }

    /** Bytes move as fast as the pty does. */
    public static WireTiming unthrottled() {
        return new WireTiming(0, 10, Duration.ZERO);
    }

    /** {@code baud} with 8N1 frames (10 bits a byte). */
    public static WireTiming of8n1(final int baud) {
        return new WireTiming(baud, 10, Duration.ZERO);
    }

    /** {@code baud} with 8E1 frames (11 bits a byte), as the STM32 bootloader's UART runs. */
    public static WireTiming of8e1(final int baud) {
        return new WireTiming(baud, 11, Duration.ZERO);
    }

    public WireTiming withTurnaround(final Duration turnaround) {
        return new WireTiming(baud, bitsPerByte, turnaround);
    }

    /** Nanoseconds one byte takes on the wire; 0 when unthrottled. */
    public long byteNanos() {
        return baud == 0 ? 0 : bitsPerByte * 1_000_000_000L / baud;
    }
}
