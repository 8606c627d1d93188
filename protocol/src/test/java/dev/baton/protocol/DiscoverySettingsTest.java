package dev.baton.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DiscoverySettingsTest {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void defaultsKeepADeviceForThreeIntervalsSoOneMissedProbeNeverDropsIt() {
        final DiscoverySettings settings = parse("{\"intervalSeconds\": 20}");
        assertThat(settings.enabled()).isTrue();
        assertThat(settings.interval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.grace()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.maxDevices()).isEqualTo(256);
    }

    @Test
    void includeAndExcludeGlobsMatchPropertiesCaseInsensitivelyAndAnyArrayElement() {
        final DiscoverySettings settings =
                parse("{\"include\": [{\"ip\": \"10.0.*\"}, {\"scopes\": \"*location/hall-b\"}],"
                        + " \"exclude\": [{\"mac\": \"00:11:22:*\"}]}");
        assertThat(settings.accepts(device("10.0.3.4", "AA:BB:CC:00:00:01", "onvif://www.onvif.org/location/dock")))
                .isTrue();
        assertThat(settings.accepts(
                        device("192.168.1.4", "AA:BB:CC:00:00:02", "onvif://www.onvif.org/LOCATION/Hall-B")))
                .isTrue();
        assertThat(settings.accepts(device("192.168.1.5", "AA:BB:CC:00:00:03", "onvif://www.onvif.org/location/dock")))
                .isFalse();
        assertThat(settings.accepts(device("10.0.3.5", "00:11:22:33:44:55", "x")))
                .as("excluded")
                .isFalse();
    }

    @Test
    void badSettingsAreRefusedNamingTheHandlerAndKey() {
        assertThatThrownBy(() -> parse("{\"enabled\": \"yes\"}"))
                .hasMessageContaining("discovery.test.enabled must be true or false");
        assertThatThrownBy(() -> parse("{\"timeoutMs\": 5.5}"))
                .hasMessageContaining("discovery.test.timeoutMs must be a whole number from 100 to 600000");
        assertThatThrownBy(() -> parse("{\"include\": [{\"ip\": 10}]}"))
                .hasMessageContaining("discovery.test.include[0].ip must be a glob");
        assertThatThrownBy(() -> parse("{\"exclude\": {\"ip\": \"x\"}}"))
                .hasMessageContaining("discovery.test.exclude must be an array");
    }

    private DiscoverySettings parse(final String json) {
        return DiscoverySettings.parse("test", (ObjectNode) codec.readTree(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static Device device(final String ip, final String mac, final String scope) {
        final ObjectNode properties =
                JsonNodeFactory.instance.objectNode().put("ip", ip).put("mac", mac);
        properties
                .putArray("scopes")
                .add("onvif://www.onvif.org/type/video_encoder")
                .add(scope);
        return new Device("onvif:" + ip, "onvif-camera", "onvif", "cam", properties);
    }
}
