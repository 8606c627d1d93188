package dev.baton.adapters.host.internal;

import java.time.Duration;
import org.jetbrains.annotations.NotNull;

/**
 * When to restart a process that exited: capped exponential back-off with jitter, as HiveMQ's client does for
 * reconnects. Restart attempt 1 waits about {@code initialDelay}, each further attempt about twice as long, never
 * more than {@code maxDelay}. Jitter keeps processes that failed together (a shared dependency went down) from
 * restarting in lock-step. A run that lasted {@code stableRun} or longer counts as healthy: its exit starts the count
 * again at attempt 1, so a process that crashes once a day restarts after a second, not after a minute.
 *
 * @param initialDelay the delay before restart attempt 1 (before jitter)
 * @param maxDelay the longest delay, jitter included
 * @param jitter the fraction by which a delay is randomly shortened or lengthened, at least 0 and less than 1
 * @param stableRun how long a run must last for its exit to reset the attempt count
 */
public record RestartBackoff(
        @NotNull Duration initialDelay, @NotNull Duration maxDelay, double jitter, @NotNull Duration stableRun) {

    /** 1 s doubling to 60 s, ±20 %, reset after a run of a minute. */
    public static final RestartBackoff DEFAULT =
            new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.2, Duration.ofSeconds(60));

    public RestartBackoff {
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("initialDelay must be positive, but was " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException(
                    "maxDelay must be at least initialDelay (" + initialDelay + "), but was " + maxDelay);
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("jitter must be at least 0 and less than 1, but was " + jitter);
        }
        if (stableRun.isNegative() || stableRun.isZero()) {
            throw new IllegalArgumentException("stableRun must be positive, but was " + stableRun);
        }
    }

    /**
     * The number of the restart that follows a run of {@code runTime}.
     *
     * @param previousAttempt the restart attempt that began the run, 0 when it was not a restart
     */
    int nextAttempt(final int previousAttempt, final @NotNull Duration runTime) {
        if (previousAttempt < 0) {
            throw new IllegalArgumentException("previousAttempt must not be negative, but was " + previousAttempt);
        }
        if (runTime.compareTo(stableRun) >= 0) {
            return 1;
        }
        return previousAttempt == Integer.MAX_VALUE ? previousAttempt : previousAttempt + 1;
    }

    /**
     * The delay before restart {@code attempt}: {@code initialDelay × 2^(attempt−1)}, capped at {@code maxDelay},
     * then moved by up to ±{@code jitter} of itself, and capped again so that {@code maxDelay} is a true maximum.
     *
     * @param attempt 1 for the first restart
     * @param random uniformly distributed, at least 0 and less than 1 (a parameter, so that tests need no seed)
     */
    @NotNull
    Duration delay(final int attempt, final double random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, but was " + attempt);
        }
        if (!(random >= 0 && random < 1)) {
            throw new IllegalArgumentException("random must be at least 0 and less than 1, but was " + random);
        }
        final double maxNanos = maxDelay.toNanos();
        // Doubles, because 2^(attempt-1) overflows a long long before the attempt count does.
        final double base = Math.min(initialDelay.toNanos() * Math.pow(2, attempt - 1), maxNanos);
        final double jittered = base * (1 + jitter * (2 * random - 1));
        return Duration.ofNanos((long) Math.min(jittered, maxNanos));
    }
}
