package dev.baton.hub.internal.store;

/** What the store did with one message from a node. */
public enum IngestOutcome {
    /** Stored. */
    STORED,
    /** Already stored, or older than what is stored (an at-least-once duplicate, a stale reorder or will). */
    IGNORED,
    /** The store has no such node. */
    UNKNOWN_NODE
}
