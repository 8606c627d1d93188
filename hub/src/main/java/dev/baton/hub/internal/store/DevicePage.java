package dev.baton.hub.internal.store;

import java.util.List;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * One page of devices.
 *
 * @param next the {@code after} of the next page, or null when this is the last
 */
public record DevicePage(@NotNull List<DeviceRecord> items, @Nullable String next) {

    public DevicePage {
        items = List.copyOf(items);
    }
}
