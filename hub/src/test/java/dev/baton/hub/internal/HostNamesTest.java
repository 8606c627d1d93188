package dev.baton.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostNamesTest {

    @Test
    void anIpv6LiteralIsBracketedOnceAndUnbracketedAgain() {
        assertThat(HostNames.bracket("::1")).isEqualTo("[::1]");
        assertThat(HostNames.bracket("[::1]")).isEqualTo("[::1]");
        assertThat(HostNames.unbracket("[::1]")).isEqualTo("::1");
        assertThat(HostNames.unbracket("::1")).isEqualTo("::1");
    }

    @Test
    void namesAndIpv4AddressesStayAsTheyAre() {
        assertThat(HostNames.bracket("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(HostNames.bracket("hub.example")).isEqualTo("hub.example");
        assertThat(HostNames.unbracket("hub.example")).isEqualTo("hub.example");
    }
}
