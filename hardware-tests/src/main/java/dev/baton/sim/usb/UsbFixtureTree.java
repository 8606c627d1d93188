package dev.baton.sim.usb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jetbrains.annotations.NotNull;

/**
 * A Linux-sysfs-shaped USB tree in a directory, as the kernel lays it out (Documentation/ABI/stable/sysfs-bus-usb,
 * sysfs-devices): real device directories under {@code sys/devices/pci0000:00/0000:00:14.0/usbN/…}, links to them in
 * {@code sys/bus/usb/devices}, {@code driver} and {@code subsystem} links, interfaces with their tty, video4linux,
 * hidraw, input and block nodes, {@code uevent} files, hub port directories, and udev's
 * {@code dev/serial/by-id} links beside it. Point the {@code usb} handler's {@code sysfsRoot} at
 * {@link #sysfsRoot()}.
 *
 * <p>{@link #plug} and {@link #unplug} change the tree as hot-plugging does: a replugged device gets a new
 * {@code devnum}, and unplugging removes the device, everything below it and every link into it.
 *
 * <p>Not thread-safe: one test owns one tree.
 */
public final class UsbFixtureTree {

    private static final String CONTROLLER = "devices/pci0000:00/0000:00:14.0";

    private final Path root;
    private final Path sys;
    private final Map<String, UsbFixtureDevice> plugged = new TreeMap<>();
    private final Map<Integer, Integer> nextDevnum = new HashMap<>();

    private UsbFixtureTree(final Path root) {
        this.root = root;
        this.sys = root.resolve("sys");
    }

    /** A tree with root hub {@code usb1} and nothing plugged. */
    public static @NotNull UsbFixtureTree empty(final @NotNull Path root) {
        final UsbFixtureTree tree = new UsbFixtureTree(root);
        tree.ensureRootHub(1);
        return tree;
    }

    /**
     * The standard tree: a hub on {@code 1-1} with an FTDI serial converter ({@code 1-1.1}, ttyUSB0), a MicroPython
     * CDC ACM board ({@code 1-1.2}, ttyACM0), a UVC webcam ({@code 1-1.3}, video0), an STM32 in DFU
     * ({@code 1-1.4}), an RP2040 in BOOTSEL ({@code 1-1.5}, sda), a HID keyboard ({@code 1-1.6}) and a CH340
     * without serial number ({@code 1-1.7}, ttyUSB1).
     */
    public static @NotNull UsbFixtureTree standard(final @NotNull Path root) {
        return empty(root)
                .plug(UsbFixtureDevice.hub("1-1"))
                .plug(UsbFixtureDevice.ftdiSerial("1-1.1"))
                .plug(UsbFixtureDevice.cdcAcm("1-1.2"))
                .plug(UsbFixtureDevice.uvcCamera("1-1.3"))
                .plug(UsbFixtureDevice.stm32Dfu("1-1.4"))
                .plug(UsbFixtureDevice.rp2040Boot("1-1.5"))
                .plug(UsbFixtureDevice.hidKeyboard("1-1.6"))
                .plug(UsbFixtureDevice.ch340WithoutSerial("1-1.7"));
    }

    /** Writes the standard tree into the directory {@code args[0]} and prints its {@code sysfsRoot}. */
    public static void main(final String[] args) {
        if (args.length != 1) {
            System.err.println("usage: UsbFixtureTree DIRECTORY  (writes DIRECTORY/sys and DIRECTORY/dev)");
            System.exit(2);
        }
        final UsbFixtureTree tree = standard(Path.of(args[0]).toAbsolutePath());
        System.out.println(tree.sysfsRoot());
    }

    public @NotNull Path root() {
        return root;
    }

    /** The value for the handler's {@code sysfsRoot}. */
    public @NotNull Path sysfsRoot() {
        return sys;
    }

    /** Where the {@code serial/by-id} links are. */
    public @NotNull Path devRoot() {
        return root.resolve("dev");
    }

