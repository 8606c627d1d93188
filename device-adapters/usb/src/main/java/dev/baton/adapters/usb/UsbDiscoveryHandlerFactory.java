package dev.baton.adapters.usb;

import dev.baton.adapters.api.discovery.DiscoveryEnvironment;
import dev.baton.adapters.api.discovery.DiscoveryHandler;
import dev.baton.adapters.api.discovery.DiscoveryHandlerFactory;
import dev.baton.adapters.usb.internal.UsbDiscoveryHandler;
import org.jetbrains.annotations.NotNull;

/** Creates the {@code usb} discovery handler; listed for {@link java.util.ServiceLoader}. */
public final class UsbDiscoveryHandlerFactory implements DiscoveryHandlerFactory {

    public static final String NAME = "usb";

    @Override
    public @NotNull String name() {
        return NAME;
    }

    @Override
    public @NotNull DiscoveryHandler create(final @NotNull DiscoveryEnvironment environment) {
        return new UsbDiscoveryHandler();
    }
}
