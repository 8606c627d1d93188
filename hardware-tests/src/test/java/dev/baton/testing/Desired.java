package dev.baton.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.DesiredSpec;
import dev.baton.protocol.ReconcilePolicy;
import dev.baton.protocol.testing.DesiredSpecs;
import java.nio.file.Path;
import java.util.List;

/** Desired states for tests, built from the protocol's records so paths and contents are always escaped right. */
public final class Desired {

    private Desired() {}

    /** A {@code file} component. */
    public static ComponentSpec file(final String name, final Path path, final String content, final String... deps) {
        final ObjectNode properties = JsonNodeFactory.instance
                .objectNode()
                .put("path", path.toString())
                .put("content", content);
        return new ComponentSpec(name, "file", properties, List.of(deps));
    }

    /** A {@code process} component. */
    public static ComponentSpec process(final String name, final List<String> command, final String... deps) {
        final ObjectNode withCommand = JsonNodeFactory.instance.objectNode();
        withCommand.set(
                "command",
                JsonNodeFactory.instance
                        .arrayNode()
                        .addAll(command.stream()
                                .map(JsonNodeFactory.instance::textNode)
                                .toList()));
        return new ComponentSpec(name, "process", withCommand, List.of(deps));
    }

    /** The components with drift checked every second, which keeps tests quick. */
    public static DesiredSpec of(final List<ComponentSpec> components) {
        return new DesiredSpec(components, new ReconcilePolicy(true, 1));
    }

    /** The JSON a user would write for {@code spec}, e.g. for {@code baton desired set NODE FILE}. */
    public static String json(final DesiredSpec spec) {
        return DesiredSpecs.json(spec);
    }
}
