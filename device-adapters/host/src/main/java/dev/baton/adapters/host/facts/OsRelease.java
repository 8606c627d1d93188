package dev.baton.adapters.host.facts;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses os-release(5): {@code KEY=value} lines, values optionally in single or double quotes, with backslash
 * escapes inside double quotes, comments and blank lines ignored.
 */
final class OsRelease {

    private OsRelease() {}

    static Map<String, String> parse(final String text) {
        final Map<String, String> out = new LinkedHashMap<>();
        for (final String raw : text.split("\n")) {
            final String line = raw.strip();
            final int equals = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || equals <= 0) {
                continue;
            }
            final String key = line.substring(0, equals);
            if (!key.matches("[A-Z][A-Z0-9_]*")) {
                continue;
            }
            out.put(key, FactFiles.value(unquote(line.substring(equals + 1))));
        }
        return out;
    }

    private static String unquote(final String value) {
        if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
            return value.substring(1, value.length() - 1);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            final StringBuilder out = new StringBuilder(value.length());
            for (int i = 1; i < value.length() - 1; i++) {
                final char c = value.charAt(i);
                if (c == '\\' && i + 1 < value.length() - 1) {
                    out.append(value.charAt(++i));
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
        return value;
    }
}
