package dev.baton.hub.internal.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.protocol.Device;
import dev.baton.protocol.InventoryReport;
import dev.baton.protocol.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jetbrains.annotations.NotNull;

/**
 * Devices and their sightings, on the {@link HubStore}'s connection and thread.
 *
 * <p>A device is one row per tenant however many nodes see it (a camera reachable from two nodes is one device with
 * two sightings). A node's inventory snapshot replaces that node's sightings; a delta applies on top of them only when
 * its base hash is the hash the hub holds for the node. A device no node holds stays, as missing.
 */
public final class DeviceStore {

    private static final int SCAN_BATCH = 500;

    private final HubStore store;
    private final MessageCodec codec;

    public DeviceStore(final @NotNull HubStore store, final @NotNull MessageCodec codec) {
        this.store = store;
        this.codec = codec;
    }

    /** Applies an inventory report of {@code node} in one transaction. */
    public @NotNull CompletableFuture<InventoryOutcome> recordInventory(
            final @NotNull String tenant, final @NotNull String node, final @NotNull InventoryReport report) {
        return store.transaction(c -> {
            final long lastSeq;
            final String heldHash;
            // Locked: a hub sharing the database may be applying the node's next (or the same) report right now.
            try (PreparedStatement select = c.prepareStatement(store.dialect()
                    .lockingRead(
                            "SELECT last_inventory_seq, inventory_hash FROM nodes WHERE tenant = ? AND name = ?"))) {
                select.setString(1, tenant);
                select.setString(2, node);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return InventoryOutcome.UNKNOWN_NODE;
                    }
                    lastSeq = row.getLong(1);
                    heldHash = row.getString(2);
                }
            }
            if (report.seq() <= lastSeq) {
                return InventoryOutcome.IGNORED;
            }
            final boolean snapshot = report.mode() == InventoryReport.Mode.SNAPSHOT;
            if (!snapshot && !report.baseHash().equals(heldHash == null ? InventoryReport.EMPTY_HASH : heldHash)) {
                return InventoryOutcome.OUT_OF_STEP;
            }
            final long now = store.now().toEpochMilli();
            final Set<String> held = sightings(c, tenant, node);
            // In id order, as every hub writes them, so that two nodes reporting one device cannot deadlock.
            for (final Device device : report.devices().stream()
                    .sorted(Comparator.comparing(Device::id))
                    .toList()) {
                upsertDevice(c, tenant, device, now);
                upsertSighting(c, tenant, device, node, now);
            }
            final Set<String> gone = new HashSet<>();
            if (snapshot) {
                gone.addAll(held);
                report.devices().forEach(d -> gone.remove(d.id()));
            } else {
                report.removed().stream().filter(held::contains).forEach(gone::add);
            }
            for (final String id : gone) {
                removeSighting(c, tenant, id, node, now);
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE nodes SET last_inventory_seq = ?,"
                    + " inventory_hash = ?, host_facts = COALESCE(?, host_facts), last_seen = ?"
                    + " WHERE tenant = ? AND name = ?")) {
                update.setLong(1, report.seq());
                update.setString(2, report.hash());
                final ObjectNode host = report.host();
                update.setString(3, host == null ? null : host.toString());
                update.setLong(4, now);
                update.setString(5, tenant);
                update.setString(6, node);
                update.executeUpdate();
            }
            return InventoryOutcome.STORED;
        });
    }

    /** One page of the tenant's devices. */
    public @NotNull CompletableFuture<DevicePage> listDevices(
            final @NotNull String tenant, final @NotNull DeviceQuery query) {
        return store.submit(c -> {
            final List<DeviceRecord> page = new ArrayList<>();
            String after = query.after();
            boolean more = true;
            // Property globs are matched here, not in SQL, so that SQLite and PostgreSQL behave the same.
            while (page.size() <= query.limit() && more) {
                final List<DeviceRecord> batch = selectDevices(c, tenant, query, after, SCAN_BATCH);
                more = batch.size() == SCAN_BATCH;
                for (final DeviceRecord device : batch) {
                    after = device.id();
                    if (query.properties() == null || query.properties().matches(asDevice(device))) {
                        page.add(device);
                        if (page.size() > query.limit()) {
                            break;
                        }
                    }
                }
            }
            final boolean hasNext = page.size() > query.limit();
            final List<DeviceRecord> items = hasNext ? page.subList(0, query.limit()) : page;
            return new DevicePage(
                    withSightings(c, tenant, items),
                    hasNext ? items.get(items.size() - 1).id() : null);
        });
    }

    /** One device; empty when the tenant has no such device. */
    public @NotNull CompletableFuture<Optional<DeviceRecord>> findDevice(
            final @NotNull String tenant, final @NotNull String id) {
        return store.submit(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT id, kind, source, name, properties,"
                    + " first_seen, last_seen FROM devices WHERE tenant = ? AND id = ?")) {
                select.setString(1, tenant);
                select.setString(2, id);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(
                            withSightings(c, tenant, List.of(device(row))).get(0));
                }
            }
        });
    }

    /**
     * Stores what firmware components of {@code node} report to have flashed (one row per device, the most recent
     * flash wins whichever node reported it); an older flash than the one held changes nothing.
     */
    public @NotNull CompletableFuture<Integer> recordFirmware(
            final @NotNull String tenant, final @NotNull String node, final @NotNull List<DeviceFirmware> flashed) {
        if (flashed.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        return store.transaction(c -> {
            final long now = store.now().toEpochMilli();
            int changed = 0;
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO device_firmware (tenant, device_id,"
                    + " node, component, sha256, verified, chip_id, flashed_at, reported_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (tenant, device_id) DO UPDATE SET node = excluded.node,"
                    + " component = excluded.component, sha256 = excluded.sha256, verified = excluded.verified,"
                    + " chip_id = excluded.chip_id, flashed_at = excluded.flashed_at,"
                    + " reported_at = excluded.reported_at"
                    + " WHERE excluded.flashed_at > device_firmware.flashed_at"
                    + " OR (excluded.flashed_at = device_firmware.flashed_at AND excluded.node = device_firmware.node"
                    + " AND (excluded.sha256 <> device_firmware.sha256"
                    + " OR excluded.verified <> device_firmware.verified))")) {
                for (final DeviceFirmware f : flashed) {
                    upsert.setString(1, tenant);
                    upsert.setString(2, f.deviceId());
                    upsert.setString(3, node);
                    upsert.setString(4, f.component());
                    upsert.setString(5, f.sha256());
                    upsert.setBoolean(6, f.verified());
                    upsert.setString(7, f.chipId());
                    upsert.setLong(8, f.flashedAt().toEpochMilli());
                    upsert.setLong(9, now);
                    changed += upsert.executeUpdate();
                }
            }
            return changed;
        });
    }

    /** The firmware last flashed on a device; empty when no node reported one. */
    public @NotNull CompletableFuture<Optional<DeviceFirmware>> findFirmware(
            final @NotNull String tenant, final @NotNull String id) {
        return store.submit(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT node, component, sha256, verified, chip_id,"
                    + " flashed_at FROM device_firmware WHERE tenant = ? AND device_id = ?")) {
                select.setString(1, tenant);
                select.setString(2, id);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new DeviceFirmware(
                            id,
                            row.getString(1),
                            row.getString(2),
                            row.getString(3),
                            row.getBoolean(4),
                            row.getString(5),
                            Instant.ofEpochMilli(row.getLong(6))));
                }
            }
        });
    }

    /** What {@code node} reported of its host and inventory; empty when the node is unknown. */
    public @NotNull CompletableFuture<Optional<NodeInventory>> nodeInventory(
            final @NotNull String tenant, final @NotNull String node) {
        return store.submit(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT host_facts, inventory_hash,"
                    + " (SELECT COUNT(*) FROM device_sightings s WHERE s.tenant = n.tenant AND s.node = n.name)"
                    + " FROM nodes n WHERE n.tenant = ? AND n.name = ?")) {
                select.setString(1, tenant);
                select.setString(2, node);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new NodeInventory(row.getString(1), row.getInt(3), row.getString(2)));
                }
            }
        });
    }

    private Device asDevice(final DeviceRecord record) {
        final ObjectNode properties =
                (ObjectNode) codec.readTree(record.properties().getBytes(StandardCharsets.UTF_8));
        return new Device(record.id(), record.kind(), record.source(), record.name(), properties);
    }

    private static List<DeviceRecord> selectDevices(
            final Connection c, final String tenant, final DeviceQuery query, final String after, final int limit)
            throws SQLException {
        final StringBuilder sql = new StringBuilder("SELECT d.id, d.kind, d.source, d.name, d.properties,"
                + " d.first_seen, d.last_seen FROM devices d WHERE d.tenant = ?");
        final List<String> parameters = new ArrayList<>();
        parameters.add(tenant);
        if (query.kind() != null) {
            sql.append(" AND d.kind = ?");
            parameters.add(query.kind());
        }
        if (after != null) {
            sql.append(" AND d.id > ?");
            parameters.add(after);
        }
        if (query.node() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM device_sightings s WHERE s.tenant = d.tenant"
                    + " AND s.device_id = d.id AND s.node = ?)");
            parameters.add(query.node());
        }
        if (query.present() != null) {
            sql.append(query.present() ? " AND EXISTS" : " AND NOT EXISTS")
                    .append(" (SELECT 1 FROM device_sightings s WHERE s.tenant = d.tenant AND s.device_id = d.id)");
        }
        sql.append(" ORDER BY d.id LIMIT ").append(limit);
        try (PreparedStatement select = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setString(i + 1, parameters.get(i));
            }
            final List<DeviceRecord> out = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    out.add(device(row));
                }
            }
            return out;
        }
    }

    private static List<DeviceRecord> withSightings(
            final Connection c, final String tenant, final List<DeviceRecord> devices) throws SQLException {
        if (devices.isEmpty()) {
            return List.of();
        }
        final Map<String, List<DeviceRecord.Sighting>> byDevice = new HashMap<>();
        final String placeholders = String.join(", ", Collections.nCopies(devices.size(), "?"));
        try (PreparedStatement select = c.prepareStatement("SELECT s.device_id, s.node, s.first_seen, s.last_seen,"
                + " n.online, n.last_seen FROM device_sightings s JOIN nodes n ON n.tenant = s.tenant"
                + " AND n.name = s.node WHERE s.tenant = ? AND s.device_id IN (" + placeholders + ")"
                + " ORDER BY s.device_id, s.node")) {
            select.setString(1, tenant);
            for (int i = 0; i < devices.size(); i++) {
                select.setString(i + 2, devices.get(i).id());
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    final long nodeLastSeen = row.getLong(6);
                    final boolean neverSeen = row.wasNull();
                    byDevice.computeIfAbsent(row.getString(1), k -> new ArrayList<>())
                            .add(new DeviceRecord.Sighting(
                                    row.getString(2),
                                    Instant.ofEpochMilli(row.getLong(3)),
                                    Instant.ofEpochMilli(row.getLong(4)),
                                    row.getBoolean(5),
                                    neverSeen ? null : Instant.ofEpochMilli(nodeLastSeen)));
                }
            }
        }
        final List<DeviceRecord> out = new ArrayList<>(devices.size());
        for (final DeviceRecord d : devices) {
            out.add(new DeviceRecord(
                    d.id(),
                    d.kind(),
                    d.source(),
                    d.name(),
                    d.properties(),
                    d.firstSeen(),
                    d.lastSeen(),
                    byDevice.getOrDefault(d.id(), List.of())));
        }
        return out;
    }

    private static DeviceRecord device(final ResultSet row) throws SQLException {
        return new DeviceRecord(
                row.getString(1),
                row.getString(2),
                row.getString(3),
                row.getString(4),
                row.getString(5),
                Instant.ofEpochMilli(row.getLong(6)),
                Instant.ofEpochMilli(row.getLong(7)),
                List.of());
    }

    private static Set<String> sightings(final Connection c, final String tenant, final String node)
            throws SQLException {
        final Set<String> ids = new HashSet<>();
        try (PreparedStatement select =
                c.prepareStatement("SELECT device_id FROM device_sightings WHERE tenant = ? AND node = ?")) {
            select.setString(1, tenant);
            select.setString(2, node);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    ids.add(row.getString(1));
                }
            }
        }
        return ids;
    }

    private void upsertDevice(final Connection c, final String tenant, final Device device, final long now)
            throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO devices (tenant, id, kind, source, name,"
                + " properties, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (tenant, id) DO UPDATE SET kind = excluded.kind, source = excluded.source,"
                + " name = excluded.name, properties = excluded.properties, last_seen = excluded.last_seen")) {
            upsert.setString(1, tenant);
            upsert.setString(2, device.id());
            upsert.setString(3, device.kind());
            upsert.setString(4, device.source());
            upsert.setString(5, device.name());
            upsert.setString(6, device.properties().toString());
            upsert.setLong(7, now);
            upsert.setLong(8, now);
            upsert.executeUpdate();
        }
    }

    private static void upsertSighting(
            final Connection c, final String tenant, final Device device, final String node, final long now)
            throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO device_sightings (tenant, device_id, node,"
                + " content_hash, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (tenant, device_id, node) DO UPDATE SET content_hash = excluded.content_hash,"
                + " last_seen = excluded.last_seen")) {
            upsert.setString(1, tenant);
            upsert.setString(2, device.id());
            upsert.setString(3, node);
            upsert.setString(4, device.contentHash());
            upsert.setLong(5, now);
            upsert.setLong(6, now);
            upsert.executeUpdate();
        }
    }

    private static void removeSighting(
            final Connection c, final String tenant, final String id, final String node, final long now)
            throws SQLException {
        try (PreparedStatement delete =
                c.prepareStatement("DELETE FROM device_sightings WHERE tenant = ? AND device_id = ? AND node = ?")) {
            delete.setString(1, tenant);
            delete.setString(2, id);
            delete.setString(3, node);
            delete.executeUpdate();
        }
        try (PreparedStatement seen =
                c.prepareStatement("UPDATE devices SET last_seen = ? WHERE tenant = ? AND id = ?")) {
            seen.setLong(1, now);
            seen.setString(2, tenant);
            seen.setString(3, id);
            seen.executeUpdate();
        }
    }
}
