package dev.baton.hub.internal.store;

import dev.baton.protocol.Event;
import dev.baton.protocol.Limits;
import dev.baton.protocol.NodeStatus;
import dev.baton.protocol.ProtocolException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The hub's database: tenants, tokens, nodes, desired documents and events, in SQLite (one hub) or PostgreSQL
 * (one or more hubs sharing it).
 *
 * <p>Threading: the JDBC connection belongs to one thread, {@code baton-store}; every method hands its work to that
 * thread and returns a {@link CompletableFuture} that completes there. Callers on the Vert.x event loop or on MQTT
 * client threads therefore never block on JDBC. Each method is atomic, and the ones that read and write do so in one
 * transaction.
 *
 * <p>Several hubs on one PostgreSQL database: every read-modify-write is atomic across processes, not just across
 * this hub's calls. Counters and versions move by conditional {@code UPDATE}s ({@code … WHERE seq < ?}), inserts
 * that may meet another hub's use {@code ON CONFLICT}, and a read that a write depends on locks its row (see
 * {@link SqlDialect}); a transaction that loses a deadlock is run again. A connection the server dropped is opened
 * again for the next piece of work.
 */
public final class HubStore implements AutoCloseable {

    /** Events kept per node; older ones are deleted as new ones arrive. */
    public static final int MAX_EVENTS_PER_NODE = 1000;

    private static final Logger log = LoggerFactory.getLogger(HubStore.class);
    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    private static final String NODE_COLUMNS = "tenant, name, labels, enrolled_at, online, last_seen, boot_id,"
            + " agent_version, protocols, desired_generation, observed_generation, last_reported_seq, reported";

    /** How often a transaction that lost a deadlock or serialization check to another hub is tried in all. */
    private static final int MAX_TRANSACTION_ATTEMPTS = 5;

    /** Work for the store thread. */
    @FunctionalInterface
    interface StoreWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Opens a connection to the database. */
    @FunctionalInterface
    private interface Connector {
        Connection connect() throws SQLException;
    }

    private final String database;
    private final Connector connector;
    private final ExecutorService thread;
    private final Clock clock;
    // Owned by the store thread; written before any other work is queued, and again when a lost connection is
    // replaced.
    private @Nullable Connection connection;
    private SqlDialect dialect = SqlDialect.SQLITE;
    private volatile boolean open;

