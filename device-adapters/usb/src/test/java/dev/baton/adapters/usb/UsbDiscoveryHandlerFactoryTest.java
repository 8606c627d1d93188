package dev.baton.adapters.usb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.adapters.api.discovery.DiscoveryHandler;
import dev.baton.adapters.api.discovery.DiscoveryHandlerFactory;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class UsbDiscoveryHandlerFactoryTest {

    @Test
    void serviceLoaderFindsTheUsbFactoryWhoseHandlerIsNamedUsb() {
        final var factories = ServiceLoader.load(DiscoveryHandlerFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();

        assertThat(factories).extracting(DiscoveryHandlerFactory::name).containsExactly("usb");
        try (DiscoveryHandler handler = factories.get(0).create(TestEnvironments.of())) {
            assertThat(handler.name()).isEqualTo("usb");
        }
    }
}
