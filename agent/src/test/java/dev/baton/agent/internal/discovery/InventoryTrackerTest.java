package dev.baton.agent.internal.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.agent.internal.outbox.NodeReporter;
import dev.baton.agent.internal.outbox.OutboxBounds;
import dev.baton.agent.internal.outbox.OutboxMessage;
import dev.baton.agent.internal.outbox.OutboxStore;
import dev.baton.agent.internal.store.AgentDatabase;
import dev.baton.protocol.Device;
import dev.baton.protocol.DiscoverySettings;
import dev.baton.protocol.Event;
import dev.baton.protocol.InventoryReport;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryTrackerTest {

    private static final MessageCodec CODEC = new MessageCodec();

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private AgentDatabase database;
    private OutboxStore outbox;
    private InventoryTracker tracker;

    @BeforeEach
    void open() {
        database = AgentDatabase.open(directory.resolve("agent.db"));
        outbox = new OutboxStore(database, new OutboxBounds(16 << 20, Duration.ofDays(7)), clock);
        tracker = new InventoryTracker(
                database, CODEC, new NodeReporter(outbox, CODEC, "boot-tracker-test", clock), clock);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aDeviceMissedByOneScanStaysUntilItsGracePeriodHasPassedThenGoesWithOneEvent() {
        final DiscoverySettings settings = settings("{\"intervalSeconds\": 10, \"graceSeconds\": 30}");
        tracker.applyScan("onvif", settings, List.of(camera("a", "10.0.0.1"), camera("b", "10.0.0.2")));

        clock.advance(Duration.ofSeconds(10));
        assertThat(tracker.applyScan("onvif", settings, List.of(camera("a", "10.0.0.1")))
                        .isEmpty())
                .isTrue();
        clock.advance(Duration.ofSeconds(19));
        assertThat(tracker.applyScan("onvif", settings, List.of(camera("a", "10.0.0.1")))
                        .isEmpty())
                .isTrue();
        assertThat(tracker.devices()).extracting(Device::id).contains("onvif:b");

        clock.advance(Duration.ofSeconds(2));
        final InventoryTracker.Changes changes = tracker.applyScan("onvif", settings, List.of(camera("a", "10.0.0.1")));
        assertThat(changes.gone()).extracting(Device::id).containsExactly("onvif:b");
        assertThat(tracker.devices()).extracting(Device::id).containsExactly("onvif:a");
        assertThat(events())
                .extracting(Event::type)
                .containsExactly("device.appeared", "device.appeared", "device.gone");
    }

    @Test
    void deltasChainByHashAndOnlyChangedDevicesAreSent() {
        final DiscoverySettings settings = settings("{}");
        tracker.applyScan("onvif", settings, List.of(camera("a", "10.0.0.1"), camera("b", "10.0.0.2")));
        tracker.applyScan("onvif", settings, List.of(camera("a", "10.0.0.1"), camera("b", "10.0.0.2")));
        tracker.applyScan("onvif", settings, List.of(camera("a", "10.0.0.9"), camera("b", "10.0.0.2")));

        final List<InventoryReport> reports = inventory();
        assertThat(reports).hasSize(2); // the unchanged second scan sent nothing
        assertThat(reports.get(0).mode()).isEqualTo(InventoryReport.Mode.DELTA);
        assertThat(reports.get(0).baseHash()).isEqualTo(InventoryReport.EMPTY_HASH);
        assertThat(reports.get(1).baseHash()).isEqualTo(reports.get(0).hash());
        assertThat(reports.get(1).devices()).extracting(d -> d.property("ip")).containsExactly("10.0.0.9");
        assertThat(reports.get(1).hash())
                .isEqualTo(tracker.hash())
                .isEqualTo(hash(camera("a", "10.0.0.9"), camera("b", "10.0.0.2")));
    }

    @Test
    void aSnapshotReplacesUnsentInventoryMessagesAndCarriesHostFacts() {
        final DiscoverySettings settings = settings("{}");
        tracker.hostFacts(JsonNodeFactory.instance.objectNode().put("arch", "aarch64"));
        tracker.applyScan("usb", settings, List.of(camera("a", "10.0.0.1")));
        tracker.applyScan("usb", settings, List.of(camera("a", "10.0.0.1"), camera("b", "10.0.0.2")));
        tracker.snapshot();

        final List<InventoryReport> reports = inventory();
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).mode()).isEqualTo(InventoryReport.Mode.SNAPSHOT);
        assertThat(reports.get(0).devices()).extracting(Device::id).containsExactly("onvif:a", "onvif:b");
        assertThat(reports.get(0).host().get("arch").asText()).isEqualTo("aarch64");
    }

    @Test
    void devicesFilteredOutByChangedFiltersGoAtOnceWhileMaxDevicesKeepsTheFirstByIdAndSaysSo() {
        tracker.applyScan("onvif", settings("{}"), List.of(camera("a", "10.0.0.1"), camera("b", "10.0.1.1")));
        final InventoryTracker.Changes changes = tracker.applyScan(
                "onvif",
                settings("{\"exclude\": [{\"ip\": \"10.0.1.*\"}]}"),
                List.of(camera("a", "10.0.0.1"), camera("b", "10.0.1.1")));
        assertThat(changes.gone()).extracting(Device::id).containsExactly("onvif:b");

        tracker.applyScan(
                "onvif",
                settings("{\"maxDevices\": 2}"),
                List.of(camera("c", "10.0.0.3"), camera("a", "10.0.0.1"), camera("d", "10.0.0.4")));
        assertThat(tracker.devices()).extracting(Device::id).containsExactly("onvif:a", "onvif:c");
        assertThat(events()).extracting(Event::type).contains("inventory.truncated");
    }

    @Test
    void theInventorySurvivesARestartWithTheSameHashAndNoDuplicateEvents() {
        final DiscoverySettings settings = settings("{}");
        tracker.applyScan("onvif", settings, List.of(camera("a", "10.0.0.1")));
        final String hash = tracker.hash();
        final int eventsBefore = events().size();
        database.close();

        open();
        assertThat(tracker.hash()).isEqualTo(hash);
        assertThat(tracker.applyScan("onvif", settings, List.of(camera("a", "10.0.0.1")))
                        .isEmpty())
                .isTrue();
        assertThat(events()).hasSize(eventsBefore);
    }

    @Test
    void theLastSightingOfAnUnchangedDeviceIsStoredSoARestartDoesNotCutItsGracePeriodShort() {
        final DiscoverySettings settings = settings("{\"intervalSeconds\": 10, \"graceSeconds\": 30}");
        final List<Device> both = List.of(camera("a", "10.0.0.1"), camera("b", "10.0.0.2"));
        tracker.applyScan("onvif", settings, both);
        clock.advance(Duration.ofSeconds(25));
        tracker.applyScan("onvif", settings, both);
        database.close();

        open();
        clock.advance(Duration.ofSeconds(15));
        assertThat(tracker.applyScan("onvif", settings, List.of(camera("a", "10.0.0.1")))
                        .gone())
                .as("b was seen 15 s ago, within its 30 s grace")
                .isEmpty();
    }

    @Test
    void aByeDropsTheDeviceAtOnceAndRetiringAHandlerDropsOnlyItsDevices() {
        final DiscoverySettings settings = settings("{}");
        tracker.applyScan("onvif", settings, List.of(camera("a", "10.0.0.1"), camera("b", "10.0.0.2")));
        tracker.applyScan("usb", settings, List.of(new Device("usb:1", "usb-device", "usb", "x", null)));

        assertThat(tracker.depart("onvif", "onvif:a").gone())
                .extracting(Device::id)
                .containsExactly("onvif:a");
        assertThat(tracker.depart("usb", "onvif:b").isEmpty())
                .as("another handler's device")
                .isTrue();
        assertThat(tracker.retire("onvif").gone()).extracting(Device::id).containsExactly("onvif:b");
        assertThat(tracker.devices()).extracting(Device::id).containsExactly("usb:1");
    }

    private List<InventoryReport> inventory() {
        final List<InventoryReport> out = new ArrayList<>();
        for (final OutboxMessage message : outbox.after(0, 1000)) {
            if (message.channel() == Topics.Channel.INVENTORY) {
                out.add(CODEC.decode(message.payload(), MessageType.INVENTORY));
            }
        }
        return out;
    }

    private List<Event> events() {
        final List<Event> out = new ArrayList<>();
        for (final OutboxMessage message : outbox.after(0, 1000)) {
            if (message.channel() == Topics.Channel.EVENTS) {
                out.add(CODEC.decode(message.payload(), MessageType.EVENT));
            }
        }
        return out;
    }

    private static DiscoverySettings settings(final String json) {
        return DiscoverySettings.parse("test", (ObjectNode) CODEC.readTree(json.getBytes()));
    }

    private static Device camera(final String id, final String ip) {
        return new Device(
                "onvif:" + id,
                "onvif-camera",
                "onvif",
                "cam " + id,
                JsonNodeFactory.instance.objectNode().put("ip", ip));
    }

    private static String hash(final Device... devices) {
        final TreeMap<String, String> hashes = new TreeMap<>();
        for (final Device d : devices) {
            hashes.put(d.id(), d.contentHash());
        }
        return InventoryReport.inventoryHash(hashes);
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(final Instant start) {
            this.now = start;
        }

        void advance(final Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
