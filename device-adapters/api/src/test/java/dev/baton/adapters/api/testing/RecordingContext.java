package dev.baton.adapters.api.testing;

import dev.baton.adapters.api.ProviderContext;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jetbrains.annotations.NotNull;

/**
 * A provider context for one component of one node that records the reconcile requests a provider makes, from
 * whichever thread. Shared by the tests of every provider module (the api module's test-jar).
 */
public final class RecordingContext implements ProviderContext {

    private final String node;
    private final String componentName;
    private final Path stateDirectory;
    private final List<String> reconcileReasons = new CopyOnWriteArrayList<>();

    public RecordingContext(
            final @NotNull String node, final @NotNull String componentName, final @NotNull Path stateDirectory) {
        this.node = node;
        this.componentName = componentName;
        this.stateDirectory = stateDirectory;
    }

    /** A context on node {@code edge-1}. */
    public RecordingContext(final @NotNull String componentName, final @NotNull Path stateDirectory) {
        this("edge-1", componentName, stateDirectory);
    }

    @Override
    public @NotNull String node() {
        return node;
    }

    @Override
    public @NotNull String componentName() {
        return componentName;
    }

    @Override
    public @NotNull Path stateDirectory() {
        return stateDirectory;
    }

    @Override
    public void requestReconcile(final @NotNull String reason) {
        reconcileReasons.add(reason);
    }

    /** The reasons of the reconcile requests so far, oldest first. */
    public @NotNull List<String> reconcileReasons() {
        return List.copyOf(reconcileReasons);
    }
}
