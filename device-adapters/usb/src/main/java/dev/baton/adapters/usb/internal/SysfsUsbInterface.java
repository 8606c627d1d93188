package dev.baton.adapters.usb.internal;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * One interface of a USB device's active configuration ({@code 1-1.2:1.0}), with the device nodes the kernel
 * bound below it.
 *
 * @param attributes see {@link SysfsUsbScanner#INTERFACE_ATTRIBUTES}
 * @param driver the bound driver ({@code cdc_acm}, {@code ftdi_sio}, {@code uvcvideo}), or null when none is
 * @param nodes sorted by device node path
 */
public record SysfsUsbInterface(
        @NotNull String kernelName,
        @NotNull SortedMap<String, String> attributes,
        @Nullable String driver,
        @NotNull List<SysfsDeviceNode> nodes) {

    public SysfsUsbInterface {
        attributes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
        nodes = List.copyOf(nodes);
    }

    /** {@code bInterfaceClass} as two lower-case hex digits, or empty. */
    public @NotNull Optional<String> interfaceClass() {
        return hex2("bInterfaceClass");
    }

    public @NotNull Optional<String> subClass() {
        return hex2("bInterfaceSubClass");
    }

    public @NotNull Optional<String> protocol() {
        return hex2("bInterfaceProtocol");
    }

    public @NotNull Optional<String> number() {
        return hex2("bInterfaceNumber");
    }

    private Optional<String> hex2(final String name) {
        final String value = attributes.get(name);
        if (value == null
                || value.isEmpty()
                || value.length() > 2
                || !value.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return Optional.empty();
        }
        return Optional.of(String.format("%02x", Integer.parseInt(value, 16)));
    }
}
