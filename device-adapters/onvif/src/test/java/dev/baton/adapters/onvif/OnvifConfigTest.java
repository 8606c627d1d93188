package dev.baton.adapters.onvif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.discovery.DiscoveryConfig;
import dev.baton.adapters.api.discovery.DiscoveryException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnvifConfigTest {

    private static DiscoveryConfig config(final String json) throws Exception {
        return DiscoveryConfig.of("onvif", (ObjectNode) new ObjectMapper().readTree(json));
    }

    @Test
    void defaultsAreMulticastOnEveryInterfaceWithHelloListening() throws Exception {
        assertThat(OnvifConfig.from(config("{}"))).isEqualTo(new OnvifConfig(List.of(), true, Optional.empty(), true));
    }

    @Test
    void everyKeyIsReadIntoItsTypedValue() throws Exception {
        final OnvifConfig onvif = OnvifConfig.from(config("{\"unicast\": [\"10.0.0.5:3702\", \"cam-7.local\","
                + " \"[fd00::5]:8000\", \"10.0.0.5:3702\"], \"multicast\": false, \"interface\": \"eth0\","
                + " \"listen\": false, \"timeoutMs\": 3000}"));

        assertThat(onvif.unicast())
                .containsExactly(
                        new UnicastTarget("10.0.0.5", 3702),
                        new UnicastTarget("cam-7.local", 3702),
                        new UnicastTarget("fd00::5", 8000));
        assertThat(onvif.multicast()).isFalse();
        assertThat(onvif.interfaceName()).contains("eth0");
        assertThat(onvif.listen()).isFalse();
        assertThat(onvif.unicast().get(2)).hasToString("[fd00::5]:8000");
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            {"unicast": "10.0.0.5:3702"}              | discovery.onvif property 'unicast' must be an array of strings, but was a string
            {"unicast": [3702]}                       | discovery.onvif property 'unicast[0]' must be a string, but was a number
            {"unicast": ["10.0.0.5:0"]}               | discovery.onvif property 'unicast[0]' must have a port from 1 to 65535, but was "10.0.0.5:0"
            {"unicast": ["10.0.0.5:65536"]}           | property 'unicast[0]' must have a port from 1 to 65535, but was "10.0.0.5:65536"
            {"unicast": ["10.0.0.5:http"]}            | property 'unicast[0]' must be "host:port"
            {"unicast": ["fd00::5:3702"]}             | property 'unicast[0]' must be "host:port" (an IPv4 address or DNS name, or an IPv6 address in brackets, and a port), such as "10.0.0.5:3702", but was "fd00::5:3702"
            {"unicast": ["http://10.0.0.5/"]}         | property 'unicast[0]' must be "host:port"
            {"unicast": [""]}                         | property 'unicast[0]' must be "host:port"
            {"unicast": ["[fd00::5"]}                 | property 'unicast[0]' must be "host:port"
            {"multicast": "yes"}                      | discovery.onvif property 'multicast' must be true or false, but was a string
            {"listen": 1}                             | discovery.onvif property 'listen' must be true or false, but was a number
            {"interface": 7}                          | discovery.onvif property 'interface' must be a string, but was a number
            {"interface": "eth0; rm -rf"}             | property 'interface' must be a network interface name of 1 to 15 letters, digits, '_', '.', ':', '@' or '-', such as "eth0", but was "eth0; rm -rf"
            {"interface": "a-very-long-interface"}    | property 'interface' must be a network interface name
            {"multicast": false}                      | discovery.onvif has property 'multicast' false and no 'unicast' addresses, so it could find nothing
            {"unicastt": ["10.0.0.5:3702"]}           | discovery.onvif has unknown property 'unicastt'; discovery handler 'onvif' take enabled, exclude, graceSeconds, include, interface, intervalSeconds, listen, maxDevices, multicast, timeoutMs, unicast
            """)
    void invalidSettingsAreRefusedNamingTheKeyTheRuleAndTheValue(final String json, final String message) {
        assertThatThrownBy(() -> OnvifConfig.from(config(json)))
                .isInstanceOfSatisfying(DiscoveryException.class, e -> assertThat(e.reason())
                        .isEqualTo(DiscoveryException.Reason.INVALID_CONFIG))
                .hasMessageContaining(message);
    }

    @Test
    void multicastOffWithoutUnicastIsAcceptedWhileTheHandlerIsDisabled() throws Exception {
        assertThat(OnvifConfig.from(config("{\"multicast\": false, \"enabled\": false}"))
                        .multicast())
                .isFalse();
    }

    @Test
    void moreThan256UnicastAddressesAreRefusedWithLimitAndCount() throws Exception {
        final String targets = IntStream.range(0, 257)
                .mapToObj(i -> "\"10.0." + (i / 200) + "." + (i % 200 + 1) + ":3702\"")
                .collect(Collectors.joining(","));

        assertThatThrownBy(() -> OnvifConfig.from(config("{\"unicast\": [" + targets + "]}")))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("property 'unicast' must not list more than 256 addresses, but listed 257");
    }

    @Test
    void controlCharactersInARefusedValueAreEscapedSoThatTheErrorCannotForgeLogLines() {
        assertThatThrownBy(() -> OnvifConfig.from(config("{\"unicast\": [\"cam\\nINFO forged:1\"]}")))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("cam\\u000aINFO forged:1")
                .hasMessageNotContaining("\n");
    }
}
