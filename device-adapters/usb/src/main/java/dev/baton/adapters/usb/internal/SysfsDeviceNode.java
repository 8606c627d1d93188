package dev.baton.adapters.usb.internal;

import dev.baton.adapters.usb.UdevLevel;
import java.util.List;
import org.jetbrains.annotations.NotNull;

/**
 * A device node the kernel created for a USB interface: {@code /dev/ttyUSB0}, {@code /dev/video0}, …
 *
 * @param subsystem {@code tty}, {@code video4linux}, {@code hidraw}, {@code block} or {@code input}
 * @param kernelName {@code ttyUSB0}, {@code event3}, …
 * @param devnode the path under {@code /dev} from {@code uevent}'s {@code DEVNAME}
 * @param levelsBelowInterface the devices between the node and its interface, the node first (for a FTDI tty:
 *     the {@code tty} device, then the {@code usb-serial} port), for udev-style matching
 */
public record SysfsDeviceNode(
        @NotNull String subsystem,
        @NotNull String kernelName,
        @NotNull String devnode,
        @NotNull List<UdevLevel> levelsBelowInterface) {

    public SysfsDeviceNode {
        levelsBelowInterface = List.copyOf(levelsBelowInterface);
    }
}
