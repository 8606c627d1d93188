package dev.baton.adapters.api.discovery;

import org.jetbrains.annotations.NotNull;

/** How a handler tells the agent what it learned between scans. Thread-safe; returns at once. */
public interface DiscoveryListener {

    /** Something new announced itself (a WS-Discovery Hello): scan this handler soon. */
    void rescan(@NotNull String handler);

    /**
     * A device said it is leaving (a WS-Discovery Bye): drop it from the inventory now instead of after the grace
     * period.
     */
    void departed(@NotNull String handler, @NotNull String deviceId);
}
