package dev.baton.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jetbrains.annotations.Nullable;

/**
 * How the agent keeps a node in its desired state between desired documents.
 *
 * @param active when false the agent applies each new document once and does not repair drift
 * @param intervalSeconds how often the agent checks every component for drift, online or offline
 * @param rollback when present, a failing generation is replaced by the last fully healthy one
 * @param dryRun when true, the agent reports the plan for this document and changes nothing: the previous document
 *     stays applied
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReconcilePolicy(
        boolean active, int intervalSeconds, @Nullable RollbackPolicy rollback, @Nullable Boolean dryRun) {

    /** Drift is checked every 30 seconds; no rollback. */
    public static final ReconcilePolicy DEFAULT = new ReconcilePolicy(true, 30);

    public ReconcilePolicy(final boolean active, final int intervalSeconds) {
        this(active, intervalSeconds, null, null);
    }

    public ReconcilePolicy {
        dryRun = Boolean.TRUE.equals(dryRun) ? Boolean.TRUE : null;
    }

    /** True for a document that is only planned, never applied. */
    @JsonIgnore
    public boolean isDryRun() {
        return dryRun != null;
    }
}
