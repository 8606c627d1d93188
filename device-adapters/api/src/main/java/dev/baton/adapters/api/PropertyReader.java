package dev.baton.adapters.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.protocol.Names;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Reads a JSON object of settings (a component's properties, a discovery handler's configuration) into typed
 * values. Every accessor checks the type and names the property in its error, so that bad input is refused with a
 * message the operator can act on; nothing is coerced (a number is not a string, a missing value is not zero).
 * Subclasses say what is being read ({@link ComponentProperties}, {@code DiscoveryConfig}) and which exception
 * carries the error.
 */
public abstract class PropertyReader {

    private final ObjectNode properties;

    protected PropertyReader(final @NotNull ObjectNode properties) {
        this.properties = properties;
    }

    /** Refuses any property not in {@code known}, since a misspelt optional property would be ignored silently. */
    protected final void refuseUnknown(final @NotNull Set<String> known, final @NotNull String whatTakes) {
        final Iterator<String> names = properties.fieldNames();
        while (names.hasNext()) {
            final String name = names.next();
            if (!known.contains(name)) {
                throw invalid("has unknown property '" + Names.printable(name) + "'; " + whatTakes + " take "
                        + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    public @NotNull String requiredString(final @NotNull String name) {
        return optionalString(name).orElseThrow(() -> invalid("needs property '" + name + "' (a string)"));
    }

    public @NotNull Optional<String> optionalString(final @NotNull String name) {
        final JsonNode value = properties.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw invalid("property '" + name + "' must be a string, but was " + describe(value));
        }
        return Optional.of(value.textValue());
    }

    /** A whole number from {@code min} to {@code max}, or empty when absent. */
    public @NotNull OptionalLong optionalLong(final @NotNull String name, final long min, final long max) {
        final JsonNode value = properties.get(name);
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (!value.isIntegralNumber()
                || !value.canConvertToLong()
                || value.longValue() < min
                || value.longValue() > max) {
            throw invalid("property '" + name + "' must be a whole number from " + min + " to " + max + ", but was "
                    + (value.isNumber() ? value.toString() : describe(value)));
        }
        return OptionalLong.of(value.longValue());
    }

    /** True or false, or empty when absent. */
    public @NotNull Optional<Boolean> optionalBoolean(final @NotNull String name) {
        final JsonNode value = properties.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw invalid("property '" + name + "' must be true or false, but was " + describe(value));
        }
        return Optional.of(value.booleanValue());
    }

    public @NotNull List<String> stringList(final @NotNull String name) {
        final JsonNode value = properties.get(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw invalid("property '" + name + "' must be an array of strings, but was " + describe(value));
        }
        final List<String> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw invalid("property '" + name + "[" + i + "]' must be a string, but was " + describe(value.get(i)));
            }
            out.add(value.get(i).textValue());
        }
        return List.copyOf(out);
    }

    public @NotNull Map<String, String> stringMap(final @NotNull String name) {
        final JsonNode value = properties.get(name);
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw invalid("property '" + name + "' must be an object of strings, but was " + describe(value));
        }
        final Map<String, String> out = new LinkedHashMap<>();
        value.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isTextual()) {
                throw invalid("property '" + name + "." + Names.printable(entry.getKey())
                        + "' must be a string, but was " + describe(entry.getValue()));
            }
            out.put(entry.getKey(), entry.getValue().textValue());
        });
        return java.util.Collections.unmodifiableMap(out);
    }

    /** The raw JSON value of a property, or null; for shapes the typed accessors do not cover. */
    public @Nullable JsonNode raw(final @NotNull String name) {
        final JsonNode value = properties.get(name);
        return value == null ? null : value.deepCopy();
    }

    /**
     * The error for {@code problem} (a predicate such as "needs property 'path' (a string)"), naming what is being
     * read.
     */
    public abstract @NotNull RuntimeException invalid(@NotNull String problem);

    /** How a JSON value is named in errors: "a string", "a number", … */
    public static @NotNull String describe(final @NotNull JsonNode value) {

        return switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
