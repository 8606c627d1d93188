package dev.baton.protocol;

import java.util.Objects;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * The MQTT topic layout of protocol v1: {@code baton/v1/{tenant}/{node}/{channel}}. Tenant and node are
 * {@linkplain Names DNS labels}, so they never contain MQTT wildcards or separators.
 */
public final class Topics {

    /** The root of every v1 topic. A future major version lives beside it under {@code baton/v2}. */
    public static final String ROOT = "baton/v1";

    /** The protocol identifier agents announce in their birth message. */
    public static final String PROTOCOL_V1 = "baton/v1";

    /** What a topic carries, and in which direction. */
    public enum Channel {
        /** hub → agent: the node's desired document, QoS 1, retained. */
        DESIRED("desired"),
        /** agent → hub: reported state, QoS 1. */
        REPORTED("reported"),
        /** agent → hub: device inventory, QoS 1. */
        INVENTORY("inventory"),
        /** agent → hub: events, QoS 1. */
        EVENTS("events"),
        /** agent → hub: birth and will, QoS 1, retained. */
        STATUS("status"),
        /** hub → agent: command request, QoS 1. */
        COMMAND_REQUEST("cmd/req"),
        /** agent → hub: command response, QoS 1. */
        COMMAND_RESPONSE("cmd/res");

        private final String suffix;

        Channel(final String suffix) {
            this.suffix = suffix;
        }

        /** The topic levels after {@code {tenant}/{node}/}. */
        public @NotNull String suffix() {
            return suffix;
        }

        /** True for channels an agent publishes on; false for those it subscribes to. */
        public boolean fromAgent() {
            return this != DESIRED && this != COMMAND_REQUEST;
        }

        static Optional<Channel> ofSuffix(final String suffix) {
            for (final Channel channel : values()) {
                if (channel.suffix.equals(suffix)) {
                    return Optional.of(channel);
                }
            }
            return Optional.empty();
        }
    }

    /** A parsed node topic. */
    public record NodeTopic(@NotNull String tenant, @NotNull String node, @NotNull Channel channel) {
        public NodeTopic {
            Names.checkName(tenant, "tenant");
            Names.checkName(node, "node");
            Objects.requireNonNull(channel, "channel");
        }

        public @NotNull String topic() {
            return Topics.topic(tenant, node, channel);
        }
    }

    private Topics() {}

    /** The topic of {@code channel} for one node. */
    public static @NotNull String topic(
            final @NotNull String tenant, final @NotNull String node, final @NotNull Channel channel) {
        return ROOT
                + '/'
                + Names.checkName(tenant, "tenant")
                + '/'
                + Names.checkName(node, "node")
                + '/'
                + channel.suffix();
    }

    /** The prefix, ending in '/', under which every topic of one node lies. */
    public static @NotNull String nodePrefix(final @NotNull String tenant, final @NotNull String node) {
        return ROOT + '/' + Names.checkName(tenant, "tenant") + '/' + Names.checkName(node, "node") + '/';
    }

    /**
     * A shared subscription (MQTT 5, section 4.8.2) to {@code channel} of every node of every tenant, so that
     * several hubs in the same {@code group} share the load.
     */
    public static @NotNull String sharedSubscription(final @NotNull String group, final @NotNull Channel channel) {
        Names.checkName(group, "group");
        return "$share/" + group + '/' + everyNode(channel);
    }

    /** A topic filter for {@code channel} of every node of every tenant. */
    public static @NotNull String everyNode(final @NotNull Channel channel) {
        return ROOT + "/+/+/" + channel.suffix();
    }

    /** Parses a v1 node topic; empty when the topic is not one. */
    public static @NotNull Optional<NodeTopic> parse(final @NotNull String topic) {
        if (!topic.startsWith(ROOT + '/')) {
            return Optional.empty();
        }
        final String rest = topic.substring(ROOT.length() + 1);
        final int tenantEnd = rest.indexOf('/');
        if (tenantEnd <= 0) {
            return Optional.empty();
        }
        final int nodeEnd = rest.indexOf('/', tenantEnd + 1);
        if (nodeEnd <= tenantEnd + 1) {
            return Optional.empty();
        }
        final String tenant = rest.substring(0, tenantEnd);
        final String node = rest.substring(tenantEnd + 1, nodeEnd);
        if (!Names.isValidName(tenant) || !Names.isValidName(node)) {
            return Optional.empty();
        }
        return Channel.ofSuffix(rest.substring(nodeEnd + 1)).map(channel -> new NodeTopic(tenant, node, channel));
    }
}