    private HubStore(final String database, final Connector connector, final Clock clock) {
        this.database = database;
        this.connector = connector;
        this.clock = clock;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            final Thread storeThread = new Thread(runnable, "baton-store");
            storeThread.setDaemon(true);
            return storeThread;
        });
    }

    /**
     * Opens (creating if needed) the SQLite database {@code file} in WAL mode with {@code synchronous=NORMAL} and
     * foreign keys on, and migrates it to the newest schema. Blocks until done; call it before serving requests.
     *
     * @throws StoreException when the database cannot be opened or migrated
     */
    public static @NotNull HubStore openSqlite(final @NotNull Path file, final @NotNull Clock clock) {
        final SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(5_000);
        return open(
                file.toString(),
                () -> DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties()),
                clock);
    }

    /**
     * Opens the PostgreSQL database at {@code url} ({@code jdbc:postgresql://host:port/database?user=…}) and
     * migrates it to the newest schema; other hubs may use the same database at the same time. Blocks until done.
     *
     * @param password the role's password, kept out of the URL so that it never shows in a log; null when the URL
     *     or the server's authentication needs none
     * @throws IllegalArgumentException when {@code url} is not a {@code jdbc:postgresql:} URL
     * @throws StoreException when the database cannot be reached, opened or migrated
     */
    public static @NotNull HubStore openPostgres(
            final @NotNull String url, final @Nullable String password, final @NotNull Clock clock) {
        JdbcUrls.checkPostgres(url, "url");
        final Properties properties = new Properties();
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", "baton-hub");
        return open(JdbcUrls.redact(url), () -> DriverManager.getConnection(url, properties), clock);
    }

    private static HubStore open(final String database, final Connector connector, final Clock clock) {
        final HubStore store = new HubStore(database, connector, clock);
        try {
            store.thread.submit(store::openOnStoreThread).get();
        } catch (final ExecutionException e) {
            store.close();
            if (e.getCause() instanceof StoreException cause) {
                throw cause;
            }
            throw new StoreException(
                    StoreException.Reason.IO,
                    "cannot open " + database + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            store.close();
            throw new StoreException(StoreException.Reason.IO, "interrupted while opening " + database, e);
        }
        return store;
    }

    private Void openOnStoreThread() throws SQLException {
        final Connection opened = connector.connect();
        connection = opened;
        dialect = SqlDialect.of(opened);
        MigrationRunner.hubSchema().migrate(opened, database);
        open = true;
        return null;
    }

    /** The file or (password redacted) URL of the database, as messages name it. */
    public @NotNull String database() {
        return database;
    }

    /** False once closed or when opening failed. */
    public boolean isOpen() {
        return open;
    }

    // ---- tenants and API tokens -------------------------------------------------------------------------------

    public @NotNull CompletableFuture<List<String>> listTenants() {
        return submit(c -> {
            final List<String> tenants = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT name FROM tenants ORDER BY name");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    tenants.add(rows.getString(1));
                }
            }
            return tenants;
        });
    }

    /** Stores (or replaces) the hash of API token {@code id}; {@code tenant} null means every tenant. */
    public @NotNull CompletableFuture<Void> putApiToken(
            final @NotNull String id, final @Nullable String tenant, final @NotNull String tokenHash) {
        return submit(c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO api_tokens (id, tenant, token_hash,"
                    + " created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET tenant = excluded.tenant,"
                    + " token_hash = excluded.token_hash")) {
                upsert.setString(1, id);
                upsert.setString(2, tenant);
                upsert.setString(3, tokenHash);
                upsert.setLong(4, now().toEpochMilli());
                upsert.executeUpdate();
            }
            return null;
        });
    }

    /** Token hash → tenant the token is limited to (empty: every tenant). */
    public @NotNull CompletableFuture<Map<String, Optional<String>>> listApiTokens() {
        return submit(c -> {
            final Map<String, Optional<String>> tokens = new LinkedHashMap<>();
            try (PreparedStatement select = c.prepareStatement("SELECT token_hash, tenant FROM api_tokens");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    tokens.put(rows.getString(1), Optional.ofNullable(rows.getString(2)));
                }
            }
            return tokens;
        });
    }

    /**
     * Stores the hash of API token {@code id} unless a token {@code id} exists already, and returns the hash stored
     * for {@code id} afterwards: {@code tokenHash} when this call stored it or it was there, another one when a hub
     * sharing the database made token {@code id} first.
     */
    public @NotNull CompletableFuture<String> claimApiToken(
            final @NotNull String id, final @Nullable String tenant, final @NotNull String tokenHash) {
        return transaction(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO api_tokens (id, tenant, token_hash,"
                    + " created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                insert.setString(1, id);
                insert.setString(2, tenant);
                insert.setString(3, tokenHash);
                insert.setLong(4, now().toEpochMilli());
                insert.executeUpdate();
            }
            try (PreparedStatement select = c.prepareStatement("SELECT token_hash FROM api_tokens WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return row.getString(1);
                }
            }
        });
    }

    // ---- enrollment -------------------------------------------------------------------------------------------

    public @NotNull CompletableFuture<Void> createEnrollmentToken(final @NotNull EnrollmentTokenRecord token) {
        return submit(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO enrollment_tokens (id, tenant, token_hash,"
                    + " expires_at, max_uses, uses, labels, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)")) {
                insert.setString(1, token.id());
                insert.setString(2, token.tenant());
                insert.setString(3, token.tokenHash());
                insert.setLong(4, token.expiresAt().toEpochMilli());
                insert.setInt(5, token.maxUses());
                insert.setString(6, JsonColumns.labels(token.labels()));
                insert.setLong(7, token.createdAt().toEpochMilli());
                insert.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Redeems an enrollment token for node {@code node} in one transaction: checks the token, counts the use, and
     * creates the node or replaces its credential. Re-enrolling resets {@code last_reported_seq} and deletes the
     * node's events, because a node that enrolls again may have started over with an empty outbox, counting its
     * {@code seq} from 1 again.
     *
     * <p>Labels: the request's labels, overridden by the token's where both name a key, because the token is the
     * operator's word and the request the installer's.
     *
     * @throws ProtocolException when the merged labels exceed {@link Limits#MAX_LABELS}; nothing changes
     */
    public @NotNull CompletableFuture<EnrollmentOutcome> enroll(
            final @NotNull String tokenHash,
            final @NotNull String node,
            final @NotNull Map<String, String> requestLabels,
            final @NotNull String credentialHash) {
        return transaction(c -> {
            final Instant now = now();
            final String tokenId;
            final String tenant;
            final Map<String, String> tokenLabels;
            final int maxUses;
            try (PreparedStatement select = c.prepareStatement("SELECT id, tenant, expires_at, max_uses, uses, labels"
                    + " FROM enrollment_tokens WHERE token_hash = ?")) {
                select.setString(1, tokenHash);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return new EnrollmentOutcome.UnknownToken();
                    }
                    tokenId = row.getString("id");
                    tenant = row.getString("tenant");
                    final Instant expiresAt = Instant.ofEpochMilli(row.getLong("expires_at"));
                    maxUses = row.getInt("max_uses");
                    if (!expiresAt.isAfter(now)) {
                        return new EnrollmentOutcome.ExpiredToken(tokenId, expiresAt);
                    }
                    if (row.getInt("uses") >= maxUses) {
                        return new EnrollmentOutcome.UsedUpToken(tokenId, maxUses);
                    }
                    tokenLabels = JsonColumns.labels(row.getString("labels"));
                }
            }
            // Counted only while uses remain: another hub may have taken the last use since the check above.
            try (PreparedStatement use = c.prepareStatement(
                    "UPDATE enrollment_tokens SET uses = uses + 1 WHERE id = ? AND uses < max_uses")) {
                use.setString(1, tokenId);
                if (use.executeUpdate() == 0) {
                    return new EnrollmentOutcome.UsedUpToken(tokenId, maxUses);
                }
            }
            final Map<String, String> labels = new TreeMap<>(requestLabels);
            labels.putAll(tokenLabels);
            if (labels.size() > Limits.MAX_LABELS) {
                throw new ProtocolException(
                        ProtocolException.Reason.INVALID_FIELD,
                        "labels must not exceed " + Limits.MAX_LABELS + " entries together with the token's labels,"
                                + " but had " + labels.size());
            }
            final boolean reEnrolled;
            // Created here unless it exists (desired state may be set before a node enrolls, on any hub); a node
            // that exists is locked before its credential is read and replaced.
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO nodes (tenant, name, labels,"
                    + " credential_hash, created_at, enrolled_at) VALUES (?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (tenant, name) DO NOTHING")) {
                insert.setString(1, tenant);
                insert.setString(2, node);
                insert.setString(3, JsonColumns.labels(labels));
                insert.setString(4, credentialHash);
                insert.setLong(5, now.toEpochMilli());
                insert.setLong(6, now.toEpochMilli());
                if (insert.executeUpdate() == 1) {
                    return new EnrollmentOutcome.Enrolled(tenant, node, tokenId, labels, false);
                }
            }
            try (PreparedStatement select = c.prepareStatement(
                    dialect.lockingRead("SELECT credential_hash FROM nodes WHERE tenant = ? AND name = ?"))) {
                select.setString(1, tenant);
                select.setString(2, node);
                try (ResultSet row = select.executeQuery()) {
                    // The insert above found the row, and nothing deletes nodes.
                    row.next();
                    reEnrolled = row.getString(1) != null;
                }
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE nodes SET labels = ?, credential_hash = ?,"
                    + " enrolled_at = ?, last_reported_seq = 0, last_inventory_seq = 0, inventory_hash = NULL"
                    + " WHERE tenant = ? AND name = ?")) {
                update.setString(1, JsonColumns.labels(labels));
                update.setString(2, credentialHash);
                update.setLong(3, now.toEpochMilli());
                update.setString(4, tenant);
                update.setString(5, node);
                update.executeUpdate();
            }
            // Events are kept once per seq, and the agent that enrolls now may have started over with an empty outbox
            // at seq 1: its events would all be taken for duplicates of the old ones. Those belong to the node's
            // previous identity, so they go.
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM events WHERE tenant = ? AND node = ?")) {
                delete.setString(1, tenant);
                delete.setString(2, node);
                delete.executeUpdate();
            }
            return new EnrollmentOutcome.Enrolled(tenant, node, tokenId, labels, reEnrolled);
        });
    }

    /** The SHA-256 of the node's MQTT password; empty when the node is unknown or not enrolled. */
    public @NotNull CompletableFuture<Optional<String>> findCredentialHash(
            final @NotNull String tenant, final @NotNull String node) {
        return submit(c -> {
            try (PreparedStatement select =
                    c.prepareStatement("SELECT credential_hash FROM nodes WHERE tenant = ? AND name = ?")) {
                select.setString(1, tenant);
                select.setString(2, node);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
                }
            }
        });
    }

    // ---- nodes and desired state ------------------------------------------------------------------------------

    public @NotNull CompletableFuture<List<NodeRecord>> listNodes(final @NotNull String tenant) {
        return submit(c -> {
            final List<NodeRecord> nodes = new ArrayList<>();
            try (PreparedStatement select =
                    c.prepareStatement("SELECT " + NODE_COLUMNS + " FROM nodes WHERE tenant = ? ORDER BY name")) {
                select.setString(1, tenant);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        nodes.add(node(rows));
                    }
                }
            }
            return nodes;
        });
    }

    public @NotNull CompletableFuture<Optional<NodeRecord>> findNode(
            final @NotNull String tenant, final @NotNull String node) {
        return submit(c -> selectNode(c, tenant, node));
    }

    /** The node and its current desired document, read in one go; empty when the node is unknown. */
    public @NotNull CompletableFuture<Optional<NodeWithDesired>> findNodeWithDesired(
            final @NotNull String tenant, final @NotNull String node) {
        return findNodeWithDesired(tenant, node, List.of(), 0);
    }

    /**
     * The node, its current desired document and its newest events of {@code historyTypes} (none when
     * {@code historyLimit} is 0), read in one task of the store thread.
     */
    public @NotNull CompletableFuture<Optional<NodeWithDesired>> findNodeWithDesired(
            final @NotNull String tenant,
            final @NotNull String node,
            final @NotNull List<String> historyTypes,
            final int historyLimit) {
        return submit(c -> {
            final Optional<NodeRecord> found = selectNode(c, tenant, node);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new NodeWithDesired(
                    found.get(),
                    selectCurrentDesired(c, tenant, node),
                    historyLimit == 0 ? List.of() : selectEvents(c, tenant, node, historyTypes, historyLimit)));
        });
    }

    /**
     * Stores the next generation of a node's desired document, creating the node row if needed (desired state may
     * be set before a node enrolls).
     *
     * @param expectedGeneration when present, store only if the current generation equals it (compare-and-set)
     * @param document makes the document JSON for the new generation; runs on the store thread inside the
     *     transaction, so a {@link ProtocolException} it throws rolls everything back
     */
    public @NotNull CompletableFuture<PutDesiredOutcome> putDesired(
            final @NotNull String tenant,
            final @NotNull String node,
            final @NotNull OptionalLong expectedGeneration,
            final @NotNull LongFunction<String> document) {
        return transaction(c -> {
            final Instant now = now();
            final long generation;
            while (true) {
                // The compare-and-set itself: another hub's put in between makes this update find no row.
                final String expected = expectedGeneration.isPresent() ? " AND desired_generation = ?" : "";
                try (PreparedStatement update = c.prepareStatement("UPDATE nodes SET desired_generation ="
                        + " desired_generation + 1 WHERE tenant = ? AND name = ?" + expected)) {
                    update.setString(1, tenant);
                    update.setString(2, node);
                    if (expectedGeneration.isPresent()) {
                        update.setLong(3, expectedGeneration.getAsLong());
                    }
                    if (update.executeUpdate() == 1) {
                        generation = selectDesiredGeneration(c, tenant, node).orElseThrow();
                        break;
                    }
                }
                final OptionalLong current = selectDesiredGeneration(c, tenant, node);
                if (current.isPresent() && expectedGeneration.isPresent()) {
                    return new PutDesiredOutcome.Conflict(current.getAsLong());
                }
                if (current.isEmpty()) {
                    if (expectedGeneration.isPresent() && expectedGeneration.getAsLong() != 0) {
                        return new PutDesiredOutcome.Conflict(0);
                    }
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO nodes (tenant, name, labels,"
                            + " created_at, desired_generation) VALUES (?, ?, ?, ?, 1)"
                            + " ON CONFLICT (tenant, name) DO NOTHING")) {
                        insert.setString(1, tenant);
                        insert.setString(2, node);
                        insert.setString(3, JsonColumns.labels(Map.of()));
                        insert.setLong(4, now.toEpochMilli());
                        if (insert.executeUpdate() == 1) {
                            generation = 1;
                            break;
                        }
                    }
                }
                // Another hub created the node between the update and the read: go again with its row there.
            }
            final String json = document.apply(generation);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO desired_documents (tenant, node,"
                    + " generation, document, created_at) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, tenant);
                insert.setString(2, node);
                insert.setLong(3, generation);
                insert.setString(4, json);
                insert.setLong(5, now.toEpochMilli());
                insert.executeUpdate();
            }
            return new PutDesiredOutcome.Stored(new DesiredRecord(tenant, node, generation, json, now));
        });
    }

    /** The node's current desired document; empty when none was ever set. */
    public @NotNull CompletableFuture<Optional<DesiredRecord>> findCurrentDesired(
            final @NotNull String tenant, final @NotNull String node) {
        return submit(c -> selectCurrentDesired(c, tenant, node));
    }

    // ---- ingest -----------------------------------------------------------------------------------------------

    /**
     * Records a birth: the node is online with this boot, agent and observed generation. Reads the desired
     * generation, and the document when the node is behind it, in the same transaction.
     *
     * @return empty when the node is unknown
     */
    public @NotNull CompletableFuture<Optional<BirthOutcome>> recordBirth(
            final @NotNull String tenant, final @NotNull String node, final @NotNull NodeStatus birth) {
        return transaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE nodes SET online = ?, boot_id = ?,"
                    + " agent_version = ?, protocols = ?, last_seen = ?, observed_generation = ?"
                    + " WHERE tenant = ? AND name = ?")) {
                update.setBoolean(1, true);
                update.setString(2, birth.bootId());
                update.setString(3, birth.agentVersion());
                update.setString(4, JsonColumns.strings(birth.protocols()));
                update.setLong(5, now().toEpochMilli());
                update.setLong(6, birth.observedGeneration());
                update.setString(7, tenant);
                update.setString(8, node);
                if (update.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            final long desiredGeneration;
            try (PreparedStatement select =
                    c.prepareStatement("SELECT desired_generation FROM nodes WHERE tenant = ? AND name = ?")) {
                select.setString(1, tenant);
                select.setString(2, node);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    desiredGeneration = row.getLong(1);
                }
            }
            return Optional.of(new BirthOutcome(
                    desiredGeneration,
                    birth.observedGeneration() < desiredGeneration
                            ? selectCurrentDesired(c, tenant, node)
                            : Optional.empty()));
        });
    }

    /**
     * Records a will (or an orderly offline status): the node goes offline only when {@code bootId} is the boot of
     * its latest birth; a will left by an older connection is {@link IngestOutcome#IGNORED}.
     */
    public @NotNull CompletableFuture<IngestOutcome> recordOffline(
            final @NotNull String tenant, final @NotNull String node, final @NotNull String bootId) {
        return submit(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE nodes SET online = ?, last_seen = ?" + " WHERE tenant = ? AND name = ? AND boot_id = ?")) {
                update.setBoolean(1, false);
                update.setLong(2, now().toEpochMilli());
                update.setString(3, tenant);
                update.setString(4, node);
                update.setString(5, bootId);
                if (update.executeUpdate() == 1) {
                    return IngestOutcome.STORED;
                }
            }
            return nodeExists(c, tenant, node) ? IngestOutcome.IGNORED : IngestOutcome.UNKNOWN_NODE;
        });
    }

    /**
     * Stores a reported state if its {@code seq} is above the last one stored for the node; at-least-once
     * duplicates and stale reorders are {@link IngestOutcome#IGNORED}.
     */
    public @NotNull CompletableFuture<IngestOutcome> recordReported(
            final @NotNull String tenant,
            final @NotNull String node,
            final long seq,
            final long observedGeneration,
            final @NotNull String json) {
        return submit(c -> {
            final long now = now().toEpochMilli();
            try (PreparedStatement update = c.prepareStatement("UPDATE nodes SET reported = ?, reported_at = ?,"
                    + " observed_generation = ?, last_reported_seq = ?, last_seen = ?"
                    + " WHERE tenant = ? AND name = ? AND last_reported_seq < ?")) {
                update.setString(1, json);
                update.setLong(2, now);
                update.setLong(3, observedGeneration);
                update.setLong(4, seq);
                update.setLong(5, now);
                update.setString(6, tenant);
                update.setString(7, node);
                update.setLong(8, seq);
                if (update.executeUpdate() == 1) {
                    return IngestOutcome.STORED;
                }
            }
            return nodeExists(c, tenant, node) ? IngestOutcome.IGNORED : IngestOutcome.UNKNOWN_NODE;
        });
    }

    /** Stores an event once per (tenant, node, seq) and keeps the newest {@value #MAX_EVENTS_PER_NODE}. */
    public @NotNull CompletableFuture<IngestOutcome> recordEvent(
            final @NotNull String tenant, final @NotNull String node, final @NotNull Event event) {
        return transaction(c -> {
            // Locked so that hubs storing events of one node at once take turns: each prunes what the other added.
            try (PreparedStatement lock =
                    c.prepareStatement(dialect.lockingRead("SELECT 1 FROM nodes WHERE tenant = ? AND name = ?"))) {
                lock.setString(1, tenant);
                lock.setString(2, node);
                try (ResultSet row = lock.executeQuery()) {
                    if (!row.next()) {
                        return IngestOutcome.UNKNOWN_NODE;
                    }
                }
            }
            final int inserted;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO events (tenant, node, seq, boot_id, ts,"
                    + " type, severity, component, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (tenant, node, seq) DO NOTHING")) {
                insert.setString(1, tenant);
                insert.setString(2, node);
                insert.setLong(3, event.seq());
                insert.setString(4, event.bootId());
                insert.setLong(5, event.timestamp().toEpochMilli());
                insert.setString(6, event.type());
                insert.setString(7, event.severity().json());
                if (event.component() == null) {
                    insert.setNull(8, Types.VARCHAR);
                } else {
                    insert.setString(8, event.component());
                }
                insert.setString(9, event.message());
                inserted = insert.executeUpdate();
            }
            if (inserted == 0) {
                return IngestOutcome.IGNORED;
            }
            try (PreparedStatement prune = c.prepareStatement("DELETE FROM events WHERE tenant = ? AND node = ?"
                    + " AND seq <= (SELECT seq FROM events WHERE tenant = ? AND node = ?"
                    + " ORDER BY seq DESC LIMIT 1 OFFSET " + MAX_EVENTS_PER_NODE + ")")) {
                prune.setString(1, tenant);
                prune.setString(2, node);
                prune.setString(3, tenant);
                prune.setString(4, node);
                prune.executeUpdate();
            }
            try (PreparedStatement seen =
                    c.prepareStatement("UPDATE nodes SET last_seen = ? WHERE tenant = ? AND name = ?")) {
                seen.setLong(1, now().toEpochMilli());
                seen.setString(2, tenant);
                seen.setString(3, node);
                seen.executeUpdate();
            }
            return IngestOutcome.STORED;
        });
    }

    /** The node's newest events first, at most {@code limit}; empty when the node is unknown. */
    public @NotNull CompletableFuture<Optional<List<EventRecord>>> listEvents(
            final @NotNull String tenant, final @NotNull String node, final int limit) {
        return listEvents(tenant, node, List.of(), limit);
    }

    /**
     * The node's newest events of the given types first (of every type when {@code types} is empty), at most
     * {@code limit}; empty when the node is unknown.
     */
    public @NotNull CompletableFuture<Optional<List<EventRecord>>> listEvents(
            final @NotNull String tenant,
            final @NotNull String node,
            final @NotNull List<String> types,
            final int limit) {
        return submit(c -> nodeExists(c, tenant, node)
                ? Optional.of(selectEvents(c, tenant, node, types, limit))
                : Optional.empty());
    }

    /**
     * The newest {@code limit} events of the node, of the given {@code types} only when that list is not empty. One
     * query per type, each served by the index {@code events_by_type} (V5) newest first; a single {@code type IN
     * (…) ORDER BY seq DESC} query is planned on the primary key instead and reads every event of the node.
     */
    private static List<EventRecord> selectEvents(
            final Connection c, final String tenant, final String node, final List<String> types, final int limit)
            throws SQLException {
        if (types.isEmpty()) {
            return selectEvents(c, tenant, node, (String) null, limit);
        }
        final List<EventRecord> events = new ArrayList<>();
        for (final String type : types) {
            events.addAll(selectEvents(c, tenant, node, type, limit));
        }
        events.sort(Comparator.comparingLong(EventRecord::seq).reversed());
        return events.size() > limit ? List.copyOf(events.subList(0, limit)) : events;
    }

    private static List<EventRecord> selectEvents(
            final Connection c, final String tenant, final String node, final @Nullable String type, final int limit)
            throws SQLException {
        final List<EventRecord> events = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT seq, boot_id, ts, type, severity, component,"
                + " message FROM events WHERE tenant = ? AND node = ?" + (type == null ? "" : " AND type = ?")
                + " ORDER BY seq DESC LIMIT ?")) {
            int index = 1;
            select.setString(index++, tenant);
            select.setString(index++, node);
            if (type != null) {
                select.setString(index++, type);
            }
            select.setInt(index, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    events.add(new EventRecord(
                            rows.getLong(1),
                            rows.getString(2),
                            Instant.ofEpochMilli(rows.getLong(3)),
                            rows.getString(4),
                            rows.getString(5),
                            rows.getString(6),
                            rows.getString(7)));
                }
            }
        }
        return events;
    }

    // ---- lifecycle --------------------------------------------------------------------------------------------

    /** Closes the connection after the work already queued; waits up to 10 seconds. Idempotent. */
    @Override
    public void close() {
        if (thread.isShutdown()) {
            return;
        }
        try {
            thread.execute(() -> {
                open = false;
                if (connection != null) {
                    try {
                        connection.close();
                    } catch (final SQLException e) {
                        log.warn("closing {} failed: {}", database, e.getMessage());
                    }
                }
            });
        } catch (final RejectedExecutionException e) {
            log.debug("store thread already stopped", e);
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                log.warn("store work did not finish within {} s; closing {} anyway", CLOSE_TIMEOUT_SECONDS, database);
                thread.shutdownNow();
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
    }

    // ---- internals --------------------------------------------------------------------------------------------

    <T> CompletableFuture<T> submit(final StoreWork<T> work) {
        final CompletableFuture<T> result = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                if (!open) {
                    result.completeExceptionally(closed());
                    return;
                }
                final Connection c;
                try {
                    c = connection();
                } catch (final SQLException e) {
                    result.completeExceptionally(new StoreException(
                            StoreException.Reason.IO,
                            "cannot reach the database " + database + ": " + e.getMessage()
                                    + "; the hub tries again with the next request",
                            e));
                    return;
                }
                try {
                    result.complete(work.run(c));
                } catch (final SQLException e) {
                    if (dialect.connectionLost(e)) {
                        dropConnection(c, e);
                    }
                    result.completeExceptionally(new StoreException(
                            StoreException.Reason.IO, "database " + database + " failed: " + e.getMessage(), e));
                } catch (final RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (final RejectedExecutionException e) {
            result.completeExceptionally(closed());
        }
        return result;
    }

    /**
     * Like {@link #submit} in one transaction, rolled back when {@code work} throws. On PostgreSQL a transaction that
     * lost a deadlock to another hub is run again, up to {@value #MAX_TRANSACTION_ATTEMPTS} times in all, so {@code
     * work} must do nothing but its statements.
     */
    <T> CompletableFuture<T> transaction(final StoreWork<T> work) {
        return submit(c -> {
            for (int attempt = 1; ; attempt++) {
                c.setAutoCommit(false);
                try {
                    final T result = work.run(c);
                    c.commit();
                    return result;
                } catch (final SQLException e) {
                    rollback(c, e);
                    if (attempt < MAX_TRANSACTION_ATTEMPTS && dialect.mayRetry(e)) {
                        log.debug("transaction on {} failed ({}); trying again", database, e.getMessage());
                        continue;
                    }
                    throw e;
                } catch (final RuntimeException e) {
                    rollback(c, e);
                    throw e;
                } finally {
                    if (!c.isClosed()) {
                        c.setAutoCommit(true);
                    }
                }
            }
        });
    }

    private static void rollback(final Connection c, final Exception cause) {
        try {
            c.rollback();
        } catch (final SQLException rollback) {
            cause.addSuppressed(rollback);
        }
    }

    /** The open connection, connecting again if the last one was lost. Store thread only. */
    private Connection connection() throws SQLException {
        final Connection current = connection;
        if (current != null) {
            return current;
        }
        final Connection connected = connector.connect();
        log.info("connected to {} again", database);
        connection = connected;
        return connected;
    }

    private void dropConnection(final Connection lost, final SQLException cause) {
        log.warn("lost the connection to {} ({}); connecting again for the next request", database, cause.getMessage());
        connection = null;
        try {
            lost.close();
        } catch (final SQLException e) {
            log.debug("closing the lost connection failed", e);
        }
    }

    private StoreException closed() {
        return new StoreException(StoreException.Reason.CLOSED, "the store " + database + " is closed");
    }

    Instant now() {
        return clock.instant();
    }

    /** Store thread only. */
    SqlDialect dialect() {
        return dialect;
    }

    private static boolean nodeExists(final Connection c, final String tenant, final String node) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM nodes WHERE tenant = ? AND name = ?")) {
            select.setString(1, tenant);
            select.setString(2, node);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    private static OptionalLong selectDesiredGeneration(final Connection c, final String tenant, final String node)
            throws SQLException {
        try (PreparedStatement select =
                c.prepareStatement("SELECT desired_generation FROM nodes WHERE tenant = ? AND name = ?")) {
            select.setString(1, tenant);
            select.setString(2, node);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    private static Optional<NodeRecord> selectNode(final Connection c, final String tenant, final String node)
            throws SQLException {
        try (PreparedStatement select =
                c.prepareStatement("SELECT " + NODE_COLUMNS + " FROM nodes WHERE tenant = ? AND name = ?")) {
            select.setString(1, tenant);
            select.setString(2, node);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(node(row)) : Optional.empty();
            }
        }
    }

    private static Optional<DesiredRecord> selectCurrentDesired(
            final Connection c, final String tenant, final String node) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT d.generation, d.document, d.created_at"
                + " FROM desired_documents d JOIN nodes n ON n.tenant = d.tenant AND n.name = d.node"
                + " AND n.desired_generation = d.generation WHERE d.tenant = ? AND d.node = ?")) {
            select.setString(1, tenant);
            select.setString(2, node);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new DesiredRecord(
                        tenant, node, row.getLong(1), row.getString(2), Instant.ofEpochMilli(row.getLong(3))));
            }
        }
    }

    private static NodeRecord node(final ResultSet row) throws SQLException {
        return new NodeRecord(
                row.getString("tenant"),
                row.getString("name"),
                JsonColumns.labels(row.getString("labels")),
                instant(row, "enrolled_at"),
                row.getBoolean("online"),
                instant(row, "last_seen"),
                row.getString("boot_id"),
                row.getString("agent_version"),
                JsonColumns.strings(row.getString("protocols")),
                row.getLong("desired_generation"),
                row.getLong("observed_generation"),
                row.getLong("last_reported_seq"),
                row.getString("reported"));
    }

    private static @Nullable Instant instant(final ResultSet row, final String column) throws SQLException {
        final long millis = row.getLong(column);
        return row.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
