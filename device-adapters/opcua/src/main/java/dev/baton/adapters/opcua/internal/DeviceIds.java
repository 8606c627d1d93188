package dev.baton.adapters.opcua.internal;

import dev.baton.protocol.Limits;
import java.nio.charset.StandardCharsets;
import org.jetbrains.annotations.NotNull;

/**
 * Device ids of OPC UA servers: {@code opcua:} and the application URI, which OPC UA Part 4 §7.2 makes globally
 * unique, so every node that sees a server reports the same id. Protocol device ids are printable ASCII without
 * spaces and at most {@link Limits#MAX_DEVICE_ID_CHARS} characters: other characters are percent-encoded as UTF-8,
 * and an overlong id is cut and ends with a hash of the whole URI, so that it stays unique.
 */
final class DeviceIds {

    static final String PREFIX = "opcua:";

    private DeviceIds() {}

    static @NotNull String of(final @NotNull String applicationUri) {
        final StringBuilder id = new StringBuilder(PREFIX.length() + applicationUri.length());
        id.append(PREFIX);
        for (final byte b : applicationUri.getBytes(StandardCharsets.UTF_8)) {
            final int c = b & 0xff;
            if (c >= 0x21 && c <= 0x7e) {
                id.append((char) c);
            } else {
                id.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        if (id.length() <= Limits.MAX_DEVICE_ID_CHARS) {
            return id.toString();
        }
        final String hash = CertificateFacts.hex("SHA-256", applicationUri.getBytes(StandardCharsets.UTF_8))
                .substring(0, 16);
        return id.substring(0, Limits.MAX_DEVICE_ID_CHARS - hash.length() - 1) + "~" + hash;
    }
}
