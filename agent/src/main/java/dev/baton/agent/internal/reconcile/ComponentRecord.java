package dev.baton.agent.internal.reconcile;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.agent.internal.store.AppliedComponent;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.ComponentState;
import dev.baton.protocol.ComponentStatus;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import org.jetbrains.annotations.Nullable;

/** The reconciler's view of one component. Owned by the reconciler thread; not thread-safe. */
final class ComponentRecord {

    ComponentSpec spec;
    String specHash;
    /** The spec hash of this component's stored row; null before the row is first stored. */
    @Nullable
    String storedSpecHash;

    ComponentState state;
    String message;
    long generation;
    Instant lastTransition;
    /** What the provider reported through {@code ProviderContext.outputs}; empty until it does. */
    ObjectNode outputs = JsonNodeFactory.instance.objectNode();

    /** Consecutive failures of the current spec, for the retry backoff. */
    int failures;
    /** Failed in a way a retry of the same spec cannot fix (invalid spec, missing provider). */
    boolean permanentFailure;

    /** The message of the last failure, so that a retry failing the same way emits no second event. */
    @Nullable
    String lastFailure;

    /** When the last apply succeeded: the health gate's start-timeout counts from here. */
    @Nullable
    Instant gateStarted;

    /** Since when the health check has passed without interruption during the gate; null while it does not. */
    @Nullable
    Instant passingSince;

    /** What the last apply returned, kept for the message once the gate passes. */
    String applyOutcome = "";

    /** Failed probes in a row of a healthy component. */
    int probeFailures;

    /** Changes whenever probing is (re)armed or cancelled: a probe result carrying another token is stale. */
    long probeToken;

    /** A probe is scheduled or under way. */
    boolean probeArmed;

    /** The next probe, while one is scheduled. */
    @Nullable
    ScheduledFuture<?> probeTimer;

    /** The pending retry of a failed component; {@code null} when it is due (or not failed). */
    @Nullable
    ScheduledFuture<?> retry;

    ComponentRecord(
            final ComponentSpec spec,
            final String specHash,
            final ComponentState state,
            final long generation,
            final Instant now) {
        this.spec = spec;
        this.specHash = specHash;
        this.state = state;
        this.message = "";
        this.generation = generation;
        this.lastTransition = now;
    }

    static ComponentRecord of(final AppliedComponent applied) {
        final ComponentRecord record = new ComponentRecord(
                applied.spec(), applied.specHash(), applied.state(), applied.generation(), applied.lastTransition());
        record.storedSpecHash = applied.specHash();
        record.message = applied.message();
        record.outputs = applied.outputs();
        return record;
    }

    String name() {
        return spec.name();
    }

    /** Stops probing: a scheduled probe is cancelled and a result under way will be ignored. */
    void cancelProbe() {
        probeToken++;
        probeArmed = false;
        passingSince = null;
        probeFailures = 0;
        if (probeTimer != null) {
            probeTimer.cancel(false);
            probeTimer = null;
        }
    }

    void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    AppliedComponent applied() {
        return new AppliedComponent(spec, specHash, state, message, generation, lastTransition, outputs);
    }

    ComponentStatus status() {
        return new ComponentStatus(spec.name(), spec.kind(), state, message, generation, lastTransition, outputs);
    }
}
