package dev.baton.sim.onvif;

import static dev.baton.sim.onvif.OnvifHandlerHarness.JSON;
import static dev.baton.sim.onvif.OnvifHandlerHarness.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.discovery.ScanResult;
import dev.baton.protocol.Device;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code onvif} handler against simulated cameras over real WS-Discovery (UDP multicast on {@code lo}, and
 * unicast) and real SOAP over HTTP on loopback.
 */
class OnvifDiscoveryHandlerTest {

    private static final String PASSWORD = "s3cret-" + UUID.randomUUID();
    private static final String MULTICAST_ON_LO = "{\"interface\": \"lo\", \"listen\": false, \"timeoutMs\": 2500}";

    @TempDir
    Path tmp;

    private OnvifHandlerHarness harness;
    private OnvifCameraSimulator simulator;

    @BeforeEach
    void startHandler() {
        harness = new OnvifHandlerHarness(tmp);
    }

    @AfterEach
    void stopAll() {
        harness.close();
        if (simulator != null) {
            simulator.close();
        }
    }

    private OnvifCameraSimulator.Builder simulator() {
        return OnvifCameraSimulator.builder().interfaceName("lo").maxMatchDelay(Duration.ofMillis(300));
    }

    @Test
    void multicastScanOnLoopbackResolvesEveryPropertyOfEachCamera() throws Exception {
        simulator = simulator().credentials("admin", PASSWORD).cameras(3).start();
        harness.credentials(Map.of("default", Map.of("username", "admin", "password", PASSWORD)));

        final ScanResult result = harness.scan(MULTICAST_ON_LO);

        final Map<String, Device> found = only(result, simulator.cameras());
        assertThat(found).hasSize(3);
        for (final SimulatedCamera camera : simulator.cameras()) {
            final Device device = found.get(camera.spec().deviceId());
            assertThat(device.kind()).isEqualTo("onvif-camera");
            assertThat(device.source()).isEqualTo("onvif");
            assertThat(device.name())
                    .isEqualTo(
                            camera.spec().manufacturer() + " " + camera.spec().model());
            assertThat(device.properties()).isEqualTo(expectedProperties(camera));
        }
        assertThat(result.problems()).noneMatch(p -> simulator.cameras().stream()
                .anyMatch(c -> p.contains(c.spec().uuid())));
    }

    @Test
    void unicastOnlyScanFindsExactlyTheListedCamerasWithoutMulticast() throws Exception {
        simulator = simulator().credentials("admin", PASSWORD).cameras(3).start();
        harness.credentials(Map.of("default", Map.of("username", "admin", "password", PASSWORD)));
        final List<SimulatedCamera> listed = simulator.cameras().subList(0, 2);
        final String targets =
                listed.stream().map(c -> "\"" + c.unicastTarget() + "\"").collect(Collectors.joining(", "));

        final ScanResult result = harness.scan(
                "{\"multicast\": false, \"listen\": false, \"timeoutMs\": 2500, \"unicast\": [" + targets + "]}");

        assertThat(result.devices())
                .extracting(Device::id)
                .containsExactlyInAnyOrderElementsOf(
                        listed.stream().map(c -> c.spec().deviceId()).toList());
        for (final SimulatedCamera camera : listed) {
            assertThat(only(result, List.of(camera))
                            .get(camera.spec().deviceId())
                            .properties())
                    .isEqualTo(expectedProperties(camera));
        }
        assertThat(result.problems()).isEmpty();
    }

