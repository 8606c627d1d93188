package dev.baton.adapters.opcua;

import dev.baton.adapters.api.discovery.DiscoveryEnvironment;
import dev.baton.adapters.api.discovery.DiscoveryHandler;
import dev.baton.adapters.api.discovery.DiscoveryHandlerFactory;
import org.jetbrains.annotations.NotNull;

/**
 * Creates the {@link OpcUaDiscoveryHandler}; listed for {@link java.util.ServiceLoader} in {@code META-INF/services}.
 */
public final class OpcUaDiscoveryHandlerFactory implements DiscoveryHandlerFactory {

    @Override
    public @NotNull String name() {
        return OpcUaDiscoveryHandler.NAME;
    }

    /** Starts nothing: the handler's threads start with its first scan. */
    @Override
    public @NotNull DiscoveryHandler create(final @NotNull DiscoveryEnvironment environment) {
        return new OpcUaDiscoveryHandler(environment);
    }
}
