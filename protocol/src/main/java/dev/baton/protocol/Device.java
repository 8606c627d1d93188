package dev.baton.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.protocol.internal.CanonicalJson;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A device a node discovered: a camera, an OPC UA server, a USB device, a serial port, a microcontroller.
 *
 * @param id stable identity, the same from every node that sees the device when the device has a global identity
 *     (an ONVIF endpoint UUID, an OPC UA application URI, a USB serial number), e.g.
 *     {@code onvif:urn:uuid:…}; otherwise qualified by where it sits, e.g. {@code serial:/dev/ttyUSB0}
 * @param kind {@code onvif-camera}, {@code opcua-server}, {@code usb-device}, {@code serial-port}, {@code mcu}, …
 * @param source the discovery handler that found it ({@code onvif}, {@code opcua}, {@code usb})
 * @param name a human-readable name, e.g. manufacturer and model
 * @param properties what the handler learned; top-level string values can be filtered on
 */
public record Device(
        @NotNull String id,
        @NotNull String kind,
        @NotNull String source,
        @NotNull String name,
        @NotNull ObjectNode properties) {

    public Device(
            final @NotNull String id,
            final @NotNull String kind,
            final @NotNull String source,
            final @Nullable String name,
            final @Nullable ObjectNode properties) {
        this.id = id;
        this.kind = kind;
        this.source = source;
        this.name = name == null ? "" : name;
        this.properties = properties == null ? JsonNodeFactory.instance.objectNode() : properties.deepCopy();
    }

    /** The properties, as a copy the caller may change. */
    @Override
    public @NotNull ObjectNode properties() {
        return properties.deepCopy();
    }

    /** A top-level property as text, or null when absent or not a scalar. */
    public @Nullable String property(final @NotNull String key) {
        final var value = properties.get(key);
        return value == null || value.isContainerNode() || value.isNull() ? null : value.asText();
    }

    /**
     * SHA-256 (hex) of the canonical JSON of the whole device: equal for equal devices whatever the key order. The
     * agent sends a device again only when this changes.
     */
    @JsonIgnore
    public @NotNull String contentHash() {
        final ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", id);
        node.put("kind", kind);
        node.put("source", source);
        node.put("name", name);
        node.set("properties", properties);
        return CanonicalJson.sha256Hex(node);
    }
}
