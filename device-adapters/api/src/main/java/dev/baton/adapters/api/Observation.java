package dev.baton.adapters.api;

import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * What a provider found when it compared the host with a spec.
 *
 * @param synced true when the host matches the spec
 * @param detail for drift, what differs ("file is missing", "process exited with code 3")
 */
public record Observation(boolean synced, @NotNull String detail) {

    private static final Observation IN_SYNC = new Observation(true, "");

    public Observation {
        Objects.requireNonNull(detail, "detail");
    }

    public static @NotNull Observation inSync() {
        return IN_SYNC;
    }

    public static @NotNull Observation drifted(final @NotNull String detail) {
        return new Observation(false, detail);
    }
}
