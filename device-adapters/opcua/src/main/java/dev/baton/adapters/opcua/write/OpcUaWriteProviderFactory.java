package dev.baton.adapters.opcua.write;

import dev.baton.adapters.api.ComponentProvider;
import dev.baton.adapters.api.ComponentProviderFactory;
import dev.baton.adapters.opcua.write.internal.OpcUaWriteProvider;
import java.util.concurrent.ScheduledExecutorService;
import org.jetbrains.annotations.NotNull;

/**
 * Creates the {@code opcua-write} provider, which keeps values on OPC UA server nodes as desired state; listed for
 * {@link java.util.ServiceLoader} in {@code META-INF/services}. Properties: {@link OpcUaWriteConfig}.
 */
public final class OpcUaWriteProviderFactory implements ComponentProviderFactory {

    public static final String KIND = "opcua-write";

    @Override
    public @NotNull String kind() {
        return KIND;
    }

    /** Starts no thread: the provider's client threads start with its first apply or observation. */
    @Override
    public @NotNull ComponentProvider create(final @NotNull ScheduledExecutorService scheduler) {
        return new OpcUaWriteProvider();
    }
}
