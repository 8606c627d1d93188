package dev.baton.adapters.mcu;

import java.time.Duration;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * How to open a serial port: immutable, checked when built. The default frame is 8E1 because the STM32 bootloader
 * needs even parity; optiboot uses 8N1. Pseudo-terminals drop parity, so tests over ptys use 8N1.
 *
 * @param port the device path ({@code /dev/ttyUSB0}, {@code COM3}) or a pty's path
 * @param baud bits per second, 300 to 4,000,000 (default 115,200)
 * @param parity the parity bit (default {@link Parity#EVEN})
 * @param stopBits 1 or 2 (default 1)
 * @param responseTimeout how long to wait for an answer that needs no flash work (an ACK, a short reply), on top of
 *     the wire time of the bytes it carries; 10 ms to 60 s (default 1 s)
 * @param controlLines whether DTR/RTS exist on this port: {@link ControlLines#MODEM} for UARTs and USB bridges
 *     (default), {@link ControlLines#NONE} for ptys and boards with the lines not wired
 */
public record SerialLinkConfig(
        @NotNull String port,
        int baud,
        @NotNull Parity parity,
        int stopBits,
        @NotNull Duration responseTimeout,
        @NotNull ControlLines controlLines) {

    /** Whether the port has DTR/RTS a flasher can use as {@link ResetLines}. */
    public enum ControlLines {
        MODEM,
        NONE
    }

    public static final int MIN_BAUD = 300;
    public static final int MAX_BAUD = 4_000_000;
    public static final Duration MIN_RESPONSE_TIMEOUT = Duration.ofMillis(10);
    public static final Duration MAX_RESPONSE_TIMEOUT = Duration.ofSeconds(60);

    public SerialLinkConfig {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(parity, "parity");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        Objects.requireNonNull(controlLines, "controlLines");
        if (port.isBlank() || port.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    "port must be a device path such as /dev/ttyUSB0, but was '" + port + "'");
        }
        if (baud < MIN_BAUD || baud > MAX_BAUD) {
            throw new IllegalArgumentException(
                    "baud must be from " + MIN_BAUD + " to " + MAX_BAUD + ", but was " + baud);
        }
        if (stopBits != 1 && stopBits != 2) {
            throw new IllegalArgumentException("stopBits must be 1 or 2, but was " + stopBits);
        }
        if (responseTimeout.compareTo(MIN_RESPONSE_TIMEOUT) < 0
                || responseTimeout.compareTo(MAX_RESPONSE_TIMEOUT) > 0) {
            throw new IllegalArgumentException(
                    "responseTimeout must be from 10 ms to 60 s, but was " + responseTimeout.toMillis() + " ms");
        }
    }

    public static @NotNull Builder builder(final @NotNull String port) {
        return new Builder(port);
    }

    /** Bits on the wire per byte: start, 8 data, parity if any, stop. */
    public int bitsPerByte() {
        return 1 + 8 + (parity == Parity.NONE ? 0 : 1) + stopBits;
    }

    /** How long {@code bytes} bytes take on the wire at this baud and frame. */
    public @NotNull Duration wireTime(final long bytes) {
        return Duration.ofNanos(bytes * bitsPerByte() * 1_000_000_000L / baud);
    }

    /** Builds {@link SerialLinkConfig}; not thread-safe. */
    public static final class Builder {

        private final String port;
        private int baud = 115_200;
        private Parity parity = Parity.EVEN;
        private int stopBits = 1;
        private Duration responseTimeout = Duration.ofSeconds(1);
        private ControlLines controlLines = ControlLines.MODEM;

        private Builder(final String port) {
            this.port = port;
        }

        public @NotNull Builder baud(final int baud) {
            this.baud = baud;
            return this;
        }

        public @NotNull Builder parity(final @NotNull Parity parity) {
            this.parity = parity;
            return this;
        }

        public @NotNull Builder stopBits(final int stopBits) {
            this.stopBits = stopBits;
            return this;
        }

        public @NotNull Builder responseTimeout(final @NotNull Duration responseTimeout) {
            this.responseTimeout = responseTimeout;
            return this;
        }

        public @NotNull Builder controlLines(final @NotNull ControlLines controlLines) {
            this.controlLines = controlLines;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the field, its limits and the value
         */
        public @NotNull SerialLinkConfig build() {
            return new SerialLinkConfig(port, baud, parity, stopBits, responseTimeout, controlLines);
        }
    }
}
