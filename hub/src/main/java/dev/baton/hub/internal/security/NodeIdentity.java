package dev.baton.hub.internal.security;

import dev.baton.protocol.Names;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Who a node is on MQTT: username and client identifier are both {@code {tenant}.{node}}. Tenant and node are DNS
 * labels, which contain no '.', so the split is unambiguous, and no such name can be mistaken for the hub's own
 * identity (see {@link HubIdentity}).
 */
public record NodeIdentity(@NotNull String tenant, @NotNull String node) {

    public NodeIdentity {
        Names.checkName(tenant, "tenant");
        Names.checkName(node, "node");
    }

    /** Parses {@code {tenant}.{node}}; empty when the text is not of that form. */
    public static @NotNull Optional<NodeIdentity> parse(final @Nullable String mqttName) {
        if (mqttName == null) {
            return Optional.empty();
        }
        final int dot = mqttName.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        final String tenant = mqttName.substring(0, dot);
        final String node = mqttName.substring(dot + 1);
        if (!Names.isValidName(tenant) || !Names.isValidName(node)) {
            return Optional.empty();
        }
        return Optional.of(new NodeIdentity(tenant, node));
    }

    /** The MQTT username and client identifier of this node. */
    public @NotNull String mqttName() {
        return tenant + '.' + node;
    }

    @Override
    public String toString() {
        return tenant + '/' + node;
    }
}
