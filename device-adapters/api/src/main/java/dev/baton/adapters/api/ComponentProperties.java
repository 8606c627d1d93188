package dev.baton.adapters.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.Names;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jetbrains.annotations.NotNull;

/**
 * Reads a component's properties into a provider's typed configuration. Every accessor checks the type and names
 * the component and property in its error, so that a bad spec is refused with a message the operator can act on;
 * nothing is coerced (a number is not a string, a missing value is not zero).
 */
public final class ComponentProperties {

    private final String component;
    private final String kind;
    private final ObjectNode properties;

    private ComponentProperties(final ComponentSpec spec) {
        this.component = spec.name();
        this.kind = spec.kind();
        this.properties = spec.properties();
    }

    /**
     * Starts reading {@code spec}'s properties and refuses any property not in {@code known}, since a misspelt
     * optional property would otherwise be ignored silently.
     */
    public static @NotNull ComponentProperties of(final @NotNull ComponentSpec spec, final @NotNull Set<String> known) {
        final ComponentProperties reader = new ComponentProperties(spec);
        final Iterator<String> names = reader.properties.fieldNames();
        while (names.hasNext()) {
            final String name = names.next();
            if (!known.contains(name)) {
                throw reader.invalid("has unknown property '" + Names.printable(name) + "'; "
                        + Names.printable(spec.kind()) + " components take " + String.join(", ", new TreeSet<>(known)));
            }
        }
        return reader;
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

    /** An {@link ComponentException.Reason#INVALID_SPEC} error about this component. */
    public @NotNull ComponentException invalid(final @NotNull String problem) {
        return new ComponentException(
                ComponentException.Reason.INVALID_SPEC,
                // The spec's name and kind are checked when a desired document is decoded, but not by ComponentSpec.
                Names.printable(kind) + " component '" + Names.printable(component) + "' " + problem);
    }

    private static String describe(final JsonNode value) {
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
