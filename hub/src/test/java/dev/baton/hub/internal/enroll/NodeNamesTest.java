package dev.baton.hub.internal.enroll;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NodeNamesTest {

    @ParameterizedTest
    @CsvSource({
        "edge-01.plant7.example, edge-01",
        "Pi_Kitchen.local, pi-kitchen",
        "JETSON  NANO, jetson-nano",
        "--weird--host--, weird-host",
        "a1, a1"
    })
    void aHostNameBecomesItsFirstLabelAsADnsLabel(final String hostname, final String node) {
        assertThat(NodeNames.fromHostname(hostname)).hasValue(node);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "---", "___.example", ".local"})
    void aHostNameWithNothingUsableGivesNoName(final String hostname) {
        assertThat(NodeNames.fromHostname(hostname)).isEmpty();
    }

    @Test
    void aLongHostNameIsCutTo63CharactersWithoutATrailingDash() {
        final String name = NodeNames.fromHostname("a".repeat(62) + "-bbbb").orElseThrow();
        assertThat(name).hasSize(62).doesNotEndWith("-");
    }
}
