package dev.baton.adapters.api.discovery;

import org.jetbrains.annotations.NotNull;

/**
 * Found by {@link java.util.ServiceLoader}: each adapter module lists its factories in
 * {@code META-INF/services/dev.baton.adapters.api.discovery.DiscoveryHandlerFactory}.
 */
public interface DiscoveryHandlerFactory {

    /** The name of the handlers this factory creates, e.g. {@code onvif}. */
    @NotNull
    String name();

    /** Creates the handler; it may start nothing before {@link DiscoveryHandler#configure} is called. */
    @NotNull
    DiscoveryHandler create(@NotNull DiscoveryEnvironment environment);
}
