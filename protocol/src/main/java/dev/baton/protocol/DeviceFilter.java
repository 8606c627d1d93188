package dev.baton.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/**
 * One include or exclude filter of a discovery handler: every entry names a device property and a glob ({@code *}
 * any characters, {@code ?} one character, case-insensitive) its value must match. A property whose value is an
 * array matches when any element does; a device without the property does not match. For example
 * {@code {"ip": "10.0.1.*", "scopes": "*Profile/Streaming*"}}.
 */
public final class DeviceFilter {

    private final Map<String, String> match;
    // Compiled once: the agent filters every scan, the hub every device of a filtered listing.
    private final Map<String, Pattern> patterns;

    public DeviceFilter(final @NotNull Map<String, String> match) {
        this.match = Map.copyOf(match);
        final Map<String, Pattern> compiled = new java.util.LinkedHashMap<>();
        match.forEach((key, glob) -> compiled.put(key, glob(glob)));
        this.patterns = java.util.Collections.unmodifiableMap(compiled);
    }

    /** Property name to glob. */
    public @NotNull Map<String, String> match() {
        return match;
    }

    /** True when every entry matches a property of {@code device}. */
    public boolean matches(final @NotNull Device device) {
        final var properties = device.properties();
        for (final Map.Entry<String, Pattern> entry : patterns.entrySet()) {
            final JsonNode value =
                    switch (entry.getKey()) {
                        case "id" -> properties.textNode(device.id());
                        case "kind" -> properties.textNode(device.kind());
                        case "name" -> properties.textNode(device.name());
                        default -> properties.get(entry.getKey());
                    };
            if (value == null || !matchesAny(value, entry.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesAny(final JsonNode value, final Pattern pattern) {
        if (value.isArray()) {
            for (final JsonNode element : value) {
                if (element.isValueNode() && pattern.matcher(element.asText()).matches()) {
                    return true;
                }
            }
            return false;
        }
        return value.isValueNode()
                && !value.isNull()
                && pattern.matcher(value.asText()).matches();
    }

    /** A glob as a case-insensitive regular expression. */
    static Pattern glob(final String glob) {
        final StringBuilder regex = new StringBuilder(glob.length() + 8);
        for (final char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof DeviceFilter that && match.equals(that.match);
    }

    @Override
    public int hashCode() {
        return match.hashCode();
    }

    @Override
    public String toString() {
        return match.toString().toLowerCase(Locale.ROOT);
    }
}
