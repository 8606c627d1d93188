package dev.baton.hub.internal.api;

import java.util.Map;
import org.jetbrains.annotations.NotNull;

/** The parts the hub needs to be healthy, each true when up. Must answer quickly and without blocking. */
@FunctionalInterface
public interface HubHealth {

    /** E.g. {@code {"store": true, "broker": true, "mqtt": false}}. */
    @NotNull
    Map<String, Boolean> checks();

    default boolean healthy() {
        return allUp(checks());
    }

    /** Whether every check of one snapshot of {@link #checks()} is up. */
    static boolean allUp(final @NotNull Map<String, Boolean> checks) {
        return checks.values().stream().allMatch(Boolean::booleanValue);
    }
}
