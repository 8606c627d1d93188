package dev.baton.adapters.usb.internal;

import dev.baton.adapters.usb.UdevLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the USB devices of a Linux sysfs tree: the entries of {@code <root>/bus/usb/devices} (links into
 * {@code <root>/devices/…}), their interfaces, and the device nodes bound below the interfaces (Linux
 * Documentation/ABI/stable/sysfs-bus-usb and sysfs-devices).
 *
 * <p>Bounded: at most {@link #MAX_ENTRIES} bus entries, {@link #MAX_INTERFACES} interfaces per device, and a walk of
 * at most {@link #MAX_WALKED_DIRECTORIES} directories, {@link #MAX_DEPTH} deep, below each interface. Only the bus
 * entries themselves are followed (once, to their real directory); no other link is, so link loops cannot trap the
 * walk. Entries that cannot be read are left out. Stateless; safe from any thread.
 */
public final class SysfsUsbScanner {

    private static final Logger LOG = LoggerFactory.getLogger(SysfsUsbScanner.class);

    static final int MAX_ENTRIES = 2048;
    static final int MAX_INTERFACES = 32;
    static final int MAX_WALKED_DIRECTORIES = 256;
    static final int MAX_DEPTH = 8;
    static final int MAX_NODES_PER_INTERFACE = 32;

    /** The device attributes read: what the handler reports and what {@code ATTR{…}} can match. */
    static final List<String> DEVICE_ATTRIBUTES = List.of(
            "idVendor",
            "idProduct",
            "serial",
            "manufacturer",
            "product",
            "busnum",
            "devnum",
            "devpath",
            "speed",
            "version",
            "bcdDevice",
            "bDeviceClass",
            "bDeviceSubClass",
            "bDeviceProtocol",
            "bNumInterfaces",
            "bConfigurationValue",
            "bMaxPower",
            "maxchild",
            "removable");

    static final List<String> INTERFACE_ATTRIBUTES = List.of(
            "bInterfaceNumber",
            "bAlternateSetting",
            "bInterfaceClass",
            "bInterfaceSubClass",
            "bInterfaceProtocol",
            "bNumEndpoints",
            "interface");

    /** The subsystems whose nodes are reported: what a user opens to talk to the device. */
    static final Set<String> NODE_SUBSYSTEMS = Set.of("tty", "video4linux", "hidraw", "block", "input");

    private static final Pattern DEVICE_NAME =
            Pattern.compile("usb[0-9]{1,3}|[0-9]{1,3}-[0-9]{1,3}(\\.[0-9]{1,3}){0,6}");
    private static final Pattern INTERFACE_NAME =
            Pattern.compile("[0-9]{1,3}-[0-9]{1,3}(\\.[0-9]{1,3}){0,6}:[0-9]{1,3}\\.[0-9]{1,3}");

    /**
     * What one read of the tree found.
     *
     * @param present false when {@code <root>/bus/usb/devices} does not exist
     * @param devices every USB device, root hubs included, sorted by kernel name
     * @param problems one sentence per thing that stopped the read early
     */
    public record Result(boolean present, @NotNull List<SysfsUsbDevice> devices, @NotNull List<String> problems) {

        public Result {
            devices = List.copyOf(devices);
            problems = List.copyOf(problems);
        }
    }

    private SysfsUsbScanner() {}

    /** Reads the tree below {@code sysfsRoot}, stopping at {@code deadline}. */
    public static @NotNull Result scan(final @NotNull Path sysfsRoot, final @NotNull Instant deadline)
            throws InterruptedException {
        final Path bus = sysfsRoot.resolve("bus").resolve("usb").resolve("devices");
        if (!Files.isDirectory(bus)) {
            return new Result(false, List.of(), List.of());
        }
        final List<String> names = SysfsFiles.entryNames(bus, MAX_ENTRIES + 1);
        final List<String> problems = new ArrayList<>();
        if (names.size() > MAX_ENTRIES) {
            problems.add("USB sysfs " + bus + " has more than " + MAX_ENTRIES + " entries; only the first were read");
        }
        final List<SysfsUsbDevice> devices = new ArrayList<>();
        int read = 0;
        for (final String name : names.subList(0, Math.min(names.size(), MAX_ENTRIES))) {
            if (Thread.interrupted()) {
                throw new InterruptedException("USB scan interrupted");
            }
            if (Instant.now().isAfter(deadline)) {
                problems.add("USB sysfs scan reached its deadline after " + read + " of " + names.size()
                        + " entries of " + bus + "; raise discovery.usb.timeoutMs");
                break;
            }
            read++;
            if (!DEVICE_NAME.matcher(name).matches()) {
                continue; // interfaces (1-1.2:1.0) are read with their device
            }
            final Path real = realDirectory(bus.resolve(name));
            if (real != null
                    && real.getFileName() != null
                    && real.getFileName().toString().equals(name)) {
                devices.add(readDevice(name, real));
            }
        }
        devices.sort((a, b) -> a.kernelName().compareTo(b.kernelName()));
        return new Result(true, devices, problems);
    }

    /** The real directory a bus entry links to, or null for a dangling or looping link or a non-directory. */
    private static Path realDirectory(final Path entry) {
        try {
            final Path real = entry.toRealPath();
            return Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS) ? real : null;
        } catch (final IOException | SecurityException e) {
            LOG.debug("USB sysfs entry {} left out: {}", entry, e.toString());
            return null;
        }
    }

    private static SysfsUsbDevice readDevice(final String name, final Path dir) {
        final SortedMap<String, String> attributes = readAttributes(dir, DEVICE_ATTRIBUTES);
        final List<SysfsUsbInterface> interfaces = new ArrayList<>();
        for (final Path child : SysfsFiles.subdirectories(dir, MAX_ENTRIES)) {
            final String childName = child.getFileName().toString();
            if (INTERFACE_NAME.matcher(childName).matches()) {
                interfaces.add(readInterface(childName, child));
                if (interfaces.size() == MAX_INTERFACES) {
                    break;
                }
            }
        }
        return new SysfsUsbDevice(
                name, attributes, SysfsFiles.linkTargetName(dir, "driver").orElse(null), interfaces);
    }

    private static SysfsUsbInterface readInterface(final String name, final Path dir) {
        return new SysfsUsbInterface(
                name,
                readAttributes(dir, INTERFACE_ATTRIBUTES),
                SysfsFiles.linkTargetName(dir, "driver").orElse(null),
                findNodes(dir));
    }

    private static SortedMap<String, String> readAttributes(final Path dir, final List<String> names) {
        final SortedMap<String, String> out = new TreeMap<>();
        for (final String attribute : names) {
            SysfsFiles.attribute(dir, attribute).ifPresent(value -> out.put(attribute, value));
        }
        return out;
    }

    /**
     * Walks below an interface, breadth-first and without following links, for directories with a {@code dev}
     * attribute and a {@code DEVNAME} in a subsystem of {@link #NODE_SUBSYSTEMS}.
     */
    private static List<SysfsDeviceNode> findNodes(final Path interfaceDir) {
        final List<SysfsDeviceNode> nodes = new ArrayList<>();
        final Deque<Step> queue = new ArrayDeque<>();
        queue.add(new Step(interfaceDir, 0, List.of()));
        int walked = 0;
        while (!queue.isEmpty() && walked < MAX_WALKED_DIRECTORIES && nodes.size() < MAX_NODES_PER_INTERFACE) {
            final Step step = queue.removeFirst();
            walked++;
            List<UdevLevel> levels = step.levelsAbove();
            if (step.depth() > 0) {
                final String subsystem =
                        SysfsFiles.linkTargetName(step.dir(), "subsystem").orElse(null);
                final String kernel = step.dir().getFileName().toString();
                if (subsystem != null) {
                    final UdevLevel level = new UdevLevel(
                            kernel,
                            subsystem,
                            SysfsFiles.linkTargetName(step.dir(), "driver").orElse(null),
                            readAttributes(step.dir(), List.of("dev")));
                    final List<UdevLevel> withThis = new ArrayList<>(levels.size() + 1);
                    withThis.add(level);
                    withThis.addAll(levels);
                    levels = List.copyOf(withThis);
                    if (NODE_SUBSYSTEMS.contains(subsystem)
                            && SysfsFiles.attribute(step.dir(), "dev").isPresent()) {
                        final String devname =
                                SysfsFiles.ueventValue(step.dir(), "DEVNAME").orElse(null);
                        if (devname != null && isSafeDevname(devname)) {
                            nodes.add(new SysfsDeviceNode(subsystem, kernel, "/dev/" + devname, levels));
                        }
                    }
                }
            }
            if (step.depth() < MAX_DEPTH) {
                for (final Path child : SysfsFiles.subdirectories(step.dir(), MAX_WALKED_DIRECTORIES)) {
                    final String childName = child.getFileName().toString();
                    if (!childName.equals("power")) {
                        queue.addLast(new Step(child, step.depth() + 1, levels));
                    }
                }
            }
        }
        nodes.sort((a, b) -> a.devnode().compareTo(b.devnode()));
        return nodes;
    }

    /** A relative path below /dev without '..' or empty elements, as the kernel writes it. */
    private static boolean isSafeDevname(final String devname) {
        if (devname.startsWith("/") || devname.endsWith("/")) {
            return false;
        }
        for (final String part : devname.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private record Step(Path dir, int depth, List<UdevLevel> levelsAbove) {}
}
