package dev.baton.adapters.container.internal;

import java.time.Duration;
import org.jetbrains.annotations.NotNull;

/** How durations read in messages. */
final class Durations {

    private Durations() {}

    /** "30 s" for whole seconds, "300 ms" otherwise. */
    static @NotNull String describe(final @NotNull Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
