package dev.baton.adapters.usb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.discovery.DiscoveryConfig;
import dev.baton.adapters.api.discovery.DiscoveryException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsbDiscoveryConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static UsbDiscoveryConfig read(final String json) throws Exception {
        return UsbDiscoveryConfig.from(DiscoveryConfig.of("usb", (ObjectNode) JSON.readTree(json)));
    }

    @Test
    void emptyConfigurationReadsTheHostsSysfsAndListsSerialPorts() throws Exception {
        final UsbDiscoveryConfig config = read("{}");

        assertThat(config).isEqualTo(new UsbDiscoveryConfig(Path.of("/sys"), false, false, true, List.of(), List.of()));
    }

    @Test
    void everyKeyIsReadIntoItsTypedValue() throws Exception {
        final UsbDiscoveryConfig config = read(
                """
                {"enabled": true, "intervalSeconds": 5, "sysfsRoot": "/tmp/fixture/sys", "rootHubs": true,
                 "serial": false, "serialPorts": ["/tmp/ttyV0", "COM3"],
                 "match": ["ATTRS{idVendor}==\\"0483\\"", "SUBSYSTEM==\\"tty\\""]}
                """);

        assertThat(config.sysfsRoot()).isEqualTo(Path.of("/tmp/fixture/sys"));
        assertThat(config.sysfsRootConfigured()).isTrue();
        assertThat(config.rootHubs()).isTrue();
        assertThat(config.serial()).isFalse();
        assertThat(config.serialPorts()).containsExactly("/tmp/ttyV0", "COM3");
        assertThat(config.match())
                .extracting(UdevMatch::toString)
                .containsExactly("ATTRS{idVendor}==\"0483\"", "SUBSYSTEM==\"tty\"");
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            textBlock =
                    """
            {"sysfs": "/sys"}                          | discovery.usb has unknown property 'sysfs'; discovery handler 'usb' take
            {"sysfsRoot": "sys"}                       | discovery.usb property 'sysfsRoot' must be an absolute path, but was "sys"
            {"sysfsRoot": ""}                          | property 'sysfsRoot' must be a path of 1 to 1024 characters
            {"sysfsRoot": 5}                           | property 'sysfsRoot' must be a string, but was a number
            {"serial": "yes"}                          | property 'serial' must be true or false, but was a string
            {"rootHubs": 1}                            | property 'rootHubs' must be true or false, but was a number
            {"serialPorts": "/tmp/x"}                  | property 'serialPorts' must be an array of strings, but was a string
            {"serialPorts": ["tty0"]}                  | property 'serialPorts[0]' must be an absolute path (or COMn on Windows), but was "tty0"
            {"serialPorts": ["/tmp/a", "/tmp/a"]}      | property 'serialPorts[1]' repeats 'serialPorts[0]' ("/tmp/a")
            {"serialPorts": ["/tmp/a\\u0001"]}         | property 'serialPorts[0]' must be a path of 1 to 1024 characters without control characters, but was "/tmp/a\\u0001"
            {"match": ["KERNEL==\\"a\\"", "KERNEL"]}   | property 'match[1]' ("KERNEL") is not a valid match at position 7: expected '==' or '!=' after KERNEL, but found the end
            {"match": [7]}                             | property 'match[0]' must be a string, but was a number
            """)
    void invalidKeyIsRefusedNamingItTheRuleAndTheValue(final String json, final String expected) {
        assertThatThrownBy(() -> read(json))
                .isInstanceOfSatisfying(DiscoveryException.class, e -> assertThat(e.reason())
                        .isEqualTo(DiscoveryException.Reason.INVALID_CONFIG))
                .hasMessageContaining(expected);
    }

    @Test
    void tooManyPortsOrMatchesAreRefusedWithTheLimit() {
        final String ports = JSON.valueToTree(java.util.stream.IntStream.range(0, 65)
                        .mapToObj(i -> "/tmp/p" + i)
                        .toList())
                .toString();
        assertThatThrownBy(() -> read("{\"serialPorts\": " + ports + "}"))
                .hasMessageContaining("'serialPorts' must not hold more than 64 paths, but held 65");
        final String matches = JSON.valueToTree(java.util.Collections.nCopies(33, "KERNEL==\"a\""))
                .toString();
        assertThatThrownBy(() -> read("{\"match\": " + matches + "}"))
                .hasMessageContaining("'match' must not hold more than 32 strings, but held 33");
    }
}
