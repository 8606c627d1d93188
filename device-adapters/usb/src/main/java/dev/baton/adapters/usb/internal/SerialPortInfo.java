package dev.baton.adapters.usb.internal;

import java.util.Objects;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A serial port as jSerialComm describes it; unknown values are null (jSerialComm says -1 or "Unknown").
 *
 * @param systemPortPath the path the OS opens ({@code /dev/ttyUSB0}, {@code /dev/pts/3}, {@code \\.\COM3})
 * @param systemPortName {@code ttyUSB0}, {@code COM3}
 * @param vid vendor id as 4 lower-case hex digits, or null when the port is not on USB or the OS does not say
 * @param location the USB bus-port path jSerialComm reports ({@code 1-1.2}), or null when not on USB
 */
public record SerialPortInfo(
        @NotNull String systemPortPath,
        @NotNull String systemPortName,
        @Nullable String description,
        @Nullable String vid,
        @Nullable String pid,
        @Nullable String serialNumber,
        @Nullable String manufacturer,
        @Nullable String location) {

    public SerialPortInfo {
        Objects.requireNonNull(systemPortPath, "systemPortPath");
        Objects.requireNonNull(systemPortName, "systemPortName");
    }
}
