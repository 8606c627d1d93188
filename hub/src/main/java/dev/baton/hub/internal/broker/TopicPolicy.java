package dev.baton.hub.internal.broker;

import dev.baton.hub.internal.security.HubIdentity;
import dev.baton.hub.internal.security.NodeIdentity;
import dev.baton.protocol.Topics;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * Who may publish and subscribe where on the embedded broker (protocol v1 topic layout, see {@link Topics}).
 *
 * <ul>
 *   <li>A node publishes only on its own agent→hub channels ({@code reported}, {@code inventory}, {@code events},
 *       {@code status}, {@code cmd/res}) — its Will included — and subscribes only to its own {@code desired} and
 *       {@code cmd/req}, without wildcards.
 *   <li>The hub publishes anywhere under {@code baton/v1/} and subscribes there, also as a shared subscription
 *       (MQTT 5, section 4.8.2).
 *   <li>Anyone else may do nothing.
 * </ul>
 *
 * <p>The caller is identified by client identifier, which authentication has bound to the username: a node must
 * connect with client identifier == username, and only the hub's username may use the hub's client identifier.
 *
 * <p>Immutable and thread-safe.
 */
public final class TopicPolicy {

    private static final String ROOT = Topics.ROOT + '/';
    private static final String SHARE = "$share/";

    private final HubIdentity hub;

    public TopicPolicy(final @NotNull HubIdentity hub) {
        this.hub = Objects.requireNonNull(hub, "hub");
    }

    public boolean mayPublish(final @NotNull String clientId, final @NotNull String topic) {
        if (clientId.equals(hub.clientId())) {
            return topic.startsWith(ROOT);
        }
        return NodeIdentity.parse(clientId)
                .flatMap(identity -> Topics.parse(topic)
                        .filter(parsed -> parsed.tenant().equals(identity.tenant())
                                && parsed.node().equals(identity.node())
                                && parsed.channel().fromAgent()))
                .isPresent();
    }

    public boolean maySubscribe(final @NotNull String clientId, final @NotNull String topicFilter) {
        if (clientId.equals(hub.clientId())) {
            return withoutShare(topicFilter).startsWith(ROOT);
        }
        return NodeIdentity.parse(clientId)
                .filter(identity ->
                        topicFilter.equals(Topics.topic(identity.tenant(), identity.node(), Topics.Channel.DESIRED))
                                || topicFilter.equals(Topics.topic(
                                        identity.tenant(), identity.node(), Topics.Channel.COMMAND_REQUEST)))
                .isPresent();
    }

    private static String withoutShare(final String topicFilter) {
        if (!topicFilter.startsWith(SHARE)) {
            return topicFilter;
        }
        final int groupEnd = topicFilter.indexOf('/', SHARE.length());
        return groupEnd < 0 ? "" : topicFilter.substring(groupEnd + 1);
    }
}
