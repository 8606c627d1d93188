package dev.baton.agent.internal.reconcile;

import dev.baton.adapters.api.ComponentProvider;
import dev.baton.adapters.api.ComponentProviderFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The component providers of this agent, one per kind. */
public final class ProviderRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);

    private final Map<String, ComponentProvider> providers;

    private ProviderRegistry(final Map<String, ComponentProvider> providers) {
        this.providers = providers;
    }

    /** The factories {@link ServiceLoader} finds on the class path. */
    public static @NotNull List<ComponentProviderFactory> discover() {
        final List<ComponentProviderFactory> factories = new ArrayList<>();
        ServiceLoader.load(ComponentProviderFactory.class).forEach(factories::add);
        return factories;
    }

    /**
     * Creates one provider per factory.
     *
     * @throws IllegalStateException when two factories claim the same kind
     */
    public static @NotNull ProviderRegistry create(
            final @NotNull List<ComponentProviderFactory> factories,
            final @NotNull ScheduledExecutorService scheduler) {
        final Map<String, ComponentProviderFactory> byKind = new TreeMap<>();
        for (final ComponentProviderFactory factory : factories) {
            final ComponentProviderFactory other = byKind.putIfAbsent(factory.kind(), factory);
            if (other != null) {
                throw new IllegalStateException("two component providers claim kind '" + factory.kind() + "': "
                        + other.getClass().getName() + " and "
                        + factory.getClass().getName()
                        + "; remove one of them from the agent's class path");
            }
        }
        final Map<String, ComponentProvider> providers = new TreeMap<>();
        byKind.forEach((kind, factory) -> providers.put(kind, factory.create(scheduler)));
        LOG.info("component providers: {}", providers.isEmpty() ? "none" : String.join(", ", providers.keySet()));
        return new ProviderRegistry(providers);
    }

    public @NotNull Optional<ComponentProvider> provider(final @NotNull String kind) {
        return Optional.ofNullable(providers.get(kind));
    }

    public @NotNull Set<String> kinds() {
        return providers.keySet();
    }

    /** Closes every provider; things they manage on the host keep running for the next agent to adopt. */
    @Override
    public void close() {
        providers.forEach((kind, provider) -> {
            try {
                provider.close();
            } catch (final RuntimeException e) {
                LOG.warn("closing the {} provider failed: {}", kind, e.toString());
            }
        });
    }
}
