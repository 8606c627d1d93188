package dev.baton.adapters.mcu.component;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * One device a {@code firmware} component flashes, resolved from its {@code port}, {@code device} or {@code select}
 * property.
 *
 * @param key what the flash records and outputs name the target by: the inventory device ID, or {@code port:PATH}
 *     for a bare {@code port}
 * @param deviceId the inventory device ID, when the target came from the inventory
 * @param location where to reach it: a serial port path for {@link Type#SERIAL_PORT}; for {@link Type#UF2_VOLUME}
 *     the volume's mount point, or null to search the mounted volumes; for {@link Type#USB_DEVICE} null (the
 *     back-end picks the device by the properties)
 * @param properties the device's inventory properties (vid, pid, serialNumber, devnodes, …); empty for a bare port
 */
public record FirmwareTarget(
        @NotNull String key, @Nullable String deviceId, @Nullable String location, @NotNull ObjectNode properties) {

    /** What a back-end flashes through. */
    public enum Type {
        /** A serial port: a selector matches {@code serial-port} devices and flashes through their {@code port}. */
        SERIAL_PORT,
        /** A USB mass-storage volume: a selector matches {@code usb-device}/{@code mcu} devices. */
        UF2_VOLUME,
        /** A USB device a tool opens itself (DFU, a debug probe): a selector matches {@code usb-device}/{@code mcu}. */
        USB_DEVICE
    }

    public FirmwareTarget {
        Objects.requireNonNull(key, "key");
        properties = properties == null ? JsonNodeFactory.instance.objectNode() : properties.deepCopy();
    }

    /** A target given by a bare {@code port} (or {@code volume}) path. */
    public static @NotNull FirmwareTarget ofLocation(final @NotNull String prefix, final @NotNull String location) {
        return new FirmwareTarget(prefix + ":" + location, null, location, null);
    }

    @Override
    public @NotNull ObjectNode properties() {
        return properties.deepCopy();
    }

    /** A property of the device as text, or null. */
    public @Nullable String property(final @NotNull String name) {
        return properties.hasNonNull(name) ? properties.get(name).asText() : null;
    }
}