    /** The bus paths of the plugged devices, root hubs excluded. */
    public @NotNull Set<String> plugged() {
        return java.util.Collections.unmodifiableSet(plugged.keySet());
    }

    /** The real directory of a plugged device ({@code sys/devices/…/1-1/1-1.2}). */
    public @NotNull Path deviceDirectory(final @NotNull String busPath) {
        if (!plugged.containsKey(busPath)) {
            throw new IllegalArgumentException("nothing is plugged at " + busPath + "; plugged: " + plugged.keySet());
        }
        return directoryOf(busPath);
    }

    /**
     * Plugs {@code device} in at its bus path, as the kernel and udev would show it.
     *
     * @throws IllegalStateException when its hub is not plugged or the port is taken
     */
    public @NotNull UsbFixtureTree plug(final @NotNull UsbFixtureDevice device) {
        final String busPath = device.busPath();
        if (plugged.containsKey(busPath)) {
            throw new IllegalStateException("port " + busPath + " already has a device; unplug it first");
        }
        final String parent = parentOf(busPath);
        if (!parent.startsWith("usb") && !plugged.containsKey(parent)) {
            throw new IllegalStateException("device " + busPath + " needs the hub at " + parent + "; plug it first");
        }
        ensureRootHub(device.bus());
        final int devnum = nextDevnum.merge(device.bus(), 1, Integer::sum);
        try {
            writeDevice(device, devnum);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write fixture device " + busPath, e);
        }
        plugged.put(busPath, device);
        return this;
    }

    /** Unplugs the device at {@code busPath} and, for a hub, everything behind it. */
    public @NotNull UsbFixtureTree unplug(final @NotNull String busPath) {
        final Path dir = deviceDirectory(busPath);
        try {
            deleteTree(dir);
            removeLinksInto(dir);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot remove fixture device " + busPath, e);
        }
        plugged.keySet().removeIf(p -> p.equals(busPath) || p.startsWith(busPath + "."));
        return this;
    }

    // --- writing ---

    private void ensureRootHub(final int bus) {
        final Path dir = sys.resolve(CONTROLLER).resolve("usb" + bus);
        if (Files.isDirectory(dir)) {
            return;
        }
        nextDevnum.put(bus, 1);
        try {
            Files.createDirectories(sys.resolve("bus/usb/drivers/usb"));
            Files.createDirectories(sys.resolve("bus/usb/drivers/hub"));
            // An xHCI controller has a USB 2.0 root hub (odd bus here) and a SuperSpeed one (even bus).
            final boolean superSpeed = bus % 2 == 0;
            final UsbFixtureDevice rootHub = new UsbFixtureDevice(
                    bus + "-0",
                    "1d6b",
                    superSpeed ? "0003" : "0002",
                    "0000:00:14.0",
                    "Linux 6.1.0-18-amd64 xhci-hcd",
                    "xHCI Host Controller",
                    superSpeed ? "5000" : "480",
                    superSpeed ? "3.00" : "2.00",
                    "0601",
                    "09",
                    8,
                    List.of(new UsbFixtureInterface(0, "09", "00", "00", 1, "hub", null, List.of())));
            writeDeviceAt(dir, "usb" + bus, rootHub, 1, bus + "-0");
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write fixture root hub usb" + bus, e);
        }
    }

    private void writeDevice(final UsbFixtureDevice device, final int devnum) throws IOException {
        final String busPath = device.busPath();
        writeDeviceAt(directoryOf(busPath), busPath, device, devnum, busPath);
        // The hub's port directory points at what is plugged into it, as the kernel's usb_port links do.
        final String parent = parentOf(busPath);
        final String hubName = parent;
        final String hubInterface = (parent.startsWith("usb") ? parent.substring(3) + "-0" : parent) + ":1.0";
        final Path port = directoryOf(parent).resolve(hubInterface).resolve(hubName + "-port" + portNumber(busPath));
        Files.createDirectories(port);
        link(port.resolve("device"), directoryOf(busPath));
    }

