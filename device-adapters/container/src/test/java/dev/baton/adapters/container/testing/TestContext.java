package dev.baton.adapters.container.testing;

import dev.baton.adapters.api.ProviderContext;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jetbrains.annotations.NotNull;

/** A provider context for one component of one node, recording the reconcile requests made. */
public final class TestContext implements ProviderContext {

    private final String node;
    private final String componentName;
    private final Path stateDirectory;
    private final List<String> reconcileReasons = new CopyOnWriteArrayList<>();

    public TestContext(
            final @NotNull String node, final @NotNull String componentName, final @NotNull Path stateDirectory) {
        this.node = node;
        this.componentName = componentName;
        this.stateDirectory = stateDirectory;
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

    public @NotNull List<String> reconcileReasons() {
        return List.copyOf(reconcileReasons);
    }
}
