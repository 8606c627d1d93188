package dev.baton.hub.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/** JSON in TEXT columns: labels and protocol lists. Only the hub writes these, so reading trusts the shape. */
final class JsonColumns {

    private static final JsonMapper MAPPER = new JsonMapper();
    private static final TypeReference<TreeMap<String, String>> LABELS = new TypeReference<>() {};
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private JsonColumns() {}

    static @NotNull String labels(final @NotNull Map<String, String> labels) {
        return write(new TreeMap<>(labels));
    }

    static @NotNull Map<String, String> labels(final @Nullable String json) {
        return json == null ? Map.of() : read(json, LABELS);
    }

    static @NotNull String strings(final @NotNull List<String> values) {
        return write(values);
    }

    static @NotNull List<String> strings(final @Nullable String json) {
        return json == null ? List.of() : read(json, STRINGS);
    }

    private static String write(final Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (final JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(final String json, final TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (final JsonProcessingException e) {
            throw new UncheckedIOException("corrupt JSON column: " + e.getOriginalMessage(), e);
        }
    }
}
