package dev.baton.hub.internal.store;

import dev.baton.protocol.DeviceFilter;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Which devices {@link DeviceStore#listDevices} returns, ordered by id.
 *
 * @param kind only this kind
 * @param node only devices this node holds now
 * @param present true: only devices some node holds; false: only missing ones; null: both
 * @param properties only devices whose properties match (globs, see {@link DeviceFilter})
 * @param after only ids after this one (the previous page's {@code next})
 * @param limit at most this many
 */
public record DeviceQuery(
        @Nullable String kind,
        @Nullable String node,
        @Nullable Boolean present,
        @Nullable DeviceFilter properties,
        @Nullable String after,
        int limit) {

    public static final int MAX_LIMIT = 1000;

    public DeviceQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", but was " + limit);
        }
    }

    public static @NotNull DeviceQuery all(final int limit) {
        return new DeviceQuery(null, null, null, null, null, limit);
    }
}
