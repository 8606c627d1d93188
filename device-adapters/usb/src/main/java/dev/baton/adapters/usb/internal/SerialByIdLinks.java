package dev.baton.adapters.usb.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.jetbrains.annotations.NotNull;

/**
 * The links udev makes in {@code /dev/serial/by-id} (from the USB vendor, product, serial number and interface),
 * which name a port the same way whatever order devices were plugged in.
 */
public final class SerialByIdLinks {

    static final int MAX_LINKS = 256;
    static final String CANONICAL_DIRECTORY = "/dev/serial/by-id/";

    private SerialByIdLinks() {}

    /**
     * Reads {@code directory} (the host's {@code /dev/serial/by-id}, or a fixture's): for each kernel name the
     * link points at ({@code ttyUSB0}), the link as it is named on the host, {@code /dev/serial/by-id/<link>}.
     * When two links name one port, the first in name order wins. Missing or unreadable: empty.
     */
    public static @NotNull Map<String, String> read(final @NotNull Path directory) {
        final Map<String, String> out = new TreeMap<>();
        for (final String name : SysfsFiles.entryNames(directory, MAX_LINKS)) {
            if (name.chars().anyMatch(Character::isISOControl)) {
                continue;
            }
            SysfsFiles.linkTargetName(directory, name)
                    .ifPresent(kernel -> out.putIfAbsent(kernel, CANONICAL_DIRECTORY + name));
        }
        return out;
    }
}
