package dev.baton.hub;

import dev.baton.hub.internal.HubRuntime;
import org.jetbrains.annotations.NotNull;

/**
 * A running hub: REST API, MQTT ingest and publishing, store and (unless an external broker is configured) the
 * embedded MQTT broker. Obtain one with {@link #start(HubConfig)}; {@link #close()} stops it.
 *
 * <p>Several hubs may be started and closed one after the other in one JVM, also on the same data directory and
 * ports; one data directory is used by at most one running hub at a time.
 */
public interface BatonHub extends AutoCloseable {

    /**
     * Starts a hub and returns once it is healthy: the store is open, the broker (if embedded) accepts connections,
     * the hub's own MQTT client is connected and subscribed, and the REST API listens.
     *
     * @throws HubStartException naming what failed and what to do; whatever was already started is closed again
     */
    static @NotNull BatonHub start(final @NotNull HubConfig config) {
        return HubRuntime.start(config);
    }

    @NotNull
    HubConfig config();

    /** The port the REST API listens on (the chosen one when the configuration said 0). */
    int httpPort();

    /** The port of the MQTT broker the hub uses, embedded or external. */
    int mqttPort();

    /** The admin API token, also in {@code <dataDir>/admin.token}. */
    @NotNull
    String adminToken();

    /** True while the store is open, the broker is up and the hub's MQTT client is connected. */
    boolean isHealthy();

    /** Stops, in order: REST API, hub MQTT client, embedded broker, store. Idempotent. */
    @Override
    void close();
}
