package dev.baton.adapters.usb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.discovery.DiscoveryConfig;
import dev.baton.adapters.api.discovery.DiscoveryHandler;
import dev.baton.adapters.api.discovery.ScanContext;
import dev.baton.adapters.api.discovery.ScanResult;
import dev.baton.protocol.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serial ports through jSerialComm, against real pseudo-terminals made by socat. */
class SerialPortDiscoveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private SocatPair pair;
    private final DiscoveryHandler handler = new UsbDiscoveryHandlerFactory().create(TestEnvironments.of());

    @BeforeEach
    void startSocat() throws Exception {
        pair = SocatPair.start(dir);
    }

    @AfterEach
    void stopSocat() throws Exception {
        pair.close();
    }

    private ScanResult scan(final String json) throws Exception {
        final DiscoveryConfig config = DiscoveryConfig.of("usb", (ObjectNode) JSON.readTree(json));
        handler.validate(config);
        return handler.scan(config, new ScanContext(Instant.now().plusSeconds(10)));
    }

    private String ports(final Path... paths) throws Exception {
        return JSON.writeValueAsString(
                java.util.Arrays.stream(paths).map(Path::toString).toList());
    }

    private static Map<String, Device> byId(final ScanResult result) {
        return result.devices().stream().collect(Collectors.toMap(Device::id, Function.identity()));
    }

    @Test
    void configuredPtyLinksAreReportedAsSerialPortsNamedByTheLink() throws Exception {
        final ScanResult result = scan("{\"serial\": true, \"serialPorts\": " + ports(pair.a, pair.b) + "}");

        assertThat(result.problems()).isEmpty();
        final Map<String, Device> devices = byId(result);
        for (final Path link : new Path[] {pair.a, pair.b}) {
            final Device port = devices.get("serial:" + link);
            assertThat(port).as("port for %s among %s", link, devices.keySet()).isNotNull();
            assertThat(port.kind()).isEqualTo("serial-port");
            assertThat(port.source()).isEqualTo("usb");
            assertThat(port.property("port")).isEqualTo(link.toString());
            assertThat(port.property("systemPortPath"))
                    .isEqualTo(link.toRealPath().toString());
            assertThat(port.property("systemPortName")).isNotBlank();
            assertThat(port.properties().has("usbDevice")).isFalse();
            assertThat(port.properties().has("vid")).isFalse();
        }
        assertThat(devices.get("serial:" + pair.a).property("systemPortPath"))
                .isNotEqualTo(devices.get("serial:" + pair.b).property("systemPortPath"));
    }

    @Test
    void matchOnSubsystemKeepsOrDropsThePtys() throws Exception {
        final String ports = ports(pair.a, pair.b);

        assertThat(byId(scan("{\"serial\": false, \"serialPorts\": " + ports
                        + ", \"match\": [\"SUBSYSTEM==\\\"tty\\\"\"]}")))
                .containsKeys("serial:" + pair.a, "serial:" + pair.b);
        assertThat(byId(scan("{\"serial\": false, \"serialPorts\": " + ports
                        + ", \"match\": [\"SUBSYSTEM==\\\"tty\\\", ATTRS{idVendor}==\\\"0403\\\"\"]}")))
                .doesNotContainKeys("serial:" + pair.a, "serial:" + pair.b);
    }

    @Test
    void portWhoseSocatEndedIsAProblemOfTheNextScanAndNoLongerReported() throws Exception {
        final String json = "{\"serial\": false, \"serialPorts\": " + ports(pair.a) + "}";
        assertThat(byId(scan(json))).containsKey("serial:" + pair.a);

        pair.stop();
        final ScanResult result = scan(json);

        assertThat(byId(result)).doesNotContainKey("serial:" + pair.a);
        assertThat(result.problems())
                .singleElement(InstanceOfAssertFactories.STRING)
                .contains(pair.a.toString())
                .contains("does not exist");
    }

    @Test
    void configuredPathThatIsARegularFileIsAProblemNotAPort() throws Exception {
        final Path file = Files.writeString(dir.resolve("not-a-port"), "x");

        final ScanResult result = scan("{\"serial\": false, \"serialPorts\": " + ports(file, pair.a) + "}");

        assertThat(byId(result)).containsOnlyKeys("serial:" + pair.a);
        assertThat(result.problems())
                .singleElement(InstanceOfAssertFactories.STRING)
                .contains(file.toString())
                .contains("regular file");
    }

    @Test
    void enumerationThroughJSerialCommRunsWithoutProblemsAndDoesNotDuplicateConfiguredPorts() throws Exception {
        final ScanResult result = scan("{\"serialPorts\": " + ports(pair.a) + "}");

        assertThat(result.problems()).as("jSerialComm's native library loads").isEmpty();
        final String pty = pair.a.toRealPath().toString();
        assertThat(result.devices())
                .filteredOn(d -> pty.equals(d.property("systemPortPath")))
                .extracting(Device::id)
                .containsExactly("serial:" + pair.a);
        assertThat(result.devices()).extracting(Device::id).doesNotHaveDuplicates();
    }
}