    @Test
    void wrongPasswordLeavesTheCameraListedAsAuthFailedWithAProblemNamingCameraAndUserButNotThePassword()
            throws Exception {
        final CameraSpec spec =
                CameraSpec.builder().credentials("operator", PASSWORD).build();
        simulator = simulator().camera(spec).start();
        final String wrong = "wrong-" + UUID.randomUUID();
        harness.credentials(Map.of(
                "default",
                Map.of("username", "admin", "password", PASSWORD),
                spec.uuid(),
                Map.of("username", "operator", "password", wrong)));

        final ScanResult result = harness.scan(MULTICAST_ON_LO);

        final Device device = only(result, simulator.cameras()).get(spec.deviceId());
        assertThat(device).isNotNull();
        final ObjectNode properties = device.properties();
        assertThat(properties.get("status").textValue()).isEqualTo("auth-failed");
        assertThat(properties.get("uuid").textValue()).isEqualTo(spec.uuid());
        assertThat(properties.get("xaddrs").get(0).textValue())
                .isEqualTo(simulator.cameras().get(0).deviceService().toString());
        assertThat(properties.get("scopes")).hasSize(spec.scopes().size());
        assertThat(properties.get("ip").textValue()).isEqualTo("127.0.0.1");
        assertThat(properties.has("manufacturer")).isFalse();
        assertThat(properties.has("profiles")).isFalse();
        assertThat(simulator.refusedCredentials(spec.uuid())).isPositive();
        assertThat(result.problems())
                .filteredOn(p -> p.contains(spec.uuid()))
                .singleElement()
                .satisfies(problem -> assertThat(problem)
                        .contains("refused the credentials for user 'operator'")
                        .contains("check secrets/onvif.json")
                        .doesNotContain(wrong)
                        .doesNotContain(PASSWORD));
        assertThat(result.toString()).doesNotContain(wrong).doesNotContain(PASSWORD);
    }

    @Test
    void cameraThatRefusesWithHttp401IsAlsoReportedAsAuthFailed() throws Exception {
        final CameraSpec spec = CameraSpec.builder()
                .credentials("admin", PASSWORD)
                .authFailureStatus(401)
                .build();
        simulator = simulator().camera(spec).start();
        harness.credentials(Map.of("default", Map.of("username", "admin", "password", "not-" + PASSWORD)));

        final ScanResult result = harness.scan(unicast(simulator.cameras().get(0)));

        assertThat(result.devices()).singleElement().satisfies(device -> assertThat(device.property("status"))
                .isEqualTo("auth-failed"));
        assertThat(result.problems()).singleElement().asString().contains("HTTP 401");
    }

    @Test
    void cameraAskingForCredentialsWhenNoneAreConfiguredIsReportedAsAuthFailedSayingWhatToAdd() throws Exception {
        simulator = simulator().credentials("admin", PASSWORD).cameras(1).start();

        final ScanResult result = harness.scan(unicast(simulator.cameras().get(0)));

        assertThat(result.devices()).singleElement().satisfies(device -> {
            assertThat(device.property("status")).isEqualTo("auth-failed");
            // Without device information, the name comes from the camera's name scope.
            assertThat(device.name()).isEqualTo("Baton_Simulated_SimCam_S1");
        });
        assertThat(result.problems())
                .singleElement()
                .asString()
                .contains("asks for credentials")
                .contains("secrets/onvif.json has none for it");
    }

    @Test
    void perCameraCredentialsTakePrecedenceOverTheDefault() throws Exception {
        final CameraSpec usesDefault =
                CameraSpec.builder().credentials("admin", PASSWORD).build();
        final CameraSpec ownPassword =
                CameraSpec.builder().credentials("viewer", "other-" + PASSWORD).build();
        simulator = simulator().camera(usesDefault).camera(ownPassword).start();
        final String bareUuid =
                ownPassword.uuid().substring("urn:uuid:".length()).toUpperCase();
        harness.credentials(Map.of(
                "default",
                Map.of("username", "admin", "password", PASSWORD),
                bareUuid,
                Map.of("username", "viewer", "password", "other-" + PASSWORD)));

        final ScanResult result = harness.scan(MULTICAST_ON_LO);

        final Map<String, Device> found = only(result, simulator.cameras());
        assertThat(found.values()).extracting(d -> d.property("status")).containsExactly("ok", "ok");
    }

    @Test
    void anUnchangedCameraGivesAnIdenticalDeviceOnTheNextScan() throws Exception {
        simulator = simulator().credentials("admin", PASSWORD).cameras(2).start();
        harness.credentials(Map.of("default", Map.of("username", "admin", "password", PASSWORD)));
        final String config = unicast(simulator.cameras().toArray(SimulatedCamera[]::new));

        final ScanResult first = harness.scan(config);
        final ScanResult second = harness.scan(config);

        assertThat(first.devices()).hasSize(2);
        assertThat(second.devices())
                .extracting(Device::contentHash)
                .containsExactlyElementsOf(
                        first.devices().stream().map(Device::contentHash).toList());
    }

