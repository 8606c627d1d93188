package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.agent.AgentConfig;
import dev.baton.agent.BatonAgent;
import dev.baton.agent.Enrollment;
import dev.baton.hub.BatonHub;
import dev.baton.hub.HubConfig;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.DesiredSpec;
import dev.baton.protocol.Device;
import dev.baton.protocol.ReconcilePolicy;
import dev.baton.sim.mcu.PtyPair;
import dev.baton.sim.mcu.Stm32BootloaderSimulator;
import dev.baton.sim.mcu.Stm32ChipProfile;
import dev.baton.sim.mcu.Stm32SimConfig;
import dev.baton.sim.mcu.WireTiming;
import dev.baton.testing.HubApi;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code firmware} component end to end, in one JVM on loopback: the image is uploaded to the hub's artifact store,
 * a desired document names it, the hub pushes it over MQTT, the agent fetches the artifact and flashes the STM32
 * bootloader simulator on a pty, and the hub shows the component healthy with the image's SHA-256, the image on the
 * device's inventory entry, and progress events. The inventory comes from a scripted discovery handler
 * ({@link InventoryRoundTripTest.ScriptedDiscovery}) that reports the pty as a serial port.
 */
class FirmwareComponentTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long FLASH = 0x0800_0000L;

    @TempDir
    Path tmp;

    private final List<AutoCloseable> running = new ArrayList<>();
    private final InventoryRoundTripTest.ScriptedDiscovery scripted = new InventoryRoundTripTest.ScriptedDiscovery();
    private HubApi api;

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void anImageFromTheHubIsFlashedOnTheDeviceAndShowsOnTheNodeAndTheDevice() throws Exception {
        final Stm32BootloaderSimulator sim = simulator(WireTiming.unthrottled());
        final PtyPair pair = plug(sim);
        final String deviceId = "serial:" + pair.clientEnd();
        startHubAndAgent("fw-edge-1", pair, deviceId);
        final byte[] image = image(12_000, 1);
        final String sha = api.uploadArtifact("blinky.bin", image);

        final long generation = api.setDesired("fw-edge-1", desired(firmware(sha, deviceId)));

        final JsonNode component = await().atMost(WAIT)
                .until(
                        () -> component(api.node("fw-edge-1"), generation),
                        c -> c != null && c.get("state").asText().equals("healthy"));
        assertThat(component.get("message").asText()).contains("flashed image " + sha.substring(0, 12));
        final JsonNode flashed = component.get("outputs").get("devices").get(0);
        assertThat(flashed.get("device").asText()).isEqualTo(deviceId);
        assertThat(flashed.get("sha256").asText()).isEqualTo(sha);
        assertThat(flashed.get("verified").asBoolean()).isTrue();
        assertThat(flashed.get("chipId").asText()).isEqualTo("0x410");
        assertThat(sim.flash().read(FLASH, image.length)).isEqualTo(image);

        final JsonNode firmware =
                await().atMost(WAIT).until(() -> api.device(deviceId).body().path("firmware"), JsonNode::isObject);
        assertThat(firmware.get("sha256").asText()).isEqualTo(sha);
        assertThat(firmware.get("component").asText()).isEqualTo("blinky");
        assertThat(firmware.get("node").asText()).isEqualTo("fw-edge-1");
        await().atMost(WAIT).until(() -> eventMessages("fw-edge-1", "firmware.progress").stream()
                .anyMatch(m -> m.contains("verify 100%")));
    }

    @Test
    void anImageChangedWhileTheFirstIsFlashingIsFlashedRightAfterIt() throws Exception {
        // 115200 baud wire time: the first image takes a few seconds, long enough to change the desired state.
        final Stm32BootloaderSimulator sim = simulator(WireTiming.of8n1(115_200));
        final PtyPair pair = plug(sim);
        final String deviceId = "serial:" + pair.clientEnd();
        startHubAndAgent("fw-edge-2", pair, deviceId);
        final byte[] first = image(24_000, 2);
        final byte[] second = image(8_000, 3);
        final String firstSha = api.uploadArtifact("v1.bin", first);
        final String secondSha = api.uploadArtifact("v2.bin", second);

        api.setDesired("fw-edge-2", desired(firmware(firstSha, deviceId)));
        await().atMost(WAIT).until(() -> sim.commandCount(Stm32BootloaderSimulator.WRITE_MEMORY) > 0);
        final long generation = api.setDesired("fw-edge-2", desired(firmware(secondSha, deviceId)));

        final JsonNode component = await().atMost(WAIT)
                .until(
                        () -> component(api.node("fw-edge-2"), generation),
                        c -> c != null
                                && c.get("state").asText().equals("healthy")
                                && c.path("outputs").path("sha256").asText().equals(secondSha));
        assertThat(component.get("outputs").get("devices").get(0).get("sha256").asText())
                .isEqualTo(secondSha);
        assertThat(sim.flash().read(FLASH, second.length)).isEqualTo(second);
        final List<String> started = eventMessages("fw-edge-2", "firmware.progress").stream()
                .filter(m -> m.contains(": flashing image "))
                .toList();
        assertThat(started)
                .as("the first flash ran to its end, then the second image was flashed")
                .hasSize(2);
        assertThat(started.get(0)).contains(firstSha.substring(0, 12));
        assertThat(started.get(1)).contains(secondSha.substring(0, 12));
    }

    private Stm32BootloaderSimulator simulator(final WireTiming wire) {
        Assumptions.assumeTrue(PtyPair.socat().isPresent(), "socat is needed (CI installs it)");
        final Stm32BootloaderSimulator sim =
                new Stm32BootloaderSimulator(Stm32SimConfig.builder(Stm32ChipProfile.F103_MEDIUM_DENSITY)
                        .wire(wire)
                        .build());
        running.add(sim);
        return sim;
    }

    private PtyPair plug(final Stm32BootloaderSimulator sim) throws Exception {
        final PtyPair pair = PtyPair.open(tmp, "stm32");
        running.add(pair);
        sim.attach(pair);
        return pair;
    }

    private void startHubAndAgent(final String node, final PtyPair pair, final String deviceId) {
        final BatonHub hub = BatonHub.start(HubConfig.builder()
                .dataDir(tmp.resolve("hub"))
                .httpHost("127.0.0.1")
                .httpPort(0)
                .mqttHost("127.0.0.1")
                .mqttPort(0)
                .build());
        running.add(hub);
        api = new HubApi(URI.create("http://127.0.0.1:" + hub.httpPort()), hub.adminToken());
        scripted.devices.set(List.of(new Device(
                deviceId,
                "serial-port",
                "scripted",
                "STM32 on a pty",
                JsonNodeFactory.instance
                        .objectNode()
                        .put("port", pair.clientEnd().toString())
                        .put("vid", "0483")
                        .put("pid", "5740"))));
        final AgentConfig config = Enrollment.builder()
                .hubUrl(api.base().toString())
                .token(api.createEnrollmentToken())
                .node(node)
                .dataDirectory(tmp.resolve("agent-" + node))
                .build()
                .enroll()
                .toBuilder()
                .discoveryHandlerFactories(List.of(scripted))
                .build();
        running.add(BatonAgent.start(config));
    }

    private static ComponentSpec firmware(final String sha, final String deviceId) {
        final ObjectNode properties = JsonNodeFactory.instance
                .objectNode()
                .put("flasher", "stm32-uart")
                .put("device", deviceId)
                .put("parity", "none") // ptys drop parity; a real STM32 keeps the default, even
                .put("reset", "none")
                .put("artifact", sha)
                .put("format", "bin")
                .put("chipId", "0x410");
        return new ComponentSpec("blinky", "firmware", properties, List.of());
    }

    private static DesiredSpec desired(final ComponentSpec firmware) {
        final Map<String, ObjectNode> discovery = new LinkedHashMap<>();
        discovery.put("scripted", JsonNodeFactory.instance.objectNode().put("intervalSeconds", 1));
        return new DesiredSpec(List.of(firmware), discovery, new ReconcilePolicy(true, 1));
    }

    private static JsonNode component(final JsonNode node, final long generation) {
        if (node.path("reported").path("observedGeneration").asLong() != generation) {
            return null;
        }
        for (final JsonNode component : node.path("reported").path("components")) {
            if (component.path("name").asText().equals("blinky")) {
                return component;
            }
        }
        return null;
    }

    private List<String> eventMessages(final String node, final String type) {
        final List<String> out = new ArrayList<>();
        api.events(node).body().get("items").forEach(e -> {
            if (e.get("type").asText().equals(type)) {
                out.add(e.get("message").asText());
            }
        });
        // The hub lists the newest first.
        java.util.Collections.reverse(out);
        return out;
    }

    private static byte[] image(final int size, final long seed) {
        final byte[] image = new byte[size];
        new Random(seed).nextBytes(image);
        return image;
    }
}
