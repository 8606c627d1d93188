package dev.baton.protocol;

import java.util.List;
import org.jetbrains.annotations.NotNull;

/**
 * What the agent does (or, for a dry run, would do) to bring the node to one desired generation: the three-way
 * comparison of the previous document, the new one and what the providers observe on the host. Components left
 * alone are only counted.
 *
 * @param generation the desired generation planned
 * @param dryRun true when the plan was only reported and nothing was changed
 * @param steps the components that are (or would be) touched, removals first
 * @param unchanged how many components are left as they are
 */
public record Plan(long generation, boolean dryRun, @NotNull List<Step> steps, int unchanged) {

    public Plan {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /**
     * One component's planned change.
     *
     * @param action {@code create}, {@code update}, {@code repair} (same spec, drifted), {@code retry} (same spec,
     *     failed before) or {@code remove}
     * @param detail why, for a person
     */
    public record Step(
            @NotNull String component, @NotNull String kind, @NotNull String action, @NotNull String detail) {

        public Step {
            detail = detail == null ? "" : Texts.truncate(detail, 256);
        }
    }
}