    @Test
    void helloFromANewCameraAsksForARescanAndItsByeReportsItDepartedDespiteGarbageSentToTheGroup() throws Exception {
        simulator = simulator().start();
        harness.handler.configure(OnvifHandlerHarness.config("{\"interface\": \"lo\"}"));
        final int rescansBefore = harness.rescans.size();
        sendToTheGroup("\u0000garbage<".getBytes(StandardCharsets.UTF_8));
        sendToTheGroup(("<x>" + " ".repeat(40_000) + "</x>").getBytes(StandardCharsets.UTF_8));

        final SimulatedCamera camera = simulator.add(CameraSpec.builder().build());

        await().atMost(Duration.ofSeconds(5)).until(() -> harness.rescans.size() > rescansBefore);
        assertThat(harness.rescans).allMatch("onvif"::equals);

        simulator.remove(camera.spec().uuid());

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(harness.departures)
                .contains("onvif " + camera.spec().deviceId()));
        // Bye is sent twice (SOAP-over-UDP repetition); the handler reports the departure once.
        Thread.sleep(300);
        assertThat(harness.departures)
                .filteredOn(d -> d.endsWith(camera.spec().deviceId()))
                .hasSize(1);
    }

    @Test
    void disablingTheHandlerStopsListeningForHello() throws Exception {
        simulator = simulator().start();
        harness.handler.configure(OnvifHandlerHarness.config("{\"interface\": \"lo\"}"));
        harness.handler.configure(OnvifHandlerHarness.config("{\"interface\": \"lo\", \"enabled\": false}"));

        final SimulatedCamera camera = simulator.add(CameraSpec.builder().build());
        simulator.remove(camera.spec().uuid());

        // The Bye names this camera alone, so no other test's traffic can satisfy or spoil this.
        Thread.sleep(700);
        assertThat(harness.departures).noneMatch(d -> d.endsWith(camera.spec().deviceId()));
    }

    /** Sends a datagram to the WS-Discovery group on {@code lo}, as any host on the network may. */
    private static void sendToTheGroup(final byte[] datagram) throws Exception {
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
            channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName("lo"));
            channel.send(ByteBuffer.wrap(datagram), new InetSocketAddress("239.255.255.250", 3702));
        }
    }

    private static String unicast(final SimulatedCamera... cameras) {
        return "{\"multicast\": false, \"listen\": false, \"timeoutMs\": 2500, \"unicast\": ["
                + java.util.Arrays.stream(cameras)
                        .map(c -> "\"" + c.unicastTarget() + "\"")
                        .collect(Collectors.joining(", "))
                + "]}";
    }

    /** What the handler must report for {@code camera}, written out from the simulator's specification. */
    private static ObjectNode expectedProperties(final SimulatedCamera camera) {
        final CameraSpec spec = camera.spec();
        final ObjectNode expected = JSON.createObjectNode();
        expected.put("uuid", spec.uuid());
        expected.putArray("xaddrs").add(camera.deviceService().toString());
        final ArrayNode scopes = expected.putArray("scopes");
        spec.scopes().stream().sorted().forEach(scopes::add);
        expected.put("ip", "127.0.0.1");
        expected.put("mac", spec.mac());
        expected.put("manufacturer", spec.manufacturer());
        expected.put("model", spec.model());
        expected.put("firmwareVersion", spec.firmwareVersion());
        expected.put("serialNumber", spec.serialNumber());
        expected.put("hardwareId", spec.hardwareId());
        expected.put("status", "ok");
        final ArrayNode profiles = expected.putArray("profiles");
        for (final ProfileSpec profile : spec.profiles()) {
            profiles.addObject()
                    .put("token", profile.token())
                    .put("name", profile.name())
                    .put("encoding", profile.encoding())
                    .put("width", profile.width())
                    .put("height", profile.height())
                    .put("streamUri", profile.streamUri());
        }
        expected.put("snapshotUri", camera.snapshotUri());
        final ArrayNode streams = expected.putArray("streamUris");
        spec.profiles().forEach(p -> streams.add(p.streamUri()));
        return expected;
    }
}
