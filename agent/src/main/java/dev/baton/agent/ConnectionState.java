package dev.baton.agent;

/** Where the agent's MQTT link stands. */
public enum ConnectionState {
    /** No connection; a reconnect is scheduled after a backoff delay. */
    DISCONNECTED,
    /** A connection attempt is under way, or connected but birth and subscriptions are not yet acknowledged. */
    CONNECTING,
    /** Connected, birth published and subscribed: desired documents flow in, the outbox drains. */
    CONNECTED,
    /** Closed for good by {@link BatonAgent#close()}. */
    CLOSED
}
