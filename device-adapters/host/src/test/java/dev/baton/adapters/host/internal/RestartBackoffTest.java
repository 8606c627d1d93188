package dev.baton.adapters.host.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    /** The middle of [0, 1): no jitter either way. */
    private static final double NO_JITTER = 0.5;

    private final RestartBackoff backoff = RestartBackoff.DEFAULT;

    @Test
    void delayDoublesFromOneSecondPerAttempt() {
        assertThat(backoff.delay(1, NO_JITTER)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(2, NO_JITTER)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(3, NO_JITTER)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.delay(6, NO_JITTER)).isEqualTo(Duration.ofSeconds(32));
    }

    @Test
    void delayIsCappedAtSixtySecondsEvenForHugeAttemptCounts() {
        assertThat(backoff.delay(7, NO_JITTER)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.delay(1_000, NO_JITTER)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.delay(Integer.MAX_VALUE, NO_JITTER)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void jitterMovesTheDelayByUpToTwentyPercentEitherWay() {
        assertThat(backoff.delay(3, 0.0)).isEqualTo(Duration.ofMillis(3_200));
        assertThat(backoff.delay(3, 0.25)).isEqualTo(Duration.ofMillis(3_600));
        assertThat(backoff.delay(3, Math.nextDown(1.0))).isBetween(Duration.ofMillis(4_799), Duration.ofMillis(4_800));
    }

    @Test
    void jitterNeverPushesTheDelayBeyondTheCap() {
        assertThat(backoff.delay(10, Math.nextDown(1.0))).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.delay(10, 0.0)).isEqualTo(Duration.ofSeconds(48));
    }

    @Test
    void aShortRunCountsUpTheAttempts() {
        assertThat(backoff.nextAttempt(0, Duration.ofSeconds(5))).isEqualTo(1);
        assertThat(backoff.nextAttempt(1, Duration.ofSeconds(5))).isEqualTo(2);
        assertThat(backoff.nextAttempt(6, Duration.ofSeconds(59))).isEqualTo(7);
    }

    @Test
    void aRunOfAMinuteOrMoreResetsTheAttemptsToTheFirst() {
        assertThat(backoff.nextAttempt(6, Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(backoff.nextAttempt(6, Duration.ofHours(3))).isEqualTo(1);
    }

    @Test
    void attemptCountSaturatesInsteadOfOverflowing() {
        assertThat(backoff.nextAttempt(Integer.MAX_VALUE, Duration.ZERO)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void invalidSettingsAreRefusedNamingFieldAndValue() {
        assertThatThrownBy(() -> new RestartBackoff(Duration.ZERO, Duration.ofSeconds(1), 0.2, Duration.ofSeconds(1)))
                .hasMessage("initialDelay must be positive, but was PT0S");
        assertThatThrownBy(() ->
                        new RestartBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0.2, Duration.ofSeconds(1)))
                .hasMessage("maxDelay must be at least initialDelay (PT2S), but was PT1S");
        assertThatThrownBy(() ->
                        new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0, Duration.ofSeconds(1)))
                .hasMessage("jitter must be at least 0 and less than 1, but was 1.0");
        assertThatThrownBy(() -> backoff.delay(0, NO_JITTER)).hasMessage("attempt must be at least 1, but was 0");
    }
}
