package dev.baton.adapters.mcu.component.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.adapters.mcu.component.FirmwareTarget;
import dev.baton.adapters.mcu.component.TargetSelector;
import dev.baton.protocol.Device;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Resolves a {@link TargetSelector} against the node's inventory. Pure: the same selector and devices give the same
 * targets, in device ID order.
 *
 * <p>Which inventory entries count depends on what the back-end flashes through: serial back-ends take
 * {@code serial-port} devices (properties {@code port}, {@code vid}, {@code pid}, {@code serialNumber} of the usb
 * discovery), so that a board is not matched twice through its USB device and its port; volume and USB back-ends
 * take {@code usb-device} and {@code mcu} devices (their {@code devnodes} lead to the block device).
 */
public final class TargetResolver {

    static final String SERIAL_PORT = "serial-port";
    static final Set<String> USB_KINDS = Set.of("usb-device", "mcu");

    /**
     * The targets, or why there are none.
     *
     * @param problem for an empty list, what the operator should know ("no device matches …"); null otherwise
     */
    public record Resolution(@NotNull List<FirmwareTarget> targets, @Nullable String problem) {}

    private TargetResolver() {}

    public static @NotNull Resolution resolve(
            final @NotNull TargetSelector selector,
            final FirmwareTarget.@NotNull Type type,
            final @NotNull List<Device> devices) {
        if (selector instanceof TargetSelector.Port port) {
            final Optional<Device> known = devices.stream()
                    .filter(d -> d.kind().equals(SERIAL_PORT))
                    .filter(d ->
                            port.path().equals(text(d, "port")) || port.path().equals(text(d, "systemPortPath")))
                    .findFirst();
            return one(new FirmwareTarget(
                    "port:" + port.path(),
                    known.map(Device::id).orElse(null),
                    port.path(),
                    known.map(Device::properties).orElse(null)));
        }
        if (selector instanceof TargetSelector.Volume volume) {
            return one(FirmwareTarget.ofLocation("volume", volume.path()));
        }
        if (selector instanceof TargetSelector.Search) {
            return one(new FirmwareTarget("volume:search", null, null, null));
        }
        if (selector instanceof TargetSelector.DeviceId wanted) {
            final Optional<Device> device =
                    devices.stream().filter(d -> d.id().equals(wanted.id())).findFirst();
            if (device.isEmpty()) {
                return new Resolution(
                        List.of(),
                        "device " + wanted.id() + " is not in this node's inventory (" + devices.size()
                                + " devices present); check the ID in the hub's device list, and that discovery"
                                + " is on and the device plugged in");
            }
            final String location = location(device.get(), type);
            if (type == FirmwareTarget.Type.SERIAL_PORT && location == null) {
                return new Resolution(
                        List.of(),
                        "device " + wanted.id() + " (" + device.get().kind() + ") has no serial port to flash"
                                + " through");
            }
            return one(new FirmwareTarget(
                    device.get().id(), device.get().id(), location, device.get().properties()));
        }
        final TargetSelector.Match match = (TargetSelector.Match) selector;
        final List<FirmwareTarget> targets = new ArrayList<>();
        devices.stream()
                .filter(d -> type == FirmwareTarget.Type.SERIAL_PORT
                        ? d.kind().equals(SERIAL_PORT)
                        : USB_KINDS.contains(d.kind()))
                .filter(d -> matches(d, match))
                .sorted(Comparator.comparing(Device::id))
                .forEach(d -> {
                    final String location = location(d, type);
                    if (type != FirmwareTarget.Type.SERIAL_PORT || location != null) {
                        targets.add(new FirmwareTarget(d.id(), d.id(), location, d.properties()));
                    }
                });
        if (targets.isEmpty()) {
            return new Resolution(
                    List.of(),
                    "no " + (type == FirmwareTarget.Type.SERIAL_PORT ? "serial port" : "USB device")
                            + " in this node's inventory matches select " + match.describe() + " (" + devices.size()
                            + " devices present); check the ids, and that discovery (usb) is on");
        }
        return new Resolution(List.copyOf(targets), null);
    }

    private static Resolution one(final FirmwareTarget target) {
        return new Resolution(List.of(target), null);
    }

    private static boolean matches(final Device device, final TargetSelector.Match match) {
        return same(match.vid(), text(device, "vid"))
                && same(match.pid(), text(device, "pid"))
                && (match.serial() == null || match.serial().equals(text(device, "serialNumber")));
    }

    private static boolean same(final @Nullable String wanted, final @Nullable String actual) {
        return wanted == null || (actual != null && wanted.equals(actual.toLowerCase(Locale.ROOT)));
    }

    /** Where a back-end of {@code type} reaches the device: its serial port, or null (found by the back-end). */
    private static @Nullable String location(final Device device, final FirmwareTarget.Type type) {
        if (type != FirmwareTarget.Type.SERIAL_PORT) {
            return null;
        }
        if (device.kind().equals(SERIAL_PORT)) {
            return text(device, "port");
        }
        for (final JsonNode node : device.properties().path("devnodes")) {
            if (node.asText().startsWith("/dev/tty")) {
                return node.asText();
            }
        }
        return null;
    }

    private static @Nullable String text(final Device device, final String property) {
        final JsonNode value = device.properties().get(property);
        return value == null || value.isNull() ? null : Objects.toString(value.asText());
    }
}
