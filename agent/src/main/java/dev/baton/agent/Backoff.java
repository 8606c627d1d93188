package dev.baton.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.jetbrains.annotations.NotNull;

/**
 * A capped exponential backoff with jitter, as a value: attempt {@code n} (from 0) waits {@code min(max, initial *
 * 2^n)}, spread by a random factor in {@code [1 - jitter, 1 + jitter]} so that a fleet that lost its broker at the
 * same moment does not come back at the same moment.
 *
 * @param initial the delay before the first retry
 * @param max the cap of the un-jittered delay
 * @param jitter the relative spread, from 0 (none) to 0.5
 */
public record Backoff(@NotNull Duration initial, @NotNull Duration max, double jitter) {

    // Declared before the defaults below, which the constructor checks against them.
    private static final Duration MIN_INITIAL = Duration.ofMillis(1);
    private static final double MAX_JITTER = 0.5;

    /** MQTT reconnects: 1 s doubling to 30 s, ±20 %. */
    public static final Backoff RECONNECT_DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2);

    /** Retries of a failed component: 1 s doubling to 60 s, ±20 %. */
    public static final Backoff RETRY_DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.2);

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.compareTo(MIN_INITIAL) < 0) {
            throw new IllegalArgumentException("backoff initial must be at least 1 ms, but was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "backoff max must not be below initial (" + initial + "), but was " + max);
        }
        if (!(jitter >= 0 && jitter <= MAX_JITTER)) {
            throw new IllegalArgumentException("backoff jitter must be between 0 and 0.5, but was " + jitter);
        }
    }

    /** The delay before retry {@code attempt} (0 for the first retry), with random jitter. */
    public @NotNull Duration delay(final int attempt) {
        return delay(attempt, ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The delay before retry {@code attempt}, with the jitter drawn from {@code unitRandom}.
     *
     * @param unitRandom in {@code [0, 1)}; 0.5 gives the un-jittered delay
     */
    public @NotNull Duration delay(final int attempt, final double unitRandom) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative, but was " + attempt);
        }
        final double capMillis = max.toMillis();
        // Doubling in floating point cannot overflow; the cap applies before the jitter.
        final double base = Math.min(capMillis, initial.toMillis() * Math.pow(2, Math.min(attempt, 62)));
        final double factor = 1 + jitter * (2 * unitRandom - 1);
        return Duration.ofMillis(Math.max(1, Math.round(base * factor)));
    }
}
