package dev.baton.adapters.host.script;

import dev.baton.adapters.api.ComponentProvider;
import dev.baton.adapters.api.ComponentProviderFactory;
import java.util.concurrent.ScheduledExecutorService;
import org.jetbrains.annotations.NotNull;

/** Creates the {@link ScriptProvider}; listed for {@link java.util.ServiceLoader} in {@code META-INF/services}. */
public final class ScriptProviderFactory implements ComponentProviderFactory {

    @Override
    public @NotNull String kind() {
        return ScriptProvider.KIND;
    }

    /** @param scheduler unused: scripts run to their end on the reconciler's thread */
    @Override
    public @NotNull ComponentProvider create(final @NotNull ScheduledExecutorService scheduler) {
        return new ScriptProvider();
    }
}
