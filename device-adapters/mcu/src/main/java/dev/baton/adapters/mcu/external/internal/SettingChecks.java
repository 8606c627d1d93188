package dev.baton.adapters.mcu.external.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/**
 * The value rules every external tool setting follows. Arguments go to the tool as separate argv entries, never
 * through a shell, so the remaining danger is a value the tool reads as an option ({@code -U}, {@code --after}) or,
 * for OpenOCD, as Tcl ({@code [exec …]}, {@code ;}): values must not start with '-' and are limited to the
 * characters their kind needs.
 */
public final class SettingChecks {

    /** Names of things (programmer, part, chip, target, alt setting name, serial number): no '-' first. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+:-]{0,63}");

    /** An OpenOCD script name or path: {@code cmsis-dap}, {@code board/st_nucleo_f4.cfg}, {@code /etc/x.cfg}. */
    private static final Pattern SCRIPT = Pattern.compile("/?[A-Za-z0-9_][A-Za-z0-9_.+/-]{0,255}");

    /** A serial port: a device path, a Windows COM port, or avrdude's {@code usb[:serial]}. */
    private static final Pattern PORT =
            Pattern.compile("(/[A-Za-z0-9_.+:@-]+)+|COM[0-9]{1,3}|\\\\\\\\\\.\\\\COM[0-9]{1,3}|usb(:[A-Za-z0-9_.-]+)?");

    /** A USB ID pair as dfu-util takes it: {@code 0483:df11}. */
    private static final Pattern USB_ID = Pattern.compile("[0-9A-Fa-f]{4}:[0-9A-Fa-f]{4}");

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    public static final long MAX_TIMEOUT_SECONDS = 3600;

    private SettingChecks() {}

    /** A name such as a programmer, part, chip, target, serial number. */
    public static @NotNull String name(final @NotNull String property, final @NotNull String value) {
        return matching(property, value, NAME, "letters, digits and _ . + : - (not first), at most 64");
    }

    public static @NotNull Optional<String> name(
            final @NotNull String property, final @NotNull Optional<String> value) {
        return value.map(v -> name(property, v));
    }

    /** An OpenOCD configuration script; {@code ..} segments are refused so a name cannot climb out. */
    public static @NotNull String script(final @NotNull String property, final @NotNull String value) {
        matching(property, value, SCRIPT, "a script name or path of letters, digits and _ . + / - (not first)");
        for (final String segment : value.split("/")) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException(
                        property + " must not contain '..' segments, but was '" + value + "'");
            }
        }
        return value;
    }

    public static @NotNull String port(final @NotNull String property, final @NotNull String value) {
        return matching(
                property,
                value,
                PORT,
                "a device path such as /dev/ttyUSB0, a COM port, or usb[:serial] (avrdude); never starting with '-'");
    }

    public static @NotNull Optional<String> port(
            final @NotNull String property, final @NotNull Optional<String> value) {
        return value.map(v -> port(property, v));
    }

    public static @NotNull Optional<String> usbId(
            final @NotNull String property, final @NotNull Optional<String> value) {
        return value.map(v -> matching(property, v, USB_ID, "VID:PID as four hex digits each, e.g. 0483:df11"));
    }

    /** One of {@code allowed}. */
    public static @NotNull String oneOf(
            final @NotNull String property, final @NotNull String value, final @NotNull java.util.Set<String> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(property + " must be one of "
                    + String.join(", ", new java.util.TreeSet<>(allowed)) + ", but was '" + printable(value) + "'");
        }
        return value;
    }

    public static @NotNull OptionalLong address(final @NotNull String property, final @NotNull OptionalLong value) {
        return range(property, value, 0, 0xFFFF_FFFFL);
    }

    public static @NotNull OptionalLong range(
            final @NotNull String property, final @NotNull OptionalLong value, final long min, final long max) {
        if (value.isPresent() && (value.getAsLong() < min || value.getAsLong() > max)) {
            throw new IllegalArgumentException(
                    property + " must be from " + min + " to " + max + ", but was " + value.getAsLong());
        }
        return value;
    }

    /** How messages name a setting: {@code avrdude setting 'part'}. */
    public static @NotNull String label(final @NotNull String toolId, final @NotNull String setting) {
        return toolId + " setting '" + setting + "'";
    }

    public static @NotNull Duration timeout(final @NotNull String toolId, final @NotNull Duration timeout) {
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.getSeconds() > MAX_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException(label(toolId, "timeoutSeconds") + " must be from 1 to "
                    + MAX_TIMEOUT_SECONDS + ", but was " + timeout.toSeconds());
        }
        return timeout;
    }

    /** A configured executable must be an absolute path, so that it does not depend on the agent's directory. */
    public static @NotNull Optional<Path> executable(
            final @NotNull String toolId, final @NotNull Optional<Path> executable) {
        executable.ifPresent(path -> {
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException(label(toolId, "executable") + " must be an absolute path, but was '"
                        + printable(path.toString()) + "'");
            }
        });
        return executable;
    }

    /** Addresses as the tools print them: {@code 0x08000000}. */
    public static @NotNull String hex(final long address) {
        return String.format("0x%08X", address);
    }

    private static String matching(
            final String property, final String value, final Pattern pattern, final String expected) {
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(property + " must be " + expected + ", but was '"
                    + printable(value) + "'"
                    + (value.startsWith("-")
                            ? " (a value starting with '-' would be read as" + " an option of the tool)"
                            : ""));
        }
        return value;
    }

    /** The value with control characters escaped and cut at 80 characters, for messages. */
    public static @NotNull String printable(final @NotNull String value) {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && i < 80; i++) {
            final char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7F ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return value.length() > 80 ? out + "…" : out.toString();
    }
}
