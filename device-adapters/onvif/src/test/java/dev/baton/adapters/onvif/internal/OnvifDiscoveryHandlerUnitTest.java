package dev.baton.adapters.onvif.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.discovery.DiscoveryConfig;
import dev.baton.adapters.api.discovery.DiscoveryEnvironment;
import dev.baton.adapters.api.discovery.DiscoveryException;
import dev.baton.adapters.api.discovery.DiscoveryHandler;
import dev.baton.adapters.api.discovery.DiscoveryHandlerFactory;
import dev.baton.adapters.api.discovery.DiscoveryListener;
import dev.baton.adapters.api.discovery.ScanContext;
import dev.baton.protocol.Device;
import dev.baton.protocol.Limits;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnvifDiscoveryHandlerUnitTest {

    @TempDir
    Path secrets;

    private static DiscoveryConfig config(final String json) throws Exception {
        return DiscoveryConfig.of("onvif", (ObjectNode) new ObjectMapper().readTree(json));
    }

    private DiscoveryHandler handlerFromServiceLoader() {
        final DiscoveryHandlerFactory factory = ServiceLoader.load(DiscoveryHandlerFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals("onvif"))
                .findFirst()
                .orElseThrow();
        return factory.create(new DiscoveryEnvironment(
                secrets, Executors.newSingleThreadScheduledExecutor(), new DiscoveryListener() {
                    @Override
                    public void rescan(final @NotNull String handler) {}

                    @Override
                    public void departed(final @NotNull String handler, final @NotNull String deviceId) {}
                }));
    }

    @Test
    void theServiceLoaderFindsTheHandlerWhichValidatesItsKeys() throws Exception {
        try (DiscoveryHandler handler = handlerFromServiceLoader()) {
            assertThat(handler.name()).isEqualTo("onvif");
            handler.validate(config("{\"unicast\": [\"10.0.0.5:3702\"], \"interface\": \"eth0\"}"));
            assertThatThrownBy(() -> handler.validate(config("{\"multicast\": 1}")))
                    .isInstanceOf(DiscoveryException.class)
                    .hasMessage("discovery.onvif property 'multicast' must be true or false, but was a number");
        }
    }

    @Test
    void aScanOnAnInterfaceThatDoesNotExistIsUnavailableNamingTheInterfaceAndTheExistingOnes() throws Exception {
        try (DiscoveryHandler handler = handlerFromServiceLoader()) {
            assertThatThrownBy(() -> handler.scan(
                            config("{\"interface\": \"nosuch0\"}"),
                            new ScanContext(Instant.now().plusSeconds(1))))
                    .isInstanceOfSatisfying(DiscoveryException.class, e -> assertThat(e.reason())
                            .isEqualTo(DiscoveryException.Reason.UNAVAILABLE))
                    .hasMessageContaining("discovery.onvif.interface 'nosuch0' does not exist on this host; it has ")
                    .hasMessageContaining("lo");
        }
    }

    @Test
    void theProbeWindowLeavesAQuarterOfTheTimeoutForQueriesWithinBounds() {
        assertThat(OnvifDiscoveryHandler.probeWindow(Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(3_700));
        assertThat(OnvifDiscoveryHandler.probeWindow(Duration.ofSeconds(60))).isEqualTo(Duration.ofMillis(57_950));
        assertThat(OnvifDiscoveryHandler.probeWindow(Duration.ofMillis(600))).isEqualTo(Duration.ofMillis(300));
        assertThat(OnvifDiscoveryHandler.probeWindow(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(0));
    }

    @Test
    void credentialsInStreamUrisAreLeftOutOfTheInventory() {
        assertThat(OnvifSoapClient.withoutSecrets(URI.create("rtsp://admin:hunter2@10.0.0.5:554/Streaming/101")))
                .isEqualTo("rtsp://10.0.0.5:554/Streaming/101");
        assertThat(OnvifSoapClient.withoutSecrets(
                        URI.create("http://10.0.0.5/snap.cgi?user=admin&pwd=hunter2&channel=1#x")))
                .isEqualTo("http://10.0.0.5/snap.cgi?user=admin&channel=1#x");
        assertThat(OnvifSoapClient.withoutSecrets(URI.create("rtsp://10.0.0.5/live?password=hunter2")))
                .isEqualTo("rtsp://10.0.0.5/live");
    }

    @Test
    void aCameraWithAbsurdlyManyLongValuesStillFitsTheProtocolsPropertyLimit() {
        final List<String> scopes = IntStream.range(0, 32)
                .mapToObj(i -> "onvif://www.onvif.org/location/" + "x".repeat(220) + i)
                .toList();
        final List<URI> xaddrs = IntStream.range(0, 8)
                .mapToObj(i -> URI.create("http://10.0.0." + i + "/" + "p".repeat(480)))
                .toList();
        final CameraFacts facts = new CameraFacts(new DiscoveredEndpoint(
                "urn:uuid:big",
                Set.of(DiscoveredEndpoint.DEVICE),
                scopes,
                xaddrs,
                1,
                new InetSocketAddress("10.0.0.1", 3702)));
        for (int i = 0; i < OnvifSoapClient.MAX_PROFILES; i++) {
            facts.profile(
                    new OnvifSoapClient.MediaProfile("t" + i, "n".repeat(128), "H264", 1920, 1080),
                    "rtsp://10.0.0.1/" + "s".repeat(490));
        }
        facts.status(dev.baton.adapters.onvif.CameraStatus.OK);

        final Device device = facts.toDevice();

        assertThat(device.properties().toString().getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(Limits.MAX_DEVICE_PROPERTY_BYTES);
        assertThat(device.properties().get("xaddrs")).isNotEmpty();
        assertThat(device.properties().get("profiles")).isNotEmpty();
        assertThat(device.properties().get("streamUris"))
                .hasSameSizeAs(device.properties().get("profiles"));
        assertThat(device.contentHash()).isEqualTo(facts.toDevice().contentHash());
    }
}
