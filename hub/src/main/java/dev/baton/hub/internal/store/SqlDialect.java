package dev.baton.hub.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.jetbrains.annotations.NotNull;

/**
 * Everything the store does differently on SQLite and on PostgreSQL. The statements themselves are shared; what
 * differs is how a transaction keeps other writers away from the rows it reads before writing them.
 *
 * <p>On SQLite one hub owns the file (the data directory is locked) and its one connection runs one transaction at a
 * time, so nothing can come between a read and the write that depends on it. On PostgreSQL several hubs share the
 * database at READ COMMITTED: a read that a write depends on locks its row ({@code SELECT … FOR UPDATE}), and a
 * transaction that loses a deadlock or serialization check is run again.
 */
enum SqlDialect {
    SQLITE("", false),
    POSTGRESQL(" FOR UPDATE", true);

    /** Any key will do as long as every Baton hub uses the same one: "baton" in ASCII. */
    private static final long MIGRATION_LOCK_KEY = 0x626174_6f6eL;

    private final String lockingReadSuffix;
    private final boolean sharedByHubs;

    SqlDialect(final String lockingReadSuffix, final boolean sharedByHubs) {
        this.lockingReadSuffix = lockingReadSuffix;
        this.sharedByHubs = sharedByHubs;
    }

    /** The dialect of an open connection. */
    static @NotNull SqlDialect of(final @NotNull Connection connection) throws SQLException {
        final String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (product.contains("sqlite")) {
            return SQLITE;
        }
        throw new StoreException(
                StoreException.Reason.IO,
                "the hub stores its data in SQLite or PostgreSQL, but the database is " + product);
    }

    /**
     * Appended to a {@code SELECT} of one row that the transaction goes on to change based on what it read: the row
     * stays locked against other hubs until the transaction ends.
     */
    @NotNull
    String lockingRead(final @NotNull String select) {
        return select + lockingReadSuffix;
    }

    /** Whether a transaction that failed with {@code e} may be run again from the start and then succeed. */
    boolean mayRetry(final @NotNull SQLException e) {
        // 40001 serialization_failure, 40P01 deadlock_detected (PostgreSQL Appendix A, class 40).
        return sharedByHubs && ("40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState()));
    }

    /**
     * Whether {@code e} means the connection is gone, not that the work failed: class 08 (connection exception), or
     * 57P01 to 57P03 (the server shut down or is restarting).
     */
    boolean connectionLost(final @NotNull SQLException e) {
        final String state = e.getSQLState();
        return sharedByHubs && state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    /**
     * Keeps other hubs from migrating the same database at the same time, until {@link #unlockMigrations}: two hubs
     * started together against an empty database would otherwise both create the first tables.
     */
    void lockMigrations(final @NotNull Connection connection) throws SQLException {
        if (sharedByHubs) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK_KEY + ")");
            }
        }
    }

    void unlockMigrations(final @NotNull Connection connection) throws SQLException {
        if (sharedByHubs) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK_KEY + ")");
            }
        }
    }
}
