package dev.baton.agent.internal.link;

import org.jetbrains.annotations.NotNull;

/**
 * What the MQTT link tells the rest of the agent. Called on MQTT client threads: implementations hand the work to
 * their own thread and return at once.
 */
public interface LinkListener {

    /** Connected, birth published and subscribed. */
    void onConnected();

    /** The connection was lost; a reconnect is scheduled. */
    void onDisconnected();

    /** A payload arrived on the node's {@code desired} topic. */
    void onDesired(byte @NotNull [] payload);

    /** A payload arrived on the node's {@code cmd/req} topic. */
    void onCommandRequest(byte @NotNull [] payload);
}
