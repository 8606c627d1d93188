package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.discovery.DiscoveryConfig;
import dev.baton.adapters.api.discovery.DiscoveryEnvironment;
import dev.baton.adapters.api.discovery.DiscoveryHandler;
import dev.baton.adapters.api.discovery.DiscoveryHandlerFactory;
import dev.baton.adapters.api.discovery.DiscoveryListener;
import dev.baton.adapters.api.discovery.ScanContext;
import dev.baton.adapters.api.discovery.ScanResult;
import dev.baton.agent.AgentConfig;
import dev.baton.agent.BatonAgent;
import dev.baton.agent.Enrollment;
import dev.baton.hub.BatonHub;
import dev.baton.hub.HubConfig;
import dev.baton.protocol.DesiredSpec;
import dev.baton.protocol.Device;
import dev.baton.sim.usb.UsbFixtureTree;
import dev.baton.testing.HubApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inventory from an agent's discovery to the hub's device API, in one JVM on loopback. The handler here is scripted
 * (the test decides what it "finds"), so that these tests pin down the agent's and hub's part: scheduling from the
 * desired document, grace periods, deltas and snapshots, restarts. The real handlers have their own end-to-end tests
 * against the simulators.
 */
class InventoryRoundTripTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private final List<AutoCloseable> running = new ArrayList<>();
    private final ScriptedDiscovery scripted = new ScriptedDiscovery();
    private BatonHub hub;
    private HubApi api;

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void discoveredDevicesAppearAtTheHubAndGoMissingOnlyAfterTheGracePeriod() {
        startHub();
        final AgentConfig config = enroll("inv-edge-1");
        startAgent(config);
        scripted.devices.set(List.of(camera("cam-1", "10.0.0.1"), camera("cam-2", "10.0.0.2")));
        api.setDesired("inv-edge-1", discovery("{\"scripted\": {\"intervalSeconds\": 1, \"graceSeconds\": 4}}"));

        await().atMost(WAIT).until(() -> api.devices("?node=inv-edge-1").size() == 2);
        final JsonNode node = api.node("inv-edge-1");
        assertThat(node.get("inventory").get("devices").asInt()).isEqualTo(2);
        assertThat(node.get("host").isObject())
                .as("host facts sent with the snapshot")
                .isTrue();

        final long lostAt = System.nanoTime();
        scripted.devices.set(List.of(camera("cam-1", "10.0.0.1")));
        await().atMost(WAIT)
                .until(() ->
                        api.device("onvif:cam-2").body().get("state").asText().equals("missing"));
        final Duration keptFor = Duration.ofNanos(System.nanoTime() - lostAt);
        assertThat(keptFor).as("kept through several missed scans").isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(api.device("onvif:cam-1").body().get("state").asText()).isEqualTo("present");
        final List<String> types = eventTypes("inv-edge-1");
        assertThat(types.stream().filter("device.appeared"::equals)).hasSize(2);
        assertThat(types.stream().filter("device.gone"::equals)).hasSize(1);
    }

    @Test
    void aRestartedAgentReportsTheSameDevicesWithoutDuplicatesOrNewEvents() {
        startHub();
        final AgentConfig config = enroll("inv-edge-2");
        BatonAgent agent = startAgent(config);
        scripted.devices.set(List.of(camera("cam-9", "10.0.0.9")));
        api.setDesired("inv-edge-2", discovery("{\"scripted\": {\"intervalSeconds\": 1}}"));
        await().atMost(WAIT).until(() -> api.devices("?node=inv-edge-2").size() == 1);
        final String hash = api.node("inv-edge-2").get("inventory").get("hash").asText();
        final int appeared = (int) eventTypes("inv-edge-2").stream()
                .filter("device.appeared"::equals)
                .count();

        agent.close();
        running.remove(agent);
        final int scansBefore = scripted.scans.size();
        agent = startAgent(config);
        await().atMost(WAIT).until(() -> scripted.scans.size() >= scansBefore + 2);
        await().atMost(WAIT).until(() -> api.node("inv-edge-2").get("online").asBoolean());

        assertThat(api.devices("?node=inv-edge-2")).hasSize(1);
        assertThat(api.node("inv-edge-2").get("inventory").get("hash").asText()).isEqualTo(hash);
        assertThat(eventTypes("inv-edge-2").stream().filter("device.appeared"::equals))
                .hasSize(appeared);
    }

    @Test
    void aDocumentWithABadDiscoverySectionIsRejectedAndTheLastGoodOneKeepsScanning() {
        startHub();
        final AgentConfig config = enroll("inv-edge-3");
        startAgent(config);
        scripted.devices.set(List.of(camera("cam-3", "10.0.0.3")));
        api.setDesired("inv-edge-3", discovery("{\"scripted\": {\"intervalSeconds\": 1}}"));
        await().atMost(WAIT).until(() -> api.devices("?node=inv-edge-3").size() == 1);

        api.setDesired("inv-edge-3", discovery("{\"scripted\": {\"intervalSeconds\": 1, \"colour\": \"red\"}}"));
        api.setDesired("inv-edge-3", discovery("{\"nonesuch\": {}}"));
        await().atMost(WAIT).until(() -> eventMessages("inv-edge-3").stream()
                .anyMatch(m -> m.contains("discovery handler 'nonesuch' is not available on this node")));
        assertThat(eventMessages("inv-edge-3"))
                .anyMatch(m -> m.contains("discovery.scripted has unknown property 'colour'"));
        final int scans = scripted.scans.size();
        await().atMost(WAIT).until(() -> scripted.scans.size() >= scans + 2);
        assertThat(api.node("inv-edge-3")
                        .get("reported")
                        .get("observedGeneration")
                        .asLong())
                .isEqualTo(1);
    }

    @Test
    void aUsbDeviceUnpluggedFromTheFixtureTreeGoesMissingAfterTheGracePeriodAndAReplugBringsItBack() {
        startHub();
        final UsbFixtureTree usb = UsbFixtureTree.standard(tmp.resolve("usb"));
        final AgentConfig config =
                enroll("inv-usb").toBuilder().discoveryHandlerFactories(null).build();
        startAgent(config);
        api.setDesired(
                "inv-usb",
                discovery("{\"usb\": {\"sysfsRoot\": \"" + usb.sysfsRoot() + "\", \"serial\": false,"
                        + " \"intervalSeconds\": 1, \"graceSeconds\": 2}}"));
        final String stm32 = "usb:0483:df11:205F37A35430";
        await().atMost(WAIT).until(() -> api.device(stm32).status() == 200);
        final JsonNode device = api.device(stm32).body();
        assertThat(device.get("kind").asText()).isEqualTo("mcu");
        assertThat(device.get("properties").get("bootloader").asText()).isEqualTo("stm32-dfu");
        final int count = api.devices("?node=inv-usb").size();

        usb.unplug("1-1.4");
        await().atMost(WAIT)
                .until(() -> api.device(stm32).body().get("state").asText().equals("missing"));
        assertThat(api.devices("?node=inv-usb")).hasSize(count - 1);

        usb.plug(dev.baton.sim.usb.UsbFixtureDevice.stm32Dfu("1-1.4"));
        await().atMost(WAIT)
                .until(() -> api.device(stm32).body().get("state").asText().equals("present"));
        assertThat(api.devices("?node=inv-usb")).hasSize(count);
    }

    private static DesiredSpec discovery(final String json) {
        final ObjectNode discovery = (ObjectNode) new dev.baton.protocol.MessageCodec().readTree(json.getBytes());
        final java.util.LinkedHashMap<String, ObjectNode> sections = new java.util.LinkedHashMap<>();
        discovery.fields().forEachRemaining(e -> sections.put(e.getKey(), (ObjectNode) e.getValue()));
        return new DesiredSpec(List.of(), sections, null);
    }

    private List<String> eventTypes(final String node) {
        final List<String> out = new ArrayList<>();
        api.events(node).body().get("items").forEach(e -> out.add(e.get("type").asText()));
        return out;
    }

    private List<String> eventMessages(final String node) {
        final List<String> out = new ArrayList<>();
        api.events(node)
                .body()
                .get("items")
                .forEach(e -> out.add(e.get("message").asText()));
        return out;
    }

    private static Device camera(final String id, final String ip) {
        return new Device(
                "onvif:" + id,
                "onvif-camera",
                "scripted",
                "Test Cam",
                JsonNodeFactory.instance.objectNode().put("ip", ip));
    }

    private void startHub() {
        hub = BatonHub.start(HubConfig.builder()
                .dataDir(tmp.resolve("hub"))
                .httpHost("127.0.0.1")
                .httpPort(0)
                .mqttHost("127.0.0.1")
                .mqttPort(0)
                .build());
        running.add(hub);
        api = new HubApi(java.net.URI.create("http://127.0.0.1:" + hub.httpPort()), hub.adminToken());
    }

    private AgentConfig enroll(final String node) {
        return Enrollment.builder()
                .hubUrl(api.base().toString())
                .token(api.createEnrollmentToken())
                .node(node)
                .dataDirectory(tmp.resolve("agent-" + node))
                .build()
                .enroll()
                .toBuilder()
                .discoveryHandlerFactories(List.of(scripted))
                .build();
    }

    private BatonAgent startAgent(final AgentConfig config) {
        final BatonAgent agent = BatonAgent.start(config);
        running.add(agent);
        return agent;
    }

    /** A handler named {@code scripted} that finds what the test says. */
    static final class ScriptedDiscovery implements DiscoveryHandlerFactory {
        final AtomicReference<List<Device>> devices = new AtomicReference<>(List.of());
        final List<Long> scans = new CopyOnWriteArrayList<>();
        volatile DiscoveryListener listener;

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public DiscoveryHandler create(final DiscoveryEnvironment environment) {
            listener = environment.listener();
            return new DiscoveryHandler() {
                @Override
                public String name() {
                    return "scripted";
                }

                @Override
                public void validate(final DiscoveryConfig config) {
                    config.allowOnly(java.util.Set.of());
                }

                @Override
                public ScanResult scan(final DiscoveryConfig config, final ScanContext context) {
                    scans.add(System.nanoTime());
                    return ScanResult.of(devices.get());
                }
            };
        }
    }
}
