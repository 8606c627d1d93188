package dev.baton.adapters.api;

import java.util.concurrent.ScheduledExecutorService;
import org.jetbrains.annotations.NotNull;

/**
 * Found by {@link java.util.ServiceLoader}: each adapter module lists its factories in
 * {@code META-INF/services/dev.baton.adapters.api.ComponentProviderFactory}.
 */
public interface ComponentProviderFactory {

    /** The kind of the providers this factory creates. */
    @NotNull
    String kind();

    /**
     * Creates the provider.
     *
     * @param scheduler the agent's shared scheduler for timed work (back-off delays, watchers); never block it
     */
    @NotNull
    ComponentProvider create(@NotNull ScheduledExecutorService scheduler);
}
