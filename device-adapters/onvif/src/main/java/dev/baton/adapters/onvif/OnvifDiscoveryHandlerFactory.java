package dev.baton.adapters.onvif;

import dev.baton.adapters.api.discovery.DiscoveryEnvironment;
import dev.baton.adapters.api.discovery.DiscoveryHandler;
import dev.baton.adapters.api.discovery.DiscoveryHandlerFactory;
import dev.baton.adapters.onvif.internal.OnvifDiscoveryHandler;
import org.jetbrains.annotations.NotNull;

/**
 * Creates the {@code onvif} discovery handler (ONVIF cameras by WS-Discovery and the ONVIF device and media
 * services); listed for {@link java.util.ServiceLoader} in {@code META-INF/services}. See docs/hardware/onvif.md.
 */
public final class OnvifDiscoveryHandlerFactory implements DiscoveryHandlerFactory {

    @Override
    public @NotNull String name() {
        return OnvifDiscoveryHandler.NAME;
    }

    /** Starts nothing: sockets and threads come with {@link DiscoveryHandler#configure} and the first scan. */
    @Override
    public @NotNull DiscoveryHandler create(final @NotNull DiscoveryEnvironment environment) {
        return new OnvifDiscoveryHandler(environment);
    }
}
