package dev.baton.agent.internal.outbox;

import dev.baton.protocol.Topics;
import org.jetbrains.annotations.NotNull;

/**
 * One message waiting in the outbox.
 *
 * @param payload the encoded message; it carries {@code seq} itself
 */
public record OutboxMessage(long seq, @NotNull Topics.Channel channel, byte @NotNull [] payload) {}
