package dev.baton.adapters.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.adapters.api.ComponentProvider;
import dev.baton.adapters.api.ComponentProviderFactory;
import java.util.ServiceLoader;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class HostProvidersDiscoveryTest {

    @Test
    void serviceLoaderFindsEveryHostFactoryWhoseProvidersMatchTheirKind() {
        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            final var factories = ServiceLoader.load(ComponentProviderFactory.class).stream()
                    .map(ServiceLoader.Provider::get)
                    .toList();

            assertThat(factories)
                    .extracting(ComponentProviderFactory::kind)
                    .containsExactlyInAnyOrder("file", "process", "script", "service");
            for (final ComponentProviderFactory factory : factories) {
                try (ComponentProvider provider = factory.create(scheduler)) {
                    assertThat(provider.kind()).isEqualTo(factory.kind());
                }
            }
        } finally {
            scheduler.shutdownNow();
        }
    }
}
