package dev.baton.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The agent's report of a node's state, published on {@code baton/v1/{tenant}/{node}/reported}. Always complete:
 * the latest report replaces every earlier one, which is why the agent's outbox may coalesce unsent reports.
 *
 * @param seq the agent's outbox sequence number; increases with every message the agent sends
 * @param bootId changes each time the agent process starts
 * @param observedGeneration the generation of the last desired document the agent accepted and worked through;
 *     a rejected document does not move it (the {@code DesiredAccepted} condition says why it was rejected)
 * @param plan what the agent did or, for a dry run, would do for the last document it received; absent after an
 *     agent restart until the next document
 */
public record ReportedState(
        long seq,
        @NotNull String bootId,
        @NotNull Instant timestamp,
        long observedGeneration,
        @NotNull List<ComponentStatus> components,
        @NotNull List<Condition> conditions,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Plan plan) {

    /** A report without a plan. */
    public ReportedState(
            final long seq,
            final @NotNull String bootId,
            final @NotNull Instant timestamp,
            final long observedGeneration,
            final @Nullable List<ComponentStatus> components,
            final @Nullable List<Condition> conditions) {
        this(seq, bootId, timestamp, observedGeneration, components, conditions, null);
    }

    public ReportedState {
        components = components == null ? List.of() : List.copyOf(components);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }
}
