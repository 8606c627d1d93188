package dev.baton.adapters.opcua;

import dev.baton.adapters.api.discovery.DiscoveryConfig;
import dev.baton.adapters.api.discovery.DiscoveryEnvironment;
import dev.baton.adapters.api.discovery.DiscoveryException;
import dev.baton.adapters.api.discovery.DiscoveryHandler;
import dev.baton.adapters.api.discovery.ScanContext;
import dev.baton.adapters.api.discovery.ScanResult;
import dev.baton.adapters.opcua.internal.ClientIdentityStore;
import dev.baton.adapters.opcua.internal.ClientResources;
import dev.baton.adapters.opcua.internal.ScanRun;
import java.util.List;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The {@code opcua} discovery handler: asks each configured discovery URL for its servers (FindServers, OPC UA Part
 * 4 §5.4.2), reads each server's endpoints (GetEndpoints, §5.4.4) and, where the {@link CertificatePolicy} allows,
 * opens an anonymous session to read its build info and namespaces and to walk a bounded part of its address space.
 * Each server becomes an {@code opcua-server} device with id {@code opcua:<applicationUri>}; see
 * {@link OpcUaServerProperties} and docs/hardware/opcua.md.
 *
 * <p>Threading: {@link #scan} is called by the agent's scheduler, one scan at a time; it waits while probes run on
 * the handler's own daemon threads ({@code baton-opcua-…}), which start when the handler is configured enabled (or
 * with the first scan) and stop on {@link #close()} or when the handler is disabled. Every session and connection a
 * scan opens is closed before the scan returns.
 */
public final class OpcUaDiscoveryHandler implements DiscoveryHandler {

    public static final String NAME = "opcua";

    private final Object lock = new Object();

    /** Guarded by {@link #lock}. */
    private @Nullable ClientResources resources;
    /** Guarded by {@link #lock}. */
    private boolean closed;

    private final ClientIdentityStore identity;

    OpcUaDiscoveryHandler(final @NotNull DiscoveryEnvironment environment) {
        this.identity = new ClientIdentityStore(environment.secretsDirectory());
    }

    @Override
    public @NotNull String name() {
        return NAME;
    }

    @Override
    public void validate(final @NotNull DiscoveryConfig config) {
        OpcUaDiscoveryConfig.parse(config);
    }

    /**
     * Stops the handler's threads while it is disabled; they start again with the next scan. When enabled, starts
     * loading Milo's codecs in the background so that the first scan does not pay for it.
     */
    @Override
    public void configure(final @NotNull DiscoveryConfig config) {
        if (!config.settings().enabled()) {
            release();
            return;
        }
        synchronized (lock) {
            if (closed || resources != null) {
                return;
            }
            resources = ClientResources.create();
            resources.prepareCodecs();
        }
    }

    @Override
    public @NotNull ScanResult scan(final @NotNull DiscoveryConfig config, final @NotNull ScanContext context)
            throws InterruptedException {
        final OpcUaDiscoveryConfig parsed = OpcUaDiscoveryConfig.parse(config);
        if (!config.settings().enabled()) {
            return new ScanResult(List.of(), List.of());
        }
        return ScanRun.run(parsed, resources(), identity, context);
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        release();
    }

    private ClientResources resources() {
        synchronized (lock) {
            if (closed) {
                throw new DiscoveryException(DiscoveryException.Reason.UNAVAILABLE, "the opcua handler is closed");
            }
            if (resources == null) {
                resources = ClientResources.create();
            }
            return resources;
        }
    }

    private void release() {
        final ClientResources toClose;
        synchronized (lock) {
            toClose = resources;
            resources = null;
        }
        if (toClose != null) {
            toClose.close();
        }
    }
}