    /**
     * Writes one device directory.
     *
     * @param interfacePrefix what interface names start with: the bus path, or {@code N-0} for root hub N
     */
    private void writeDeviceAt(
            final Path dir,
            final String name,
            final UsbFixtureDevice device,
            final int devnum,
            final String interfacePrefix)
            throws IOException {
        Files.createDirectories(dir);
        final int bus = device.bus();
        write(dir, "idVendor", device.vid());
        write(dir, "idProduct", device.pid());
        if (device.serial() != null) {
            write(dir, "serial", device.serial());
        }
        if (device.manufacturer() != null) {
            write(dir, "manufacturer", device.manufacturer());
        }
        if (device.product() != null) {
            write(dir, "product", device.product());
        }
        write(dir, "busnum", Integer.toString(bus));
        write(dir, "devnum", Integer.toString(devnum));
        write(dir, "devpath", name.startsWith("usb") ? "0" : name.substring(name.indexOf('-') + 1));
        write(dir, "speed", device.speed());
        write(dir, "version", " " + device.usbVersion());
        write(dir, "bcdDevice", device.bcdDevice());
        write(dir, "bDeviceClass", device.deviceClass());
        write(dir, "bDeviceSubClass", device.deviceClass().equals("ef") ? "02" : "00");
        write(dir, "bDeviceProtocol", device.deviceClass().equals("ef") ? "01" : "00");
        write(dir, "bNumInterfaces", String.format("%2d", device.interfaces().size()));
        write(dir, "bConfigurationValue", "1");
        write(dir, "bMaxPower", "100mA");
        write(dir, "maxchild", Integer.toString(device.maxChild()));
        write(dir, "removable", name.startsWith("usb") ? "unknown" : "removable");
        write(dir, "dev", "189:" + ((bus - 1) * 128 + devnum - 1));
        write(
                dir,
                "uevent",
                "MAJOR=189\nMINOR=" + ((bus - 1) * 128 + devnum - 1) + "\nDEVNAME="
                        + String.format("bus/usb/%03d/%03d", bus, devnum) + "\nDEVTYPE=usb_device\nDRIVER=usb\nPRODUCT="
                        + Integer.parseInt(device.vid(), 16) + "/" + Integer.parseInt(device.pid(), 16) + "/"
                        + Integer.parseInt(device.bcdDevice(), 16) + "\nTYPE="
                        + Integer.parseInt(device.deviceClass(), 16)
                        + "/0/0\nBUSNUM=" + String.format("%03d", bus) + "\nDEVNUM=" + String.format("%03d", devnum));
        Files.write(dir.resolve("descriptors"), deviceDescriptor(device));
        Files.createDirectories(dir.resolve("power"));
        write(dir.resolve("power"), "control", "auto");
        write(dir.resolve("power"), "autosuspend_delay_ms", "2000");
        link(dir.resolve("subsystem"), sys.resolve("bus/usb"));
        link(dir.resolve("driver"), sys.resolve("bus/usb/drivers/usb"));
        link(sys.resolve("bus/usb/devices").resolve(name), dir);
        for (final UsbFixtureInterface usbInterface : device.interfaces()) {
            writeInterface(dir, interfacePrefix + ":1." + usbInterface.number(), device, usbInterface);
        }
    }

