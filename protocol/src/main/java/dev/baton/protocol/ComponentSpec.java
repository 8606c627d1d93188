package dev.baton.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.protocol.internal.CanonicalJson;
import java.util.List;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * One component of a desired document: a named thing of some {@code kind} (file, process, container, …) whose
 * {@code properties} the provider of that kind understands.
 *
 * @param name unique within the document, a {@linkplain Names DNS label}
 * @param kind the provider that applies it
 * @param properties provider-specific; each provider decodes them into its own typed configuration
 * @param dependsOn names of components that must be applied before this one
 * @param health how the agent checks that the applied component works; null for the provider's check alone
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ComponentSpec(
        @NotNull String name,
        @NotNull String kind,
        @NotNull ObjectNode properties,
        @NotNull List<String> dependsOn,
        @Nullable HealthCheck health) {

    public ComponentSpec(
            final @NotNull String name,
            final @NotNull String kind,
            final @Nullable ObjectNode properties,
            final @Nullable List<String> dependsOn,
            final @Nullable HealthCheck health) {
        this.name = name;
        this.kind = kind;
        // A defensive copy keeps the record immutable although ObjectNode is not.
        this.properties = properties == null ? JsonNodeFactory.instance.objectNode() : properties.deepCopy();
        this.dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        this.health = health;
    }

    /** A component without a health check of its own. */
    public ComponentSpec(
            final @NotNull String name,
            final @NotNull String kind,
            final @Nullable ObjectNode properties,
            final @Nullable List<String> dependsOn) {
        this(name, kind, properties, dependsOn, null);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** The properties, as a copy the caller may change. */
    @Override
    public @NotNull ObjectNode properties() {
        return properties.deepCopy();
    }

    /**
     * SHA-256 (hex) of the canonical JSON of kind, properties and dependencies: equal for equal specs whatever the
     * order of their JSON object keys. The reconciler leaves a component alone while this hash is unchanged and the
     * provider sees no drift.
     */
    @JsonIgnore
    public @NotNull String specHash() {
        final ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("kind", kind);
        node.set("properties", properties);
        node.set(
                "dependsOn",
                JsonNodeFactory.instance
                        .arrayNode()
                        .addAll(dependsOn.stream()
                                .map(JsonNodeFactory.instance::textNode)
                                .toList()));
        if (health != null) {
            node.set("health", JSON.valueToTree(health));
        }
        return CanonicalJson.sha256Hex(node);
    }
}
