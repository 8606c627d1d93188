package dev.baton.hub.internal.mqtt;

import dev.baton.protocol.CommandRequest;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends command requests to nodes on {@code baton/v1/{tenant}/{node}/cmd/req} (QoS 1, not retained). Fire and
 * forget: the agent answers on {@code cmd/res}, and a request it receives after the deadline is dropped.
 *
 * <p>Thread-safe.
 */
public final class CommandPublisher {

    private static final Logger log = LoggerFactory.getLogger(CommandPublisher.class);

    private final HubMqttLink link;
    private final MessageCodec codec;
    private final Clock clock;

    public CommandPublisher(
            final @NotNull HubMqttLink link, final @NotNull MessageCodec codec, final @NotNull Clock clock) {
        this.link = link;
        this.codec = codec;
        this.clock = clock;
    }

    /** Sends {@code command} with no arguments, valid for {@code validFor}. */
    public void send(
            final @NotNull String tenant,
            final @NotNull String node,
            final @NotNull String command,
            final @NotNull Duration validFor) {
        final CommandRequest request = new CommandRequest(
                UUID.randomUUID().toString(), command, null, clock.instant().plus(validFor));
        final byte[] payload = codec.encode(request, MessageType.COMMAND_REQUEST);
        link.publish(Topics.topic(tenant, node, Topics.Channel.COMMAND_REQUEST), payload, false)
                .whenComplete((result, error) -> {
                    if (error != null) {
                        log.warn("command {} to {}/{} was not sent: {}", command, tenant, node, error.getMessage());
                    } else {
                        log.debug("sent command {} ({}) to {}/{}", command, request.id(), tenant, node);
                    }
                });
    }
}