    private void writeInterface(
            final Path deviceDir,
            final String name,
            final UsbFixtureDevice device,
            final UsbFixtureInterface usbInterface)
            throws IOException {
        final Path dir = deviceDir.resolve(name);
        Files.createDirectories(dir);
        write(dir, "bInterfaceNumber", String.format("%02x", usbInterface.number()));
        write(dir, "bAlternateSetting", " 0");
        write(dir, "bInterfaceClass", usbInterface.interfaceClass());
        write(dir, "bInterfaceSubClass", usbInterface.subClass());
        write(dir, "bInterfaceProtocol", usbInterface.protocol());
        write(dir, "bNumEndpoints", String.format("%02x", usbInterface.endpoints()));
        if (usbInterface.name() != null) {
            write(dir, "interface", usbInterface.name());
        }
        write(
                dir,
                "uevent",
                "DEVTYPE=usb_interface\n"
                        + (usbInterface.driver() == null ? "" : "DRIVER=" + usbInterface.driver() + "\n")
                        + "PRODUCT=" + Integer.parseInt(device.vid(), 16) + "/" + Integer.parseInt(device.pid(), 16)
                        + "/"
                        + Integer.parseInt(device.bcdDevice(), 16) + "\nINTERFACE="
                        + Integer.parseInt(usbInterface.interfaceClass(), 16) + "/"
                        + Integer.parseInt(usbInterface.subClass(), 16) + "/"
                        + Integer.parseInt(usbInterface.protocol(), 16) + "\nMODALIAS=usb:v"
                        + device.vid().toUpperCase(java.util.Locale.ROOT) + "p"
                        + device.pid().toUpperCase(java.util.Locale.ROOT)
                        + "d" + device.bcdDevice() + "dc" + device.deviceClass().toUpperCase(java.util.Locale.ROOT)
                        + "ic"
                        + usbInterface.interfaceClass().toUpperCase(java.util.Locale.ROOT) + "isc"
                        + usbInterface.subClass().toUpperCase(java.util.Locale.ROOT) + "ip"
                        + usbInterface.protocol().toUpperCase(java.util.Locale.ROOT) + "in"
                        + String.format("%02X", usbInterface.number()));
        Files.createDirectories(dir.resolve("power"));
        write(dir.resolve("power"), "runtime_status", "active");
        final Path endpoint = dir.resolve("ep_81");
        Files.createDirectories(endpoint);
        write(endpoint, "bEndpointAddress", "81");
        write(endpoint, "type", "Bulk");
        link(dir.resolve("subsystem"), sys.resolve("bus/usb"));
        if (usbInterface.driver() != null) {
            final Path driver = sys.resolve("bus/usb/drivers").resolve(usbInterface.driver());
            Files.createDirectories(driver);
            link(dir.resolve("driver"), driver);
            link(driver.resolve(name), dir);
        }
        link(sys.resolve("bus/usb/devices").resolve(name), dir);
        for (final UsbFixtureNode node : usbInterface.nodes()) {
            writeNode(dir, node);
        }
    }

    private void writeNode(final Path interfaceDir, final UsbFixtureNode node) throws IOException {
        Path at = interfaceDir;
        for (final UsbFixtureNode.Segment segment : node.segments()) {
            at = at.resolve(segment.name());
            Files.createDirectories(at);
            if (segment.subsystem() != null) {
                final Path subsystem = segment.busSubsystem()
                        ? sys.resolve("bus").resolve(segment.subsystem())
                        : sys.resolve("class").resolve(segment.subsystem());
                Files.createDirectories(subsystem);
                link(at.resolve("subsystem"), subsystem);
                if (!segment.busSubsystem()) {
                    link(subsystem.resolve(segment.name()), at);
                }
            }
            if (segment.driver() != null) {
                final Path driver = sys.resolve("bus")
                        .resolve(segment.subsystem())
                        .resolve("drivers")
                        .resolve(segment.driver());
                Files.createDirectories(driver);
                link(at.resolve("driver"), driver);
            }
            if (segment.major() >= 0) {
                write(at, "dev", segment.major() + ":" + segment.minor());
                write(
                        at,
                        "uevent",
                        "MAJOR=" + segment.major() + "\nMINOR=" + segment.minor() + "\nDEVNAME=" + segment.devname());
                Files.createDirectories(at.resolve("power"));
                write(at.resolve("power"), "control", "auto");
            }
        }
        if (node.byIdLink() != null) {
            final Path byId = devRoot().resolve("serial/by-id");
            Files.createDirectories(byId);
            final Path linkPath = byId.resolve(node.byIdLink());
            Files.deleteIfExists(linkPath);
            Files.createSymbolicLink(linkPath, Path.of("../../" + node.kernelName()));
        }
    }

