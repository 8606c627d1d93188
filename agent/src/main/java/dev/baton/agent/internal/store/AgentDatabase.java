package dev.baton.agent.internal.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The agent's SQLite file ({@code agent.db}): one connection, versioned migrations, and transactions.
 *
 * <p>Durability: the database runs in WAL mode with {@code synchronous=NORMAL}. A commit appends to the write-ahead
 * log with a plain write(2) before it returns, so once committed a transaction survives the agent being killed
 * ({@code kill -9}, OOM killer, crash): the bytes are in the operating system's page cache, and the next open
 * replays the log. Only a power loss or kernel crash can roll back the most recent commits (the log is fsync'ed at
 * checkpoints, not at every commit), and even then the file stays consistent. That trade keeps an SD card alive on a
 * Raspberry Pi; the outbox makes up for the sequence numbers such a rollback could reuse (see
 * {@link #previousShutdownWasClean()}).
 *
 * <p>Threading: every method is {@code synchronized} on this object, so the reconciler thread and the outbox
 * publisher can share the single connection.
 */
public final class AgentDatabase implements AutoCloseable {

    /** Migration scripts in order; script {@code i} (from 0) brings the schema to version {@code i + 1}. */
    private static final List<String> MIGRATIONS =
            List.of("V1__initial.sql", "V2__inventory.sql", "V3__outputs_and_rollback.sql");

    private static final Logger LOG = LoggerFactory.getLogger(AgentDatabase.class);

    /** A unit of work on the connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final Path file;
    private final Connection connection;
    private final boolean previousShutdownWasClean;
    private boolean closed;

    private AgentDatabase(final Path file, final Connection connection, final boolean previousShutdownWasClean) {
        this.file = file;
        this.connection = connection;
        this.previousShutdownWasClean = previousShutdownWasClean;
    }

    /**
     * Opens (creating if needed) and migrates the database, and marks it as in use until {@link #close()}.
     *
     * @throws StoreException when the file cannot be opened or was written by a newer agent
     */
    public static @NotNull AgentDatabase open(final @NotNull Path file) {
        final SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(5_000);
        final Connection connection;
        try {
            connection = config.createConnection("jdbc:sqlite:" + file);
        } catch (final SQLException e) {
            throw new StoreException("cannot open the agent store " + file + ": " + e.getMessage(), e);
        }
        try {
            migrate(file, connection);
            final boolean clean;
            try (PreparedStatement read = connection.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
                read.setString(1, "clean_shutdown");
                try (ResultSet row = read.executeQuery()) {
                    clean = row.next() && row.getLong(1) == 1;
                }
            }
            setCleanShutdown(connection, false);
            return new AgentDatabase(file, connection, clean);
        } catch (final SQLException | RuntimeException e) {
            closeQuietly(connection);
            if (e instanceof StoreException store) {
                throw store;
            }
            throw new StoreException("cannot prepare the agent store " + file + ": " + e.getMessage(), e);
        }
    }

    /** The database file. */
    public @NotNull Path file() {
        return file;
    }

    /**
     * False when the last agent on this file did not {@link #close()} it: it was killed, or the host lost power.
     */
    public boolean previousShutdownWasClean() {
        return previousShutdownWasClean;
    }

    /** Runs {@code work} in one write transaction ({@code BEGIN IMMEDIATE}), committed when it returns. */
    public synchronized <T> T transaction(final @NotNull String what, final @NotNull Work<T> work) {
        checkOpen();
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
        } catch (final SQLException e) {
            throw new StoreException(what + " failed in " + file + ": " + e.getMessage(), e);
        }
        boolean committed = false;
        try {
            final T result = work.run(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("COMMIT");
            }
            committed = true;
            return result;
        } catch (final SQLException e) {
            throw new StoreException(what + " failed in " + file + ": " + e.getMessage(), e);
        } finally {
            if (!committed) {
                rollback();
            }
        }
    }

    /** Runs {@code work} outside an explicit transaction: for single reads. */
    public synchronized <T> T read(final @NotNull String what, final @NotNull Work<T> work) {
        checkOpen();
        try {
            return work.run(connection);
        } catch (final SQLException e) {
            throw new StoreException(what + " failed in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Marks the shutdown as clean, folds the write-ahead log into the database file, and closes it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            setCleanShutdown(connection, true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        } catch (final SQLException e) {
            LOG.warn("cannot finish the agent store {} cleanly: {}", file, e.getMessage());
        } finally {
            closeQuietly(connection);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreException("the agent store " + file + " is closed");
        }
    }

    private void rollback() {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ROLLBACK");
        } catch (final SQLException e) {
            LOG.debug("rollback failed in {}", file, e);
        }
    }

    private static void setCleanShutdown(final Connection connection, final boolean clean) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE meta SET value = ? WHERE key = ?")) {
            update.setLong(1, clean ? 1 : 0);
            update.setString(2, "clean_shutdown");
            update.executeUpdate();
        }
    }

    private static void migrate(final Path file, final Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
        }
        int current;
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            current = row.next() ? row.getInt(1) : 0;
        }
        if (current > MIGRATIONS.size()) {
            throw new StoreException(file + " has schema version " + current + ", but this agent knows versions up to "
                    + MIGRATIONS.size()
                    + ": run a newer agent on this data directory, or move it away to start afresh");
        }
        for (int version = current + 1; version <= MIGRATIONS.size(); version++) {
            final String script = MIGRATIONS.get(version - 1);
            try (Statement statement = connection.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
                for (final String sql : statements(script)) {
                    statement.execute(sql);
                }
                try (PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)")) {
                    insert.setInt(1, version);
                    insert.setString(2, Instant.now().toString());
                    insert.executeUpdate();
                }
                statement.execute("COMMIT");
            } catch (final SQLException | RuntimeException e) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ROLLBACK");
                } catch (final SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
            LOG.debug("migrated {} to schema version {} ({})", file, version, script);
        }
    }

    /** The statements of a migration script: split at ';', without comment lines. */
    private static List<String> statements(final String script) {
        final String text;
        try (InputStream in = AgentDatabase.class.getResourceAsStream(script)) {
            if (in == null) {
                throw new StoreException("migration " + script + " is missing from the agent's class path");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new StoreException("cannot read migration " + script + ": " + e.getMessage(), e);
        }
        final StringBuilder withoutComments = new StringBuilder();
        text.lines()
                .filter(line -> !line.strip().startsWith("--"))
                .forEach(line -> withoutComments.append(line).append('\n'));
        final List<String> out = new ArrayList<>();
        for (final String statement : withoutComments.toString().split(";")) {
            if (!statement.isBlank()) {
                out.add(statement.strip());
            }
        }
        return out;
    }

    private static void closeQuietly(final Connection connection) {
        try {
            connection.close();
        } catch (final SQLException e) {
            LOG.debug("closing the store connection failed", e);
        }
    }
}
