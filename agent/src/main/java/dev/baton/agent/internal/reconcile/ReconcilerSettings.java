package dev.baton.agent.internal.reconcile;

import dev.baton.agent.Backoff;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * What the reconciler needs from the agent's configuration.
 *
 * @param componentStateRoot parent of the per-component state directories ({@code A/state/components})
 * @param intervalOverride replaces the documents' drift-check interval when set
 */
public record ReconcilerSettings(
        @NotNull String tenant,
        @NotNull String node,
        @NotNull Path componentStateRoot,
        @NotNull Backoff retryBackoff,
        @Nullable Duration intervalOverride) {

    public ReconcilerSettings {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(componentStateRoot, "componentStateRoot");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
    }
}