    // --- removing ---

    private static void deleteTree(final Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(final Path directory, final IOException failure)
                    throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Removes every link (bus, driver, class, hub port, by-id) that pointed into the removed directory. */
    private void removeLinksInto(final Path removed) throws IOException {
        final Map<String, Path> ttys = new HashMap<>();
        for (final Path base : List.of(sys.resolve("bus"), sys.resolve("class"), sys.resolve("devices"))) {
            if (!Files.isDirectory(base)) {
                continue;
            }
            final List<Path> links = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(base)) {
                walk.filter(Files::isSymbolicLink).forEach(links::add);
            }
            for (final Path link : links) {
                final Path target =
                        link.getParent().resolve(Files.readSymbolicLink(link)).normalize();
                if (target.startsWith(removed)) {
                    if (link.getParent().endsWith("class/tty")) {
                        ttys.put(link.getFileName().toString(), link);
                    }
                    Files.delete(link);
                }
            }
        }
        final Path byId = devRoot().resolve("serial/by-id");
        if (Files.isDirectory(byId)) {
            try (Stream<Path> links = Files.list(byId)) {
                for (final Path link : links.toList()) {
                    final Path target = Files.readSymbolicLink(link).getFileName();
                    if (target != null && ttys.containsKey(target.toString())) {
                        Files.delete(link);
                    }
                }
            }
        }
    }

    // --- paths ---

    private Path directoryOf(final String busPath) {
        if (busPath.startsWith("usb")) {
            return sys.resolve(CONTROLLER).resolve(busPath);
        }
        return directoryOf(parentOf(busPath)).resolve(busPath);
    }

    private static String parentOf(final String busPath) {
        final int dot = busPath.lastIndexOf('.');
        if (dot > 0) {
            return busPath.substring(0, dot);
        }
        return "usb" + busPath.substring(0, busPath.indexOf('-'));
    }

    private static String portNumber(final String busPath) {
        final int dot = busPath.lastIndexOf('.');
        return busPath.substring(dot > 0 ? dot + 1 : busPath.indexOf('-') + 1);
    }

    private static void write(final Path dir, final String name, final String value) throws IOException {
        Files.writeString(dir.resolve(name), value + "\n", StandardCharsets.UTF_8);
    }

    private static void link(final Path link, final Path target) throws IOException {
        Files.createDirectories(link.getParent());
        if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(link);
        }
        Files.createSymbolicLink(link, link.getParent().relativize(target));
    }

    /** The 18-byte standard device descriptor (USB 2.0, table 9-8), little-endian. */
    private static byte[] deviceDescriptor(final UsbFixtureDevice device) {
        final int vid = Integer.parseInt(device.vid(), 16);
        final int pid = Integer.parseInt(device.pid(), 16);
        final int release = Integer.parseInt(device.bcdDevice(), 16);
        final int usb = device.usbVersion().equals("1.10") ? 0x0110 : 0x0200;
        return new byte[] {
            18,
            1,
            (byte) usb,
            (byte) (usb >> 8),
            (byte) Integer.parseInt(device.deviceClass(), 16),
            0,
            0,
            64,
            (byte) vid,
            (byte) (vid >> 8),
            (byte) pid,
            (byte) (pid >> 8),
            (byte) release,
            (byte) (release >> 8),
            (byte) (device.manufacturer() == null ? 0 : 1),
            (byte) (device.product() == null ? 0 : 2),
            (byte) (device.serial() == null ? 0 : 3),
            1
        };
    }
}
