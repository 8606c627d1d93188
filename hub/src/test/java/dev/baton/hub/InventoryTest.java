package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.baton.hub.internal.mqtt.NodeMessageIngest;
import dev.baton.hub.testing.FakeNode;
import dev.baton.hub.testing.HubApi;
import dev.baton.hub.testing.LogCapture;
import dev.baton.hub.testing.SharedHub;
import dev.baton.protocol.CommandRequest;
import dev.baton.protocol.Device;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.InventoryReport;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.Topics;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inventory reports from nodes as the hub stores and shows them: snapshots replace a node's devices, deltas apply
 * only on top of the inventory the hub holds, one device seen by two nodes is one device.
 */
@ExtendWith(SharedHub.class)
class InventoryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final MessageCodec CODEC = new MessageCodec();
    private static final String BOOT = "boot-inventory-test";

    @Test
    void aSnapshotListsTheNodesDevicesAndALaterSnapshotWithoutOneLeavesItMissing(final HubApi api) {
        final EnrollmentResponse enrolled = api.enroll("inv-snap");
        final Device camera = camera("cam-snap-1", "10.0.0.5");
        final Device port = serial("inv-snap", "/dev/ttyUSB0");
        try (FakeNode node = FakeNode.connect("default", "inv-snap", enrolled.mqtt())) {
            node.publish(Topics.Channel.INVENTORY, snapshot(1, List.of(camera, port), host("jetson")));
            final JsonNode cam = await().atMost(WAIT)
                    .until(() -> device(api, camera.id()), d -> d.status() == 200)
                    .body();
            assertThat(cam.get("state").asText()).isEqualTo("present");
            assertThat(cam.get("kind").asText()).isEqualTo("onvif-camera");
            assertThat(cam.get("properties").get("ip").asText()).isEqualTo("10.0.0.5");
            assertThat(cam.get("nodes")).extracting(n -> n.get("node").asText()).containsExactly("inv-snap");
            // An id with '/' works percent-encoded.
            assertThat(device(api, port.id())
                            .body()
                            .get("properties")
                            .get("port")
                            .asText())
                    .isEqualTo("/dev/ttyUSB0");
            final JsonNode shown = api.node("inv-snap");
            assertThat(shown.get("host").get("model").asText()).isEqualTo("jetson");
            assertThat(shown.get("inventory").get("devices").asInt()).isEqualTo(2);

            node.publish(Topics.Channel.INVENTORY, snapshot(2, List.of(port), null));
            await().atMost(WAIT)
                    .until(() -> device(api, camera.id()).body().get("state").asText(), "missing"::equals);
            assertThat(device(api, camera.id()).body().get("nodes")).isEmpty();
            assertThat(device(api, port.id()).body().get("state").asText()).isEqualTo("present");
            // Host facts stay when a report carries none.
            assertThat(api.node("inv-snap").get("host").get("model").asText()).isEqualTo("jetson");
        }
    }

    @Test
    void aDeltaOnTopOfTheHeldInventoryAppliesAndAnOutOfStepDeltaIsRefusedWithASnapshotRequest(final HubApi api) {
        final EnrollmentResponse enrolled = api.enroll("inv-delta");
        final Device first = camera("cam-delta-1", "10.0.1.1");
        final Device second = camera("cam-delta-2", "10.0.1.2");
        final Device third = camera("cam-delta-3", "10.0.1.3");
        try (LogCapture log = LogCapture.of(NodeMessageIngest.class);
                FakeNode node = FakeNode.connect("default", "inv-delta", enrolled.mqtt())) {
            node.subscribe(node.topic(Topics.Channel.COMMAND_REQUEST));
            node.publish(Topics.Channel.INVENTORY, snapshot(1, List.of(first), null));
            final String afterSnapshot = hash(first);
            await().atMost(WAIT).until(() -> device(api, first.id()).status() == 200);

            node.publish(
                    Topics.Channel.INVENTORY,
                    delta(2, afterSnapshot, List.of(second), List.of(first.id()), hash(second)));
            await().atMost(WAIT).until(() -> device(api, second.id()).status() == 200);
            assertThat(device(api, first.id()).body().get("state").asText()).isEqualTo("missing");
            assertThat(api.node("inv-delta").get("inventory").get("hash").asText())
                    .isEqualTo(hash(second));

            // Based on an inventory the hub never held: nothing applies, the hub asks for a snapshot.
            node.publish(
                    Topics.Channel.INVENTORY, delta(3, hash(first), List.of(third), List.of(), hash(first, third)));
            final Mqtt5Publish request = node.received().poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(request).as("a command request").isNotNull();
            final CommandRequest command = CODEC.decode(request.getPayloadAsBytes(), MessageType.COMMAND_REQUEST);
            assertThat(command.command()).isEqualTo("inventory.snapshot");
            assertThat(log.contains("inventory delta seq 3 of default/inv-delta does not follow"))
                    .isTrue();
            assertThat(device(api, third.id()).status()).isEqualTo(404);
        } catch (final InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aCameraSeenFromTwoNodesIsOneDeviceWithTwoNodesAndStaysPresentWhileOneStillSeesIt(final HubApi api) {
        final Device shared = camera("cam-shared", "10.0.2.9");
        try (FakeNode a =
                        FakeNode.connect("default", "inv-a", api.enroll("inv-a").mqtt());
                FakeNode b =
                        FakeNode.connect("default", "inv-b", api.enroll("inv-b").mqtt())) {
            a.publish(Topics.Channel.INVENTORY, snapshot(1, List.of(shared), null));
            b.publish(Topics.Channel.INVENTORY, snapshot(1, List.of(shared), null));
            await().atMost(WAIT)
                    .until(() -> device(api, shared.id()).body().get("nodes").size() == 2);

            b.publish(Topics.Channel.INVENTORY, snapshot(2, List.of(), null));
            await().atMost(WAIT)
                    .until(() -> device(api, shared.id()).body().get("nodes").size() == 1);
            final JsonNode device = device(api, shared.id()).body();
            assertThat(device.get("state").asText()).isEqualTo("present");
            assertThat(device.get("nodes").get(0).get("node").asText()).isEqualTo("inv-a");
            final JsonNode listed = api.get(HubApi.TENANT_PATH + "/devices?node=inv-a&kind=onvif-camera")
                    .body();
            assertThat(listed.get("items"))
                    .extracting(d -> d.get("id").asText())
                    .contains(shared.id());
            assertThat(api.get(HubApi.TENANT_PATH + "/devices?node=inv-b")
                            .body()
                            .get("items"))
                    .isEmpty();
        }
    }

    @Test
    void aRepeatedOrOlderInventoryReportChangesNothing(final HubApi api) {
        final Device original = camera("cam-dup", "10.0.3.1");
        try (LogCapture log = LogCapture.of(NodeMessageIngest.class);
                FakeNode node = FakeNode.connect(
                        "default", "inv-dup", api.enroll("inv-dup").mqtt())) {
            node.publish(Topics.Channel.INVENTORY, snapshot(5, List.of(original), null));
            await().atMost(WAIT).until(() -> device(api, original.id()).status() == 200);
            node.publish(Topics.Channel.INVENTORY, snapshot(5, List.of(), null));
            node.publish(Topics.Channel.INVENTORY, snapshot(4, List.of(), null));
            await().atMost(WAIT)
                    .until(() -> log.contains("ignored inventory seq 5 of default/inv-dup")
                            && log.contains("ignored inventory seq 4 of default/inv-dup"));
            assertThat(device(api, original.id()).body().get("state").asText()).isEqualTo("present");
        }
    }

    @Test
    void devicesFilterByPropertyGlobStateAndPageInIdOrder(final HubApi api) {
        final String tag = UUID.randomUUID().toString().substring(0, 8);
        final List<Device> cameras = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            cameras.add(camera("cam-page-" + tag + "-" + i, "10.9." + i + ".1"));
        }
        try (FakeNode node =
                FakeNode.connect("default", "inv-page", api.enroll("inv-page").mqtt())) {
            node.publish(Topics.Channel.INVENTORY, snapshot(1, cameras, null));
            await().atMost(WAIT).until(() -> device(api, cameras.get(4).id()).status() == 200);

            final String filter = "/devices?property=" + enc("uuid=cam-page-" + tag + "-*") + "&limit=2";
            final JsonNode page1 = api.get(HubApi.TENANT_PATH + filter).body();
            assertThat(page1.get("items"))
                    .extracting(d -> d.get("id").asText())
                    .containsExactly(cameras.get(0).id(), cameras.get(1).id());
            final JsonNode page2 = api.get(HubApi.TENANT_PATH + filter + "&after="
                            + enc(page1.get("next").asText()))
                    .body();
            assertThat(page2.get("items"))
                    .extracting(d -> d.get("id").asText())
                    .containsExactly(cameras.get(2).id(), cameras.get(3).id());
            final JsonNode byIp = api.get(HubApi.TENANT_PATH + "/devices?property=" + enc("ip=10.9.3.*"))
                    .body();
            assertThat(byIp.get("items"))
                    .extracting(d -> d.get("id").asText())
                    .containsExactly(cameras.get(3).id());
            assertThat(api.get(HubApi.TENANT_PATH + "/devices?state=missing&property="
                                    + enc("uuid=cam-page-" + tag + "*"))
                            .body()
                            .get("items"))
                    .isEmpty();
        }
    }

    @Test
    void badDeviceQueriesAreRefusedWithTheReason(final HubApi api) {
        assertThat(api.get(HubApi.TENANT_PATH + "/devices?state=gone").error())
                .contains("state must be 'present' or 'missing'");
        assertThat(api.get(HubApi.TENANT_PATH + "/devices?property=novalue").error())
                .contains("KEY=GLOB");
        assertThat(api.get(HubApi.TENANT_PATH + "/devices?limit=0").status()).isEqualTo(400);
        assertThat(api.get(HubApi.TENANT_PATH + "/devices/" + enc("no-such:device"))
                        .reason())
                .isEqualTo("DEVICE_NOT_FOUND");
    }

    static HubApi.Response device(final HubApi api, final String id) {
        return api.get(HubApi.TENANT_PATH + "/devices/" + enc(id));
    }

    private static String enc(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static Device camera(final String uuid, final String ip) {
        final ObjectNode properties = JsonNodeFactory.instance.objectNode();
        properties.put("uuid", uuid);
        properties.put("ip", ip);
        properties.putArray("streamUris").add("rtsp://" + ip + ":554/stream1");
        return new Device("onvif:urn:uuid:" + uuid, "onvif-camera", "onvif", "Acme Cam", properties);
    }

    static Device serial(final String node, final String port) {
        final ObjectNode properties = JsonNodeFactory.instance.objectNode();
        properties.put("port", port);
        return new Device("serial:" + node + ":" + port, "serial-port", "usb", "FT232R", properties);
    }

    private static ObjectNode host(final String model) {
        return JsonNodeFactory.instance.objectNode().put("model", model);
    }

    private static String hash(final Device... devices) {
        final TreeMap<String, String> hashes = new TreeMap<>();
        for (final Device device : devices) {
            hashes.put(device.id(), device.contentHash());
        }
        return InventoryReport.inventoryHash(hashes);
    }

    static byte[] snapshot(final long seq, final List<Device> devices, final ObjectNode host) {
        return CODEC.encode(
                new InventoryReport(
                        seq,
                        BOOT,
                        Instant.now(),
                        InventoryReport.Mode.SNAPSHOT,
                        null,
                        hash(devices.toArray(Device[]::new)),
                        devices,
                        List.of(),
                        host),
                MessageType.INVENTORY);
    }

    private static byte[] delta(
            final long seq,
            final String base,
            final List<Device> devices,
            final List<String> removed,
            final String hash) {
        return CODEC.encode(
                new InventoryReport(
                        seq, BOOT, Instant.now(), InventoryReport.Mode.DELTA, base, hash, devices, removed, null),
                MessageType.INVENTORY);
    }
}
