package dev.baton.adapters.usb.internal;

import dev.baton.protocol.Limits;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jetbrains.annotations.NotNull;

/**
 * The ids of the devices this handler reports. A USB serial number makes a global identity, the same on every node
 * the device is plugged into ({@code usb:0403:6001:A50285BI}); without one the id names where the device sits on
 * this node ({@code usb:path:1-1.2}). Serial ports are named by their most stable path ({@code
 * serial:/dev/serial/by-id/…}). Ids are printable ASCII without spaces, at most {@link Limits#MAX_DEVICE_ID_CHARS}
 * characters (protocol rule): other bytes of a serial number or path are percent-encoded as UTF-8, and an
 * over-long part is replaced by a digest of it.
 */
public final class DeviceIds {

    private static final int DIGEST_HEX_CHARS = 32;

    private DeviceIds() {}

    public static @NotNull String usb(
            final @NotNull String vid, final @NotNull String pid, final @NotNull String serial) {
        return bounded("usb:" + vid + ":" + pid + ":", serial);
    }

    public static @NotNull String usbPath(final @NotNull String busPath) {
        return bounded("usb:path:", busPath);
    }

    public static @NotNull String serialPort(final @NotNull String path) {
        return bounded("serial:", path);
    }

    private static String bounded(final String prefix, final String variable) {
        final String encoded = percentEncoded(variable);
        if (prefix.length() + encoded.length() <= Limits.MAX_DEVICE_ID_CHARS) {
            return prefix + encoded;
        }
        return prefix + "sha256-" + sha256Hex(variable).substring(0, DIGEST_HEX_CHARS);
    }

    /** Printable ASCII other than space and {@code %} stays; everything else becomes {@code %XX} per UTF-8 byte. */
    static String percentEncoded(final String text) {
        final StringBuilder out = new StringBuilder(text.length());
        for (final byte b : text.getBytes(StandardCharsets.UTF_8)) {
            final int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != '%') {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String sha256Hex(final String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
