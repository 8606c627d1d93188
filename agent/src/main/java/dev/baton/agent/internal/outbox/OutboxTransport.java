package dev.baton.agent.internal.outbox;

import dev.baton.protocol.Topics;
import java.util.concurrent.CompletableFuture;
import org.jetbrains.annotations.NotNull;

/** Where the outbox publisher sends messages: the agent's MQTT link. */
public interface OutboxTransport {

    /** True while messages can be published (connected, birth sent, subscribed). */
    boolean isConnected();

    /**
     * Publishes with QoS 1 on the node's topic of {@code channel}. The future completes when the broker acknowledged
     * the message (PUBACK), and fails with {@link MessageRefusedException} when the broker answered with an error
     * reason code, or with another exception when the connection failed first.
     */
    @NotNull
    CompletableFuture<Void> publish(Topics.@NotNull Channel channel, byte @NotNull [] payload);
}
