package dev.baton.adapters.container;

import dev.baton.adapters.api.ComponentProvider;
import dev.baton.adapters.api.ComponentProviderFactory;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the {@link ContainerProvider} for the engine {@code DOCKER_HOST} names (see
 * {@link EngineEndpoint#fromEnvironment}); listed for {@link java.util.ServiceLoader} in {@code META-INF/services}.
 */
public final class ContainerProviderFactory implements ComponentProviderFactory {

    private static final Logger log = LoggerFactory.getLogger(ContainerProviderFactory.class);

    @Override
    public @NotNull String kind() {
        return ContainerProvider.KIND;
    }

    /** @param scheduler unused: the provider has no timed work */
    @Override
    public @NotNull ComponentProvider create(final @NotNull ScheduledExecutorService scheduler) {
        return create(System.getenv());
    }

    /**
     * The provider for the engine {@code environment} names. An unusable {@code DOCKER_HOST} does not stop the
     * agent: the provider it gets fails every container component with what to fix.
     */
    static @NotNull ContainerProvider create(final @NotNull Map<String, String> environment) {
        final EngineEndpoint endpoint;
        try {
            endpoint = EngineEndpoint.fromEnvironment(environment);
        } catch (final IllegalArgumentException e) {
            log.error("Container components cannot be applied: {}", e.getMessage());
            return ContainerProvider.misconfigured(e.getMessage());
        }
        log.info("Container components go to the engine at {}", endpoint);
        return new ContainerProvider(endpoint);
    }
}
