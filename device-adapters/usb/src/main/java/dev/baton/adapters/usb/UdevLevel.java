package dev.baton.adapters.usb;

import java.util.Map;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * One device in a sysfs device path as a {@link UdevMatch} sees it: the reported device itself or one of its
 * parents (the USB interface and the USB device above a tty, say).
 *
 * @param kernel the kernel name ({@code 1-1.2}, {@code 1-1.2:1.0}, {@code ttyUSB0}), what {@code KERNEL} matches
 * @param subsystem {@code usb}, {@code tty}, …, what {@code SUBSYSTEM} matches
 * @param driver the bound driver ({@code cdc_acm}, {@code ftdi_sio}), or null when none is bound
 * @param attributes the sysfs attributes the handler read ({@code idVendor}, {@code bInterfaceClass}, …), what
 *     {@code ATTR{name}} matches, with trailing white space removed as udev does
 */
public record UdevLevel(
        @NotNull String kernel,
        @NotNull String subsystem,
        @Nullable String driver,
        @NotNull Map<String, String> attributes) {

    public UdevLevel {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(subsystem, "subsystem");
        attributes = Map.copyOf(attributes);
    }
}
