package dev.baton.protocol;

import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Naming rules shared by tenants, nodes, components and kinds. Tenant, node and component names are DNS labels
 * (RFC 1123: lower-case letters, digits and '-', 1 to 63 characters, starting and ending with a letter or digit) so
 * that they are safe as MQTT topic levels, file names and URL path segments alike.
 */
public final class Names {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern DEVICE_ID = Pattern.compile("[\\x21-\\x7E]{1," + Limits.MAX_DEVICE_ID_CHARS + "}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9-]{0,31}(\\.[a-z][a-z0-9-]{0,31}){0,3}");
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?");
    private static final int MAX_LABEL_VALUE_CHARS = 253;

    private Names() {}

    /** True when {@code name} is a valid tenant, node or component name. */
    public static boolean isValidName(final @Nullable String name) {
        return name != null && DNS_LABEL.matcher(name).matches();
    }

    /**
     * Checks a tenant, node or component name.
     *
     * @param field the field's name as the user knows it, used in the error message
     * @throws ProtocolException with {@link ProtocolException.Reason#INVALID_FIELD} when the name is not valid
     */
    public static @NotNull String checkName(final @Nullable String name, final @NotNull String field) {
        if (name == null) {
            throw invalid(field + " is required");
        }
        if (!isValidName(name)) {
            throw invalid(field + " must be 1 to 63 lower-case letters, digits or '-', starting and ending with a"
                    + " letter or digit, but was '" + printable(name) + "'");
        }
        return name;
    }

    /**
     * Checks a device id: 1 to {@link Limits#MAX_DEVICE_ID_CHARS} printable ASCII characters without spaces, e.g.
     * {@code onvif:urn:uuid:…} or {@code serial:/dev/ttyUSB0}.
     */
    public static @NotNull String checkDeviceId(final @Nullable String id, final @NotNull String field) {
        if (id == null) {
            throw invalid(field + " is required");
        }
        if (!DEVICE_ID.matcher(id).matches()) {
            throw invalid(field + " must be 1 to " + Limits.MAX_DEVICE_ID_CHARS
                    + " printable characters without spaces, e.g. onvif:urn:uuid:…, but was '" + printable(id) + "'");
        }
        return id;
    }

    /** Checks an event type such as {@code component.failed}: up to four dotted lower-case words. */
    public static @NotNull String checkEventType(final @Nullable String type, final @NotNull String field) {
        if (type == null) {
            throw invalid(field + " is required");
        }
        if (!EVENT_TYPE.matcher(type).matches()) {
            throw invalid(field + " must be dotted lower-case words such as component.failed, but was '"
                    + printable(type) + "'");
        }
        return type;
    }

    /** Checks a component kind such as {@code file} or {@code process}. */
    public static @NotNull String checkKind(final @Nullable String kind, final @NotNull String field) {
        if (kind == null) {
            throw invalid(field + " is required");
        }
        if (!KIND.matcher(kind).matches()) {
            throw invalid(field + " must be 1 to 32 lower-case letters, digits or '-', starting with a letter, but"
                    + " was '" + printable(kind) + "'");
        }
        return kind;
    }

    /** Checks a label key and value (the rules Kubernetes uses for label values, with a longer value). */
    public static void checkLabel(final @Nullable String key, final @Nullable String value, final String field) {
        if (key == null || !LABEL_KEY.matcher(key).matches()) {
            throw invalid(field + " has a key that must be 1 to 63 letters, digits, '.', '_', '/' or '-', starting"
                    + " and ending with a letter or digit, but was '" + printable(key) + "'");
        }
        if (value == null) {
            throw invalid(field + "." + key + " must not be null");
        }
        if (value.length() > MAX_LABEL_VALUE_CHARS || value.chars().anyMatch(Character::isISOControl)) {
            throw invalid(field + "." + key + " must be at most " + MAX_LABEL_VALUE_CHARS
                    + " characters without control characters, but was " + value.length() + " characters");
        }
    }

    /** Shortens user input for error messages so that an error cannot be used to flood a log. */
    public static @NotNull String printable(final @Nullable String value) {
        if (value == null) {
            return "null";
        }
        final String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        final StringBuilder out = new StringBuilder(shown.length());
        shown.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static ProtocolException invalid(final String message) {
        return new ProtocolException(ProtocolException.Reason.INVALID_FIELD, message);
    }
}
