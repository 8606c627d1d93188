package dev.baton.agent.internal.discovery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.agent.internal.outbox.NodeReporter;
import dev.baton.agent.internal.store.AgentDatabase;
import dev.baton.protocol.Device;
import dev.baton.protocol.DiscoverySettings;
import dev.baton.protocol.InventoryReport;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.ProtocolException;
import dev.baton.protocol.Severity;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's device inventory: what every discovery handler found, kept through each handler's grace period, stored
 * in {@code agent.db} and reported to the hub as hash-chained deltas (a {@link InventoryReport.Mode#SNAPSHOT
 * snapshot} after every connect).
 *
 * <p>A scan {@linkplain #applyScan updates} the devices of one handler: new ones appear, ones whose content hash
 * changed are sent again, ones not found stay until their last sighting is older than the grace period. Each
 * change is one delta and one event per device ({@code device.appeared}, {@code device.changed},
 * {@code device.gone}), or one summary event when a scan changes many.
 *
 * <p>Threading: every public method is {@code synchronized}; the discovery threads and the link's connect callback
 * call them.
 */
public final class InventoryTracker {

    public static final String EVENT_APPEARED = "device.appeared";
    public static final String EVENT_CHANGED = "device.changed";
    public static final String EVENT_GONE = "device.gone";
    public static final String EVENT_INVENTORY_TRUNCATED = "inventory.truncated";

    /** More changes than this in one update are reported as one summary event per kind of change. */
    static final int MAX_EVENTS_PER_UPDATE = 10;
    /** Unsent inventory messages after which the next change is sent as a snapshot that replaces them. */
    static final int MAX_UNSENT_DELTAS = 32;

    private static final Logger LOG = LoggerFactory.getLogger(InventoryTracker.class);

    private final AgentDatabase database;
    private final MessageCodec codec;
    private final NodeReporter reporter;
    private final Clock clock;
    private final Map<String, Entry> entries = new HashMap<>();
    private @Nullable ObjectNode hostFacts;
    private String hash = InventoryReport.EMPTY_HASH;

    /** One device as held. */
    private record Entry(Device device, String handler, String contentHash, Instant firstSeen, Instant lastSeen) {

        Entry seenAt(final Instant when) {
            return new Entry(device, handler, contentHash, firstSeen, when);
        }
    }

    /** What one update changed. */
    public record Changes(List<Device> appeared, List<Device> changed, List<Device> gone) {

        public boolean isEmpty() {
            return appeared.isEmpty() && changed.isEmpty() && gone.isEmpty();
        }
    }

    public InventoryTracker(
            final @NotNull AgentDatabase database,
            final @NotNull MessageCodec codec,
            final @NotNull NodeReporter reporter,
            final @NotNull Clock clock) {
        this.database = database;
        this.codec = codec;
        this.reporter = reporter;
        this.clock = clock;
        load();
    }

    private void load() {
        database.read("reading the inventory", c -> {
            try (PreparedStatement select = c.prepareStatement(
                            "SELECT handler, device, content_hash, first_seen, last_seen FROM inventory");
                    ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    final Device device = decode(row.getString(2));
                    entries.put(
                            device.id(),
                            new Entry(
                                    device,
                                    row.getString(1),
                                    row.getString(3),
                                    Instant.ofEpochMilli(row.getLong(4)),
                                    Instant.ofEpochMilli(row.getLong(5))));
                }
            }
            return null;
        });
        hash = computeHash();
        if (!entries.isEmpty()) {
            LOG.info("inventory: {} devices from the store", entries.size());
        }
    }

    /**
     * Takes one scan of {@code handler}: filters and limits what it found by {@code settings}, then updates the
     * handler's devices and reports the changes.
     */
    public synchronized @NotNull Changes applyScan(
            final @NotNull String handler,
            final @NotNull DiscoverySettings settings,
            final @NotNull List<Device> found) {
        final Instant now = clock.instant();
        final List<Device> accepted = found.stream()
                .filter(settings::accepts)
                .sorted(Comparator.comparing(Device::id))
                .toList();
        final List<Device> kept =
                accepted.size() > settings.maxDevices() ? accepted.subList(0, settings.maxDevices()) : accepted;
        if (kept.size() < accepted.size()) {
            final String message = "discovery handler '" + handler + "' found " + accepted.size()
                    + " devices that pass its filters, more than its maxDevices of " + settings.maxDevices()
                    + "; kept the first " + kept.size() + " by id. Narrow the filters or raise maxDevices.";
            LOG.warn(message);
            reporter.event(EVENT_INVENTORY_TRUNCATED, Severity.WARNING, null, message);
        }
        final Map<String, Device> byId = new TreeMap<>();
        for (final Device device : kept) {
            byId.putIfAbsent(device.id(), device);
        }
        final List<Device> appeared = new ArrayList<>();
        final List<Device> changed = new ArrayList<>();
        final List<Device> gone = new ArrayList<>();
        final List<Entry> writes = new ArrayList<>();
        // Unchanged devices only move their last sighting: no JSON to encode, one batched UPDATE.
        final List<Entry> seen = new ArrayList<>();
        for (final Device device : byId.values()) {
            final Entry held = entries.get(device.id());
            final String contentHash = device.contentHash();
            if (held == null) {
                appeared.add(device);
                writes.add(new Entry(device, handler, contentHash, now, now));
            } else if (!held.contentHash().equals(contentHash)
                    || !held.handler().equals(handler)) {
                changed.add(device);
                writes.add(new Entry(device, handler, contentHash, held.firstSeen(), now));
            } else {
                seen.add(held.seenAt(now));
            }
        }
        // Found but filtered out (the filters changed): gone now, the grace period is for devices not found.
        final java.util.Set<String> foundIds = new java.util.HashSet<>();
        found.forEach(device -> foundIds.add(device.id()));
        final Instant cutoff = now.minus(settings.grace());
        for (final Entry entry : List.copyOf(entries.values())) {
            if (!entry.handler().equals(handler)
                    || byId.containsKey(entry.device().id())) {
                continue;
            }
            if (foundIds.contains(entry.device().id()) || !entry.lastSeen().isAfter(cutoff)) {
                gone.add(entry.device());
            }
        }
        return commit(new Changes(appeared, changed, gone), writes, seen, "scan of " + handler);
    }

    /** Drops a device at once, because it said it is leaving (WS-Discovery Bye). */
    public synchronized @NotNull Changes depart(final @NotNull String handler, final @NotNull String deviceId) {
        final Entry entry = entries.get(deviceId);
        if (entry == null || !entry.handler().equals(handler)) {
            return new Changes(List.of(), List.of(), List.of());
        }
        return commit(
                new Changes(List.of(), List.of(), List.of(entry.device())),
                List.of(),
                List.of(),
                handler + " departure");
    }

    /** Drops every device of {@code handler}, because discovery with it was disabled or removed. */
    public synchronized @NotNull Changes retire(final @NotNull String handler) {
        final List<Device> gone = entries.values().stream()
                .filter(e -> e.handler().equals(handler))
                .map(Entry::device)
                .sorted(Comparator.comparing(Device::id))
                .toList();
        if (gone.isEmpty()) {
            return new Changes(List.of(), List.of(), List.of());
        }
        return commit(new Changes(List.of(), List.of(), gone), List.of(), List.of(), handler + " disabled");
    }

    /** Takes new host facts; sends them in a delta when they differ from the ones held. */
    public synchronized void hostFacts(final @NotNull ObjectNode facts) {
        if (facts.equals(hostFacts)) {
            return;
        }
        final boolean first = hostFacts == null;
        hostFacts = facts.deepCopy();
        if (!first) {
            LOG.info("host facts changed; reporting them");
            send(List.of(), List.of(), hash);
        }
    }

    /** Enqueues a snapshot of everything held, replacing unsent inventory messages. */
    public synchronized void snapshot() {
        final List<Device> devices = entries.values().stream()
                .map(Entry::device)
                .sorted(Comparator.comparing(Device::id))
                .toList();
        try {
            reporter.inventory(InventoryReport.Mode.SNAPSHOT, null, hash, devices, List.of(), hostFacts);
        } catch (final ProtocolException e) {
            tooLarge(e);
        }
    }

    /** The devices held, by id. */
    public synchronized @NotNull List<Device> devices() {
        return entries.values().stream()
                .map(Entry::device)
                .sorted(Comparator.comparing(Device::id))
                .toList();
    }

    /** The {@linkplain InventoryReport#inventoryHash inventory hash} of what is held. */
    public synchronized @NotNull String hash() {
        return hash;
    }

    private Changes commit(
            final Changes changes, final List<Entry> writes, final List<Entry> seen, final String cause) {
        database.transaction("updating the inventory after the " + cause, c -> {
            for (final Entry entry : writes) {
                upsert(c, entry);
            }
            if (!seen.isEmpty()) {
                try (PreparedStatement update = c.prepareStatement("UPDATE inventory SET last_seen = ? WHERE id = ?")) {
                    for (final Entry entry : seen) {
                        update.setLong(1, entry.lastSeen().toEpochMilli());
                        update.setString(2, entry.device().id());
                        update.addBatch();
                    }
                    update.executeBatch();
                }
            }
            for (final Device device : changes.gone()) {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM inventory WHERE id = ?")) {
                    delete.setString(1, device.id());
                    delete.executeUpdate();
                }
            }
            return null;
        });
        writes.forEach(entry -> entries.put(entry.device().id(), entry));
        seen.forEach(entry -> entries.put(entry.device().id(), entry));
        changes.gone().forEach(device -> entries.remove(device.id()));
        if (changes.isEmpty()) {
            return changes;
        }
        final String baseHash = hash;
        hash = computeHash();
        final List<Device> upserts = new ArrayList<>(changes.appeared());
        upserts.addAll(changes.changed());
        send(upserts, changes.gone().stream().map(Device::id).toList(), baseHash);
        events(EVENT_APPEARED, "appeared", changes.appeared());
        events(EVENT_CHANGED, "changed", changes.changed());
        events(EVENT_GONE, "is gone", changes.gone());
        LOG.info(
                "inventory after the {}: {} appeared, {} changed, {} gone; {} devices held",
                cause,
                changes.appeared().size(),
                changes.changed().size(),
                changes.gone().size(),
                entries.size());
        return changes;
    }

    private void send(final List<Device> upserts, final List<String> removed, final String baseHash) {
        if (reporter.unsentInventory() >= MAX_UNSENT_DELTAS) {
            // Offline for a while: one snapshot replaces the pile of deltas and bounds the outbox.
            snapshot();
            return;
        }
        try {
            reporter.inventory(InventoryReport.Mode.DELTA, baseHash, hash, upserts, removed, hostFacts);
        } catch (final ProtocolException e) {
            if (e.reason() != ProtocolException.Reason.TOO_LARGE) {
                throw e;
            }
            // A delta too large for one message (hundreds of devices at once): a snapshot is complete anyway.
            snapshot();
        }
    }

    private void tooLarge(final ProtocolException e) {
        final String message = "the inventory of " + entries.size() + " devices does not fit one inventory report ("
                + e.getMessage() + "); lower maxDevices or narrow the discovery filters";
        LOG.error(message);
        reporter.event(EVENT_INVENTORY_TRUNCATED, Severity.ERROR, null, message);
    }

    private void events(final String type, final String verb, final List<Device> devices) {
        if (devices.size() > MAX_EVENTS_PER_UPDATE) {
            final List<String> ids = devices.stream()
                    .limit(MAX_EVENTS_PER_UPDATE)
                    .map(Device::id)
                    .toList();
            reporter.event(
                    type,
                    Severity.INFO,
                    null,
                    devices.size() + " devices " + (verb.equals("is gone") ? "are gone" : verb) + ": "
                            + String.join(", ", ids) + ", …");
            return;
        }
        for (final Device device : devices) {
            reporter.event(type, Severity.INFO, null, describe(device) + " " + verb);
        }
    }

    private static String describe(final Device device) {
        return device.kind() + " " + device.id() + (device.name().isEmpty() ? "" : " (" + device.name() + ")");
    }

    private String computeHash() {
        final TreeMap<String, String> hashes = new TreeMap<>();
        entries.forEach((id, entry) -> hashes.put(id, entry.contentHash()));
        return InventoryReport.inventoryHash(hashes);
    }

    private void upsert(final Connection c, final Entry entry) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO inventory (id, handler, device, content_hash,"
                + " first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                + " handler = excluded.handler, device = excluded.device, content_hash = excluded.content_hash,"
                + " last_seen = excluded.last_seen")) {
            upsert.setString(1, entry.device().id());
            upsert.setString(2, entry.handler());
            upsert.setString(3, new String(codec.writeValue(entry.device()), StandardCharsets.UTF_8));
            upsert.setString(4, entry.contentHash());
            upsert.setLong(5, entry.firstSeen().toEpochMilli());
            upsert.setLong(6, entry.lastSeen().toEpochMilli());
            upsert.executeUpdate();
        }
    }

    private Device decode(final String json) {
        return codec.treeToValue(codec.readTree(json.getBytes(StandardCharsets.UTF_8)), Device.class);
    }
}
