package dev.baton.protocol;

/**
 * How the agent keeps a node in its desired state between desired documents.
 *
 * @param active when false the agent applies each new document once and does not repair drift
 * @param intervalSeconds how often the agent checks every component for drift, online or offline
 */
public record ReconcilePolicy(boolean active, int intervalSeconds) {

    /** Drift is checked every 30 seconds. */
    public static final ReconcilePolicy DEFAULT = new ReconcilePolicy(true, 30);
}
