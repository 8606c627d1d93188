package dev.baton.adapters.host.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.protocol.ComponentSpec;
import java.io.UncheckedIOException;
import java.util.List;
import org.jetbrains.annotations.NotNull;

/** Component specs for tests, with properties written as JSON the way an operator would write them. */
public final class Specs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Specs() {}

    public static @NotNull ComponentSpec component(
            final @NotNull String name, final @NotNull String kind, final @NotNull ObjectNode properties) {
        return new ComponentSpec(name, kind, properties, List.of());
    }

    public static @NotNull ComponentSpec component(
            final @NotNull String name, final @NotNull String kind, final @NotNull String propertiesJson) {
        try {
            return component(name, kind, (ObjectNode) JSON.readTree(propertiesJson));
        } catch (final JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static @NotNull ObjectNode properties() {
        return JSON.createObjectNode();
    }
}
