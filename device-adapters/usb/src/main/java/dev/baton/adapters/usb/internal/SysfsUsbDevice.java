package dev.baton.adapters.usb.internal;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A USB device as sysfs shows it under {@code /sys/bus/usb/devices/<kernelName>}.
 *
 * @param kernelName the bus-port path ({@code 1-1.2}), or {@code usbN} for a root hub
 * @param attributes the attributes read (see {@link SysfsUsbScanner#DEVICE_ATTRIBUTES}), sorted by name
 * @param driver the bound driver ({@code usb} for an enumerated device), or null
 * @param interfaces sorted by kernel name ({@code 1-1.2:1.0}, …)
 */
public record SysfsUsbDevice(
        @NotNull String kernelName,
        @NotNull SortedMap<String, String> attributes,
        @Nullable String driver,
        @NotNull List<SysfsUsbInterface> interfaces) {

    public SysfsUsbDevice {
        attributes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
        interfaces = List.copyOf(interfaces);
    }

    public boolean rootHub() {
        return kernelName.startsWith("usb");
    }

    public @NotNull Optional<String> attribute(final @NotNull String name) {
        return Optional.ofNullable(attributes.get(name));
    }

    /** The vendor id as 4 lower-case hex digits, or empty when sysfs had none that parses. */
    public @NotNull Optional<String> vid() {
        return attribute("idVendor").flatMap(SysfsUsbDevice::hex4);
    }

    public @NotNull Optional<String> pid() {
        return attribute("idProduct").flatMap(SysfsUsbDevice::hex4);
    }

    /**
     * The bus-port path of the hub this device is plugged into ({@code 1-1} for {@code 1-1.2}, {@code usb1} for
     * {@code 1-1}), or empty for a root hub.
     */
    public @NotNull Optional<String> parentKernelName() {
        return parentOf(kernelName);
    }

    static Optional<String> parentOf(final String kernelName) {
        if (kernelName.startsWith("usb")) {
            return Optional.empty();
        }
        final int dot = kernelName.lastIndexOf('.');
        if (dot > 0) {
            return Optional.of(kernelName.substring(0, dot));
        }
        final int dash = kernelName.indexOf('-');
        return dash > 0 ? Optional.of("usb" + kernelName.substring(0, dash)) : Optional.empty();
    }

    /** Four hex digits, lower case, or empty when {@code text} is not 1 to 4 hex digits. */
    static Optional<String> hex4(final String text) {
        if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return Optional.empty();
        }
        return Optional.of(String.format("%04x", Integer.parseInt(text, 16)));
    }
}
