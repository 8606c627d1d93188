package dev.baton.adapters.mcu.component;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * How a {@code firmware} component confirms that the flashed application started (property {@code appCheck}). A
 * target counts as flashed only when the check passes.
 */
public sealed interface AppCheck {

    /** How long to wait at most. */
    @NotNull
    Duration timeout();

    /**
     * The application prints a line matching {@code pattern} on a serial port within {@code timeout}:
     * {@code {"serialBanner": "regex", "timeoutMs": 5000, "port": "/dev/ttyACM0", "baud": 115200}}.
     *
     * @param port where the application prints; null for the port the image was flashed through (the serial
     *     back-ends keep that port open from the end of the flash, so no byte of the banner is lost)
     * @param baud the application's baud; 0 for the component's {@code baud}
     */
    record SerialBanner(@NotNull Pattern pattern, @NotNull Duration timeout, @Nullable String port, int baud)
            implements AppCheck {
        public SerialBanner {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    /**
     * A USB device with the application's {@code vid}:{@code pid} shows up in the node's inventory within
     * {@code timeout}: {@code {"usb": {"vid": "2e8a", "pid": "000a"}, "timeoutMs": 10000}}. The inventory is as fresh
     * as the usb discovery's scan interval, so the timeout must cover at least one scan.
     *
     * @param vid 4 lower-case hex digits
     * @param pid 4 lower-case hex digits
     */
    record UsbReenumeration(@NotNull String vid, @NotNull String pid, @NotNull Duration timeout) implements AppCheck {
        public UsbReenumeration {
            Objects.requireNonNull(vid, "vid");
            Objects.requireNonNull(pid, "pid");
            Objects.requireNonNull(timeout, "timeout");
        }
    }
}
