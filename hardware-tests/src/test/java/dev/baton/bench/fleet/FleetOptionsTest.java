package dev.baton.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FleetOptionsTest {

    @Test
    void mavensSingleBenchArgsWordIsSplitIntoCountRepeatsAndOptions() {
        final FleetOptions options = FleetOptions.parse("10000 3 hub=launcher putConcurrency=8 pollMillis=500");

        assertThat(options.nodes()).isEqualTo(10_000);
        assertThat(options.rounds()).isEqualTo(3);
        assertThat(options.hub()).isEqualTo(FleetOptions.HubMode.LAUNCHER);
        assertThat(options.putConcurrency()).isEqualTo(8);
        assertThat(options.poll()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void noArgumentsMeanOneRoundOfAThousandAgentsOnAnInProcessHubListedOnlyAtTheEnd() {
        final FleetOptions options = FleetOptions.parse("");

        assertThat(options.nodes()).isEqualTo(1_000);
        assertThat(options.rounds()).isEqualTo(1);
        assertThat(options.hub()).isEqualTo(FleetOptions.HubMode.IN_PROCESS);
        assertThat(options.poll()).isZero();
    }

    @Test
    void aValueOutOfRangeIsRefusedNamingTheArgumentItsLimitsAndTheValue() {
        assertThatThrownBy(() -> FleetOptions.parse("200000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nodes must be between 1 and 100000, but was 200000");
        assertThatThrownBy(() -> FleetOptions.parse("1000 1 putConcurrency=0"))
                .hasMessage("putConcurrency must be between 1 and 1024, but was 0");
    }

    @Test
    void anUnknownOptionOrHubModeIsRefusedWithWhatIsKnown() {
        assertThatThrownBy(() -> FleetOptions.parse("1000 hubs=launcher"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown option 'hubs'; known: hub,");
        assertThatThrownBy(() -> FleetOptions.parse("1000 hub=remote"))
                .hasMessage("hub must be in-process or launcher, but was 'remote'");
        assertThatThrownBy(() -> FleetOptions.parse("1000 2 3"))
                .hasMessageContaining("at most two positional arguments");
    }
}
