package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = Backoff.RECONNECT_DEFAULT;

    @Test
    void doublesFromTheInitialDelayUpToTheCap() {
        assertThat(backoff.delay(0, 0.5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(1, 0.5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(4, 0.5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(backoff.delay(5, 0.5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(10_000, 0.5)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void spreadsEachDelayByTheJitterAroundItsValue() {
        assertThat(backoff.delay(0, 0.0)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.delay(0, 0.999_999)).isEqualTo(Duration.ofMillis(1200));
        assertThat(backoff.delay(9, 0.0)).isEqualTo(Duration.ofSeconds(24));
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.delay(2)).isBetween(Duration.ofMillis(3200), Duration.ofMillis(4800));
        }
    }

    @Test
    void refusesAJitterAboveOneHalf() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.7))
                .hasMessage("backoff jitter must be between 0 and 0.5, but was 0.7");
    }
}
