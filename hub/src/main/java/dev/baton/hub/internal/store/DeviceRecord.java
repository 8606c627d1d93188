package dev.baton.hub.internal.store;

import java.time.Instant;
import java.util.List;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A device of a tenant as the hub holds it.
 *
 * @param properties JSON object text, as the node that reported it last sent it
 * @param sightings the nodes that hold the device in their inventory now; none means the device is missing
 */
public record DeviceRecord(
        @NotNull String id,
        @NotNull String kind,
        @NotNull String source,
        @NotNull String name,
        @NotNull String properties,
        @NotNull Instant firstSeen,
        @NotNull Instant lastSeen,
        @NotNull List<Sighting> sightings) {

    public DeviceRecord {
        sightings = List.copyOf(sightings);
    }

    /** A node that holds the device; {@code nodeLastSeen} is when the hub last heard from that node. */
    public record Sighting(
            @NotNull String node,
            @NotNull Instant firstSeen,
            @NotNull Instant lastSeen,
            boolean nodeOnline,
            @Nullable Instant nodeLastSeen) {}

    public boolean present() {
        return !sightings.isEmpty();
    }
}
