package dev.baton.hub.internal.store;

/** What the store did with one inventory report. */
public enum InventoryOutcome {
    /** Applied. */
    STORED,
    /** Already applied, or older than the last one applied. */
    IGNORED,
    /**
     * A delta whose base hash is not the inventory the hub holds for the node (the hub missed or lost a message):
     * nothing was applied, and the node should send a snapshot.
     */
    OUT_OF_STEP,
    /** The store has no such node. */
    UNKNOWN_NODE
}
