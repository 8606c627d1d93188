package dev.baton.adapters.host.service;

import dev.baton.adapters.api.ComponentProvider;
import dev.baton.adapters.api.ComponentProviderFactory;
import java.util.concurrent.ScheduledExecutorService;
import org.jetbrains.annotations.NotNull;

/** Creates the {@link ServiceProvider}; listed for {@link java.util.ServiceLoader} in {@code META-INF/services}. */
public final class ServiceProviderFactory implements ComponentProviderFactory {

    @Override
    public @NotNull String kind() {
        return ServiceProvider.KIND;
    }

    /** @param scheduler receives the restart delays; the provider never blocks it */
    @Override
    public @NotNull ComponentProvider create(final @NotNull ScheduledExecutorService scheduler) {
        return new ServiceProvider(scheduler);
    }
}
