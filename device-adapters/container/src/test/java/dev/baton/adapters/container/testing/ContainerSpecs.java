package dev.baton.adapters.container.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.protocol.ComponentSpec;
import java.io.UncheckedIOException;
import java.util.List;
import org.jetbrains.annotations.NotNull;

/** Container component specs for tests, with properties written as JSON the way an operator writes them. */
public final class ContainerSpecs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ContainerSpecs() {}

    public static @NotNull ComponentSpec container(final @NotNull String name, final @NotNull String propertiesJson) {
        try {
            return new ComponentSpec(name, "container", (ObjectNode) JSON.readTree(propertiesJson), List.of());
        } catch (final JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
