package dev.baton.adapters.host.testing;

import dev.baton.adapters.api.ProviderContext;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jetbrains.annotations.NotNull;

/** A provider context that records the reconcile requests a provider makes, from whichever thread. */
public final class RecordingContext implements ProviderContext {

    private final String componentName;
    private final Path stateDirectory;
    private final List<String> reconcileReasons = new CopyOnWriteArrayList<>();

    public RecordingContext(final @NotNull String componentName, final @NotNull Path stateDirectory) {
        this.componentName = componentName;
        this.stateDirectory = stateDirectory;
    }

    @Override
    public @NotNull String node() {
        return "edge-1";
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
