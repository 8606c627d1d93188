package dev.baton.agent.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.DesiredDocument;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.ReconcilePolicy;
import java.util.List;

/** Desired documents for tests. */
public final class Documents {

    public static final MessageCodec CODEC = new MessageCodec();

    private Documents() {}

    public static ComponentSpec component(final String name, final String kind, final String... dependsOn) {
        return new ComponentSpec(name, kind, JsonNodeFactory.instance.objectNode(), List.of(dependsOn));
    }

    public static ComponentSpec component(
            final String name, final String kind, final ObjectNode properties, final String... dependsOn) {
        return new ComponentSpec(name, kind, properties, List.of(dependsOn));
    }

    public static ObjectNode properties() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static DesiredDocument desired(
            final String tenant, final String node, final long generation, final ComponentSpec... components) {
        return new DesiredDocument(tenant, node, generation, List.of(components), ReconcilePolicy.DEFAULT);
    }

    public static byte[] encode(final DesiredDocument document) {
        return CODEC.encode(document, MessageType.DESIRED);
    }
}
