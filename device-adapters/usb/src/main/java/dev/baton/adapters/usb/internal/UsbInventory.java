package dev.baton.adapters.usb.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.discovery.DeviceKinds;
import dev.baton.adapters.api.discovery.ScanResult;
import dev.baton.adapters.usb.UdevLevel;
import dev.baton.adapters.usb.UsbDiscoveryConfig;
import dev.baton.adapters.usb.UsbDiscoveryHandlerFactory;
import dev.baton.protocol.Device;
import dev.baton.protocol.Limits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Turns what one scan read (sysfs devices, jSerialComm ports, the configured extra ports, the by-id links) into
 * the devices the handler reports: ids, kinds, names, properties, the link from a serial port to its USB device,
 * and the {@code match} filter. Pure: the same input gives the same devices with the same content hashes, in id
 * order.
 */
public final class UsbInventory {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Three quarters of the protocol's limit per device, so that the agent's own additions still fit. */
    static final int PROPERTY_BUDGET_BYTES = Limits.MAX_DEVICE_PROPERTY_BYTES * 3 / 4;

    /**
     * What one scan read.
     *
     * @param byIdLinks kernel name to {@code /dev/serial/by-id/…} link, from {@link SerialByIdLinks}
     * @param enumeratedPorts jSerialComm's list; empty when {@code serial} is false
     * @param configuredPorts each {@code serialPorts} path that names a port, with jSerialComm's description
     */
    public record Observed(
            @NotNull List<SysfsUsbDevice> usbDevices,
            @NotNull Map<String, String> byIdLinks,
            @NotNull List<SerialPortInfo> enumeratedPorts,
            @NotNull Map<String, SerialPortInfo> configuredPorts) {

        public Observed {
            usbDevices = List.copyOf(usbDevices);
            byIdLinks = Map.copyOf(byIdLinks);
            enumeratedPorts = List.copyOf(enumeratedPorts);
            configuredPorts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(configuredPorts));
        }
    }

    private UsbInventory() {}

    public static @NotNull ScanResult assemble(
            final @NotNull UsbDiscoveryConfig config,
            final @NotNull Observed observed,
            final @NotNull List<String> problems) {
        final Map<String, SysfsUsbDevice> byKernel = new TreeMap<>();
        observed.usbDevices().forEach(device -> byKernel.put(device.kernelName(), device));
        final List<SysfsUsbDevice> reported = observed.usbDevices().stream()
                .filter(device -> config.rootHubs() || !device.rootHub())
                .toList();
        final Map<String, String> ids = usbIds(reported, problems);

        final List<Candidate> candidates = new ArrayList<>();
        for (final SysfsUsbDevice device : reported) {
            candidates.add(new Candidate(usbDevice(ids.get(device.kernelName()), device), hubChain(device, byKernel)));
        }
        for (final PortDraft port : serialPorts(observed, reported, byKernel, ids)) {
            candidates.add(port.toCandidate());
        }

        final Map<String, Device> out = new TreeMap<>();
        for (final Candidate candidate : candidates) {
            if (config.match().isEmpty() || config.match().stream().anyMatch(m -> m.matches(candidate.path()))) {
                out.putIfAbsent(candidate.device().id(), candidate.device());
            }
        }
        return new ScanResult(List.copyOf(out.values()), problems);
    }

    private record Candidate(Device device, List<UdevLevel> path) {}

    /** Global ids where the serial number is unique in this scan, bus-path ids elsewhere. */
    private static Map<String, String> usbIds(final List<SysfsUsbDevice> devices, final List<String> problems) {
        final Map<String, List<SysfsUsbDevice>> byGlobalId = new TreeMap<>();
        final Map<String, String> ids = new HashMap<>();
        for (final SysfsUsbDevice device : devices) {
            final Optional<String> vid = device.vid();
            final Optional<String> pid = device.pid();
            final Optional<String> serial = device.attribute("serial");
            if (vid.isPresent() && pid.isPresent() && serial.isPresent()) {
                byGlobalId
                        .computeIfAbsent(DeviceIds.usb(vid.get(), pid.get(), serial.get()), k -> new ArrayList<>())
                        .add(device);
            } else {
                ids.put(device.kernelName(), DeviceIds.usbPath(device.kernelName()));
            }
        }
        byGlobalId.forEach((id, sharing) -> {
            if (sharing.size() == 1) {
                ids.put(sharing.get(0).kernelName(), id);
            } else {
                final List<String> paths =
                        sharing.stream().map(SysfsUsbDevice::kernelName).toList();
                problems.add("USB devices at " + String.join(", ", paths) + " share the vendor, product and serial"
                        + " number of " + id + "; each is identified by its bus path instead, which changes when it"
                        + " is plugged elsewhere");
                sharing.forEach(d -> ids.put(d.kernelName(), DeviceIds.usbPath(d.kernelName())));
            }
        });
        return ids;
    }

    private static Device usbDevice(final String id, final SysfsUsbDevice device) {
        final UsbClassification classification = UsbClassifier.classify(device);
        final ObjectNode properties = JSON.objectNode();
        device.vid().ifPresent(v -> properties.put("vid", v));
        device.pid().ifPresent(v -> properties.put("pid", v));
        device.attribute("serial").ifPresent(v -> properties.put("serialNumber", v));
        device.attribute("manufacturer").ifPresent(v -> properties.put("manufacturer", v));
        device.attribute("product").ifPresent(v -> properties.put("product", v));
        properties.put("busPath", device.kernelName());
        number(device.attribute("busnum")).ifPresent(v -> properties.put("busnum", v));
        number(device.attribute("devnum")).ifPresent(v -> properties.put("devnum", v));
        device.attribute("speed").ifPresent(v -> properties.put("speed", v));
        device.attribute("version").ifPresent(v -> properties.put("usbVersion", v));
        device.attribute("bDeviceClass")
                .ifPresent(v -> properties.put("deviceClass", v.toLowerCase(java.util.Locale.ROOT)));
        properties.put("class", classification.deviceClass());
        if (classification.bootloader() != null) {
            properties.put("bootloader", classification.bootloader());
        }
        if (classification.bridge() != null) {
            properties.put("bridge", classification.bridge());
        }
        final String driver = mainDriver(device);
        if (driver != null) {
            properties.put("driver", driver);
        }
        final ArrayNode interfaces = properties.putArray("interfaces");
        final TreeSet<String> devnodes = new TreeSet<>();
        for (final SysfsUsbInterface usbInterface : device.interfaces()) {
            final ObjectNode entry = interfaces.addObject();
            usbInterface.number().ifPresent(v -> entry.put("number", v));
            usbInterface.interfaceClass().ifPresent(v -> entry.put("class", v));
            usbInterface.subClass().ifPresent(v -> entry.put("subClass", v));
            usbInterface.protocol().ifPresent(v -> entry.put("protocol", v));
            if (usbInterface.driver() != null) {
                entry.put("driver", usbInterface.driver());
            }
            final String name = usbInterface.attributes().get("interface");
            if (name != null) {
                entry.put("name", name);
            }
            usbInterface.nodes().forEach(node -> devnodes.add(node.devnode()));
        }
        final ArrayNode nodes = properties.putArray("devnodes");
        devnodes.forEach(nodes::add);
        fitToBudget(properties);
        final String kind = classification.bootloader() != null ? DeviceKinds.MCU : DeviceKinds.USB_DEVICE;
        return new Device(id, kind, UsbDiscoveryHandlerFactory.NAME, usbName(device), properties);
    }

    /**
     * Keeps the properties within the protocol's per-device limit ({@link Limits#MAX_DEVICE_PROPERTY_BYTES}) with
     * room to spare: a composite device with dozens of named interfaces and nodes first loses the interface names,
     * then the tail of its lists, and says so with {@code truncated}.
     */
    static void fitToBudget(final ObjectNode properties) {
        if (encodedSize(properties) <= PROPERTY_BUDGET_BYTES) {
            return;
        }
        properties.withArray("interfaces").forEach(entry -> ((ObjectNode) entry).remove("name"));
        if (encodedSize(properties) > PROPERTY_BUDGET_BYTES) {
            final ArrayNode interfaces = properties.withArray("interfaces");
            while (interfaces.size() > 8) {
                interfaces.remove(interfaces.size() - 1);
            }
            final ArrayNode devnodes = properties.withArray("devnodes");
            while (devnodes.size() > 16) {
                devnodes.remove(devnodes.size() - 1);
            }
        }
        properties.put("truncated", true);
    }

    private static int encodedSize(final ObjectNode properties) {
        return properties.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /**
     * The driver that tells what the device is: the first interface's that has one ({@code ftdi_sio},
     * {@code uvcvideo}); the device's own is always the generic {@code usb}, so it is not reported, and a device
     * no interface driver claimed (a DFU bootloader) has none.
     */
    private static @Nullable String mainDriver(final SysfsUsbDevice device) {
        for (final SysfsUsbInterface usbInterface : device.interfaces()) {
            if (usbInterface.driver() != null) {
                return usbInterface.driver();
            }
        }
        return null;
    }

    private static String usbName(final SysfsUsbDevice device) {
        final String manufacturer = device.attribute("manufacturer").orElse(null);
        final String product = device.attribute("product").orElse(null);
        if (product != null) {
            return manufacturer == null || product.startsWith(manufacturer) ? product : manufacturer + " " + product;
        }
        return "USB device " + device.vid().orElse("????") + ":" + device.pid().orElse("????")
                + (manufacturer == null ? "" : " by " + manufacturer);
    }

    private static Optional<Integer> number(final Optional<String> text) {
        return text.flatMap(value -> {
            try {
                return Optional.of(Integer.parseInt(value));
            } catch (final NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** The device and the hubs above it, nearest first: the udev device path upwards from a USB device. */
    private static List<UdevLevel> hubChain(final SysfsUsbDevice device, final Map<String, SysfsUsbDevice> byKernel) {
        final List<UdevLevel> chain = new ArrayList<>();
        SysfsUsbDevice at = device;
        while (at != null && chain.size() <= 8) {
            chain.add(new UdevLevel(at.kernelName(), "usb", at.driver(), at.attributes()));
            at = at.parentKernelName().map(byKernel::get).orElse(null);
        }
        return chain;
    }

    private static UdevLevel interfaceLevel(final SysfsUsbInterface usbInterface) {
        return new UdevLevel(usbInterface.kernelName(), "usb", usbInterface.driver(), usbInterface.attributes());
    }

    private static List<PortDraft> serialPorts(
            final Observed observed,
            final List<SysfsUsbDevice> reported,
            final Map<String, SysfsUsbDevice> byKernel,
            final Map<String, String> ids) {
        final Map<String, PortDraft> bySystemPath = new LinkedHashMap<>();
        for (final SysfsUsbDevice device : reported) {
            for (final SysfsUsbInterface usbInterface : device.interfaces()) {
                for (final SysfsDeviceNode node : usbInterface.nodes()) {
                    if (node.subsystem().equals("tty")) {
                        final PortDraft draft = bySystemPath.computeIfAbsent(
                                node.devnode(), path -> new PortDraft(path, node.kernelName()));
                        draft.fromSysfs(device, usbInterface, node, ids.get(device.kernelName()), byKernel);
                    }
                }
            }
        }
        for (final SerialPortInfo info : observed.enumeratedPorts()) {
            bySystemPath
                    .computeIfAbsent(info.systemPortPath(), path -> new PortDraft(path, info.systemPortName()))
                    .fromJSerialComm(info);
        }
        observed.configuredPorts().forEach((configured, info) -> {
            final PortDraft draft = bySystemPath.computeIfAbsent(
                    info.systemPortPath(), path -> new PortDraft(path, info.systemPortName()));
            draft.fromJSerialComm(info);
            if (draft.configuredPath == null) {
                draft.configuredPath = configured;
            }
        });
        bySystemPath.values().forEach(draft -> draft.byIdPath = byIdFor(draft, observed.byIdLinks()));
        return List.copyOf(bySystemPath.values());
    }

    private static @Nullable String byIdFor(final PortDraft draft, final Map<String, String> links) {
        final String link = links.get(draft.systemPortName);
        return link != null && draft.systemPortPath.equals("/dev/" + draft.systemPortName) ? link : null;
    }

    /** What is known of one serial port, merged from sysfs, jSerialComm and the configuration. Scan-local. */
    private static final class PortDraft {

        final String systemPortPath;
        final String systemPortName;
        String configuredPath;
        String byIdPath;
        String description;
        String manufacturer;
        String vid;
        String pid;
        String serialNumber;
        String location;
        String driver;
        String usbDevice;
        String bootloader;
        List<UdevLevel> sysfsPath;

        PortDraft(final String systemPortPath, final String systemPortName) {
            this.systemPortPath = systemPortPath;
            this.systemPortName = systemPortName;
        }

        void fromSysfs(
                final SysfsUsbDevice device,
                final SysfsUsbInterface usbInterface,
                final SysfsDeviceNode node,
                final String deviceId,
                final Map<String, SysfsUsbDevice> byKernel) {
            description = firstOf(
                    usbInterface.attributes().get("interface"),
                    device.attribute("product").orElse(null));
            manufacturer = device.attribute("manufacturer").orElse(null);
            vid = device.vid().orElse(null);
            pid = device.pid().orElse(null);
            serialNumber = device.attribute("serial").orElse(null);
            location = device.kernelName();
            driver = usbInterface.driver();
            usbDevice = deviceId;
            bootloader = UsbClassifier.classify(device).bootloader();
            final List<UdevLevel> path = new ArrayList<>(node.levelsBelowInterface());
            path.add(interfaceLevel(usbInterface));
            path.addAll(hubChain(device, byKernel));
            sysfsPath = path;
        }

        void fromJSerialComm(final SerialPortInfo info) {
            description = firstOf(description, info.description());
            manufacturer = firstOf(manufacturer, info.manufacturer());
            vid = firstOf(vid, info.vid());
            pid = firstOf(pid, info.pid());
            serialNumber = firstOf(serialNumber, info.serialNumber());
            location = firstOf(location, info.location());
        }

        Candidate toCandidate() {
            final String port = byIdPath != null ? byIdPath : configuredPath != null ? configuredPath : systemPortPath;
            final ObjectNode properties = JSON.objectNode();
            properties.put("port", port);
            properties.put("systemPortPath", systemPortPath);
            properties.put("systemPortName", systemPortName);
            putIfKnown(properties, "description", description);
            putIfKnown(properties, "manufacturer", manufacturer);
            putIfKnown(properties, "vid", vid);
            putIfKnown(properties, "pid", pid);
            putIfKnown(properties, "serialNumber", serialNumber);
            putIfKnown(properties, "location", location);
            putIfKnown(properties, "driver", driver);
            putIfKnown(properties, "usbDevice", usbDevice);
            putIfKnown(properties, "bootloader", bootloader);
            final String name = description == null ? systemPortName : description + " (" + systemPortName + ")";
            final Device device = new Device(
                    DeviceIds.serialPort(port),
                    DeviceKinds.SERIAL_PORT,
                    UsbDiscoveryHandlerFactory.NAME,
                    name,
                    properties);
            return new Candidate(device, sysfsPath != null ? sysfsPath : synthesisedPath());
        }

        /** Without sysfs: the tty, then what jSerialComm knows of the USB device above it. */
        private List<UdevLevel> synthesisedPath() {
            final List<UdevLevel> path = new ArrayList<>();
            path.add(new UdevLevel(systemPortName, "tty", null, Map.of()));
            if (vid != null) {
                final Map<String, String> attributes = new TreeMap<>();
                attributes.put("idVendor", vid);
                if (pid != null) {
                    attributes.put("idProduct", pid);
                }
                if (serialNumber != null) {
                    attributes.put("serial", serialNumber);
                }
                if (manufacturer != null) {
                    attributes.put("manufacturer", manufacturer);
                }
                path.add(new UdevLevel(location == null ? "" : location, "usb", null, attributes));
            }
            return path;
        }

        private static void putIfKnown(final ObjectNode properties, final String key, final String value) {
            if (value != null) {
                properties.put(key, value);
            }
        }

        private static String firstOf(final String preferred, final String fallback) {
            return preferred != null ? preferred : fallback;
        }
    }
}
