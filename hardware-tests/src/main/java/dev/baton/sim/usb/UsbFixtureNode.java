package dev.baton.sim.usb;

import java.util.List;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A device node the kernel binds below a USB interface, as the directories between the interface and the node:
 * {@code ttyUSB0/tty/ttyUSB0} for an FTDI port, {@code tty/ttyACM0} for CDC ACM, {@code video4linux/video0} for a
 * camera. The last segment carries the node's {@code dev} numbers and {@code DEVNAME}.
 *
 * @param segments the directories from the interface down, each written with its own subsystem and driver links
 * @param byIdLink the name of the link udev makes in {@code /dev/serial/by-id} for a tty, or null
 */
public record UsbFixtureNode(@NotNull List<Segment> segments, @Nullable String byIdLink) {

    /**
     * One directory.
     *
     * @param subsystem written as a {@code subsystem} link to {@code /sys/class/<s>} (class devices) or
     *     {@code /sys/bus/<s>} (bus devices), or none when null (a plain grouping directory such as {@code tty})
     * @param driver written as a {@code driver} link, or none
     * @param major with {@code minor}: the {@code dev} attribute; the directory is a node when major >= 0
     * @param devname {@code DEVNAME} in {@code uevent}, the path below {@code /dev}
     */
    public record Segment(
            @NotNull String name,
            @Nullable String subsystem,
            boolean busSubsystem,
            @Nullable String driver,
            int major,
            int minor,
            @Nullable String devname) {

        public Segment {
            Objects.requireNonNull(name, "name");
        }

        static Segment group(final String name) {
            return new Segment(name, null, false, null, -1, -1, null);
        }

        static Segment busDevice(final String name, final String bus, final String driver) {
            return new Segment(name, bus, true, driver, -1, -1, null);
        }

        static Segment classDevice(final String name, final String subsystem) {
            return new Segment(name, subsystem, false, null, -1, -1, null);
        }

        static Segment node(
                final String name, final String subsystem, final int major, final int minor, final String devname) {
            return new Segment(name, subsystem, false, null, major, minor, devname);
        }
    }

    public UsbFixtureNode {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a node needs at least one directory");
        }
    }

    /** The kernel name of the node: its last directory. */
    public @NotNull String kernelName() {
        return segments.get(segments.size() - 1).name();
    }

    /** A USB-serial converter port (ftdi_sio, ch341, cp210x, pl2303): {@code ttyUSBn/tty/ttyUSBn}. */
    public static @NotNull UsbFixtureNode usbSerialTty(
            final int index, final String driver, final @Nullable String byIdLink) {
        final String name = "ttyUSB" + index;
        return new UsbFixtureNode(
                List.of(
                        Segment.busDevice(name, "usb-serial", driver),
                        Segment.group("tty"),
                        Segment.node(name, "tty", 188, index, name)),
                byIdLink);
    }

    /** A CDC ACM port: {@code tty/ttyACMn}. */
    public static @NotNull UsbFixtureNode acmTty(final int index, final @Nullable String byIdLink) {
        final String name = "ttyACM" + index;
        return new UsbFixtureNode(List.of(Segment.group("tty"), Segment.node(name, "tty", 166, index, name)), byIdLink);
    }

    /** A V4L2 node: {@code video4linux/videon}. */
    public static @NotNull UsbFixtureNode video(final int index) {
        final String name = "video" + index;
        return new UsbFixtureNode(
                List.of(Segment.group("video4linux"), Segment.node(name, "video4linux", 81, index, name)), null);
    }

    /** A hidraw node below its HID device ({@code 0003:046D:C31C.0001/hidraw/hidrawN}). */
    public static @NotNull UsbFixtureNode hidraw(final String hidDevice, final int index) {
        final String name = "hidraw" + index;
        return new UsbFixtureNode(
                List.of(
                        Segment.busDevice(hidDevice, "hid", "hid-generic"),
                        Segment.group("hidraw"),
                        Segment.node(name, "hidraw", 247, index, name)),
                null);
    }

    /** An input event node below its HID device ({@code …/input/input3/event3}). */
    public static @NotNull UsbFixtureNode inputEvent(final String hidDevice, final int input, final int event) {
        return new UsbFixtureNode(
                List.of(
                        Segment.busDevice(hidDevice, "hid", "hid-generic"),
                        Segment.group("input"),
                        Segment.classDevice("input" + input, "input"),
                        Segment.node("event" + event, "input", 13, 64 + event, "input/event" + event)),
                null);
    }

    /** A SCSI disk below a usb-storage interface ({@code hostN/targetN:0:0/N:0:0:0/block/sdX}). */
    public static @NotNull UsbFixtureNode disk(final int host, final String disk, final int minor) {
        return new UsbFixtureNode(scsiPath(host, disk, minor), null);
    }

    /** A partition of {@link #disk}'s disk. */
    public static @NotNull UsbFixtureNode partition(
            final int host, final String disk, final int diskMinor, final int number) {
        final List<Segment> segments = new java.util.ArrayList<>(scsiPath(host, disk, diskMinor));
        segments.add(Segment.node(disk + number, "block", 8, diskMinor + number, disk + number));
        return new UsbFixtureNode(segments, null);
    }

    /** An ALSA control node ({@code sound/cardN/controlCN}), which the handler does not report. */
    public static @NotNull UsbFixtureNode soundControl(final int card) {
        return new UsbFixtureNode(
                List.of(
                        Segment.group("sound"),
                        Segment.classDevice("card" + card, "sound"),
                        Segment.node("controlC" + card, "sound", 116, card * 32, "snd/controlC" + card)),
                null);
    }

    private static List<Segment> scsiPath(final int host, final String disk, final int minor) {
        return List.of(
                Segment.busDevice("host" + host, "scsi", null),
                Segment.busDevice("target" + host + ":0:0", "scsi", null),
                Segment.busDevice(host + ":0:0:0", "scsi", "sd"),
                Segment.group("block"),
                Segment.node(disk, "block", 8, minor, disk));
    }
}
