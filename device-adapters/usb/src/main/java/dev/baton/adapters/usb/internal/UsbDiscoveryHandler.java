package dev.baton.adapters.usb.internal;

import dev.baton.adapters.api.discovery.DiscoveryConfig;
import dev.baton.adapters.api.discovery.DiscoveryHandler;
import dev.baton.adapters.api.discovery.ScanContext;
import dev.baton.adapters.api.discovery.ScanResult;
import dev.baton.adapters.usb.UsbDiscoveryConfig;
import dev.baton.adapters.usb.UsbDiscoveryHandlerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * The {@code usb} discovery handler: USB devices from Linux sysfs, serial ports from jSerialComm and the
 * configured {@code serialPorts}, linked to each other, filtered by {@code match}.
 *
 * <p>Threading: holds no state between scans; the agent calls {@link #scan} on its scan worker, one scan at a
 * time, and the scan blocks on file-system reads only (it opens no port).
 */
public final class UsbDiscoveryHandler implements DiscoveryHandler {

    @Override
    public @NotNull String name() {
        return UsbDiscoveryHandlerFactory.NAME;
    }

    @Override
    public void validate(final @NotNull DiscoveryConfig config) {
        UsbDiscoveryConfig.from(config);
    }

    @Override
    public @NotNull ScanResult scan(final @NotNull DiscoveryConfig config, final @NotNull ScanContext context)
            throws InterruptedException {
        final UsbDiscoveryConfig usb = UsbDiscoveryConfig.from(config);
        final List<String> problems = new ArrayList<>();

        final SysfsUsbScanner.Result sysfs = SysfsUsbScanner.scan(usb.sysfsRoot(), context.deadline());
        problems.addAll(sysfs.problems());
        if (!sysfs.present() && usb.sysfsRootConfigured()) {
            problems.add("USB devices are not listed: " + usb.sysfsRoot().resolve("bus/usb/devices")
                    + " does not exist; check discovery.usb.sysfsRoot");
        }
        final Map<String, String> byId =
                SerialByIdLinks.read(devRoot(usb.sysfsRoot()).resolve("serial/by-id"));

        final List<SerialPortInfo> enumerated = usb.serial() ? JSerialCommPorts.enumerate(problems) : List.of();
        final Map<String, SerialPortInfo> configured = new LinkedHashMap<>();
        for (final String port : usb.serialPorts()) {
            if (Thread.interrupted()) {
                throw new InterruptedException("USB scan interrupted");
            }
            describeConfigured(port, problems).ifPresent(info -> configured.put(port, info));
        }
        return UsbInventory.assemble(
                usb, new UsbInventory.Observed(sysfs.devices(), byId, enumerated, configured), problems);
    }

    /**
     * {@code /dev} next to sysfs: {@code /dev} on a host, {@code <fixture>/dev} beside {@code <fixture>/sys} in
     * tests.
     */
    static Path devRoot(final Path sysfsRoot) {
        final Path parent = sysfsRoot.getParent();
        return (parent == null ? sysfsRoot : parent).resolve("dev");
    }

    private static Optional<SerialPortInfo> describeConfigured(final String port, final List<String> problems) {
        final boolean windowsName = !port.startsWith("/") && !port.contains(":\\") && !port.startsWith("\\\\");
        if (!windowsName) {
            final Path path = Path.of(port);
            if (!Files.exists(path)) {
                problems.add("serial port " + port + " from discovery.usb.serialPorts does not exist"
                        + (Files.isSymbolicLink(path) ? " (the link is dangling)" : "")
                        + ": check the path, or whether the process that makes it (socat, a driver) runs");
                return Optional.empty();
            }
            if (Files.isRegularFile(path) || Files.isDirectory(path)) {
                problems.add("serial port " + port + " from discovery.usb.serialPorts is a "
                        + (Files.isDirectory(path) ? "directory" : "regular file")
                        + ", not a device: check the path");
                return Optional.empty();
            }
        }
        return JSerialCommPorts.describe(port, problems);
    }
}
