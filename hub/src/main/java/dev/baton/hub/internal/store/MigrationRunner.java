package dev.baton.hub.internal.store;

import dev.baton.hub.internal.security.SecretTokens;
import dev.baton.protocol.Texts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database to the newest schema version the hub knows, one script per version, each in its own
 * transaction together with its {@code schema_version} row — so a failed script leaves the database at the version
 * before it. Versions and script checksums are recorded; a database newer than the code, or one whose applied script
 * has changed since, is refused rather than guessed at.
 *
 * <p>Scripts are plain SQL that runs unchanged on SQLite and PostgreSQL (the store tests run every script on both).
 * They are listed, in order, in {@code migrations.list} next to them (class path resources cannot be listed
 * portably).
 *
 * <p>On PostgreSQL, where several hubs share one database, the runner holds an advisory lock while it reads and
 * applies versions, so hubs started together migrate one after the other: the second finds the schema current.
 *
 * <p>Not thread-safe: call it on the thread that owns the connection.
 */
public final class MigrationRunner {

    /** Where the hub's own scripts live on the class path. */
    public static final String HUB_SCHEMA = "dev/baton/hub/db/";

    private static final Logger log = LoggerFactory.getLogger(MigrationRunner.class);
    private static final Pattern SCRIPT_NAME = Pattern.compile("V([1-9][0-9]{0,5})__([A-Za-z0-9_]{1,100})\\.sql");
    private static final Pattern LINE_COMMENT = Pattern.compile("--[^\\n]*");
    /** How much of a failed statement an error message quotes. */
    private static final int MAX_STATEMENT_CHARS_SHOWN = 121;

    private static final String CREATE_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version ("
            + " version INTEGER NOT NULL PRIMARY KEY,"
            + " description VARCHAR(200) NOT NULL,"
            + " checksum CHAR(64) NOT NULL,"
            + " applied_at BIGINT NOT NULL)";

    /** One script. */
    public record Migration(int version, @NotNull String description, @NotNull String script, @NotNull String sql) {

        /** SHA-256 (hex) of the script text, recorded when applied. */
        public @NotNull String checksum() {
            return SecretTokens.sha256Hex(sql);
        }
    }

    /** What {@link #migrate} did. */
    public record Result(int fromVersion, int toVersion, @NotNull List<Migration> applied) {
        public Result {
            applied = List.copyOf(applied);
        }
    }

    private final String folder;
    private final ClassLoader classLoader;

    /**
     * @param folder class path folder ending in '/', holding {@code migrations.list} and the scripts
     */
    public MigrationRunner(final @NotNull String folder, final @NotNull ClassLoader classLoader) {
        if (!folder.endsWith("/")) {
            throw new IllegalArgumentException("folder must end with '/', but was '" + folder + "'");
        }
        this.folder = folder;
        this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
    }

    /** The runner for the hub's schema. */
    public static @NotNull MigrationRunner hubSchema() {
        return new MigrationRunner(HUB_SCHEMA, MigrationRunner.class.getClassLoader());
    }

    /**
     * The scripts in order, checked to be numbered 1, 2, 3, … without gaps.
     *
     * @throws StoreException with {@link StoreException.Reason#MIGRATION_MISSING} when the list or a script is bad
     */
    public @NotNull List<Migration> migrations() {
        final List<Migration> migrations = new ArrayList<>();
        for (final String line : read(folder + "migrations.list").split("\n")) {
            final String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            final Matcher matcher = SCRIPT_NAME.matcher(name);
            if (!matcher.matches()) {
                throw missing(
                        folder + "migrations.list names '" + name + "', which is not of the form V<n>__<words>.sql");
            }
            final int version = Integer.parseInt(matcher.group(1));
            if (version != migrations.size() + 1) {
                throw missing(folder + "migrations.list lists " + name + " at position " + (migrations.size() + 1)
                        + "; versions must be 1, 2, 3, … in order");
            }
            migrations.add(new Migration(version, matcher.group(2).replace('_', ' '), name, read(folder + name)));
        }
        return List.copyOf(migrations);
    }

    /**
     * Applies every script newer than the database's version.
     *
     * @param database names the database in error messages, e.g. its file
     * @throws StoreException when the database is newer than the code, an applied script changed, or a script fails
     */
    public @NotNull Result migrate(final @NotNull Connection connection, final @NotNull String database) {
        final List<Migration> migrations = migrations();
        final SqlDialect dialect;
        try {
            dialect = SqlDialect.of(connection);
            dialect.lockMigrations(connection);
        } catch (final SQLException e) {
            throw new StoreException(
                    StoreException.Reason.IO,
                    "cannot lock " + database + " against other hubs migrating it: " + e.getMessage(),
                    e);
        }
        try {
            return migrateLocked(connection, database, migrations);
        } finally {
            try {
                dialect.unlockMigrations(connection);
            } catch (final SQLException e) {
                // The lock goes with the connection at the latest; the hub closes it if it cannot use it.
                log.warn("cannot release the migration lock on {}: {}", database, e.getMessage());
            }
        }
    }

    private Result migrateLocked(final Connection connection, final String database, final List<Migration> migrations) {
        final int latest = migrations.size();
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute(CREATE_VERSION_TABLE);
            }
            final Map<Integer, String> applied = appliedChecksums(connection);
            final int current =
                    applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            if (current > latest) {
                throw new StoreException(
                        StoreException.Reason.SCHEMA_TOO_NEW,
                        database + " has schema version " + current + ", but this hub knows versions up to " + latest
                                + ": it was written by a newer hub. Run that newer hub version, or restore a backup"
                                + " made by this one.");
            }
            for (final Migration migration : migrations.subList(0, current)) {
                final String checksum = applied.get(migration.version());
                if (checksum == null || !checksum.equals(migration.checksum())) {
                    throw new StoreException(
                            StoreException.Reason.SCHEMA_MODIFIED,
                            database + " recorded " + migration.script() + " as "
                                    + (checksum == null ? "missing" : "applied with checksum " + checksum)
                                    + ", but this hub's script has checksum " + migration.checksum()
                                    + ". Released scripts must never change; restore the original script.");
                }
            }
            final List<Migration> pending = migrations.subList(current, latest);
            for (final Migration migration : pending) {
                apply(connection, migration, database);
            }
            if (!pending.isEmpty()) {
                log.info(
                        "migrated {} from schema version {} to {} ({})",
                        database,
                        current,
                        latest,
                        pending.stream().map(Migration::script).toList());
            } else {
                log.debug("{} is at schema version {}", database, current);
            }
            return new Result(current, latest, pending);
        } catch (final SQLException e) {
            throw new StoreException(
                    StoreException.Reason.IO,
                    "cannot read the schema version of " + database + ": " + e.getMessage(),
                    e);
        }
    }

    private static Map<Integer, String> appliedChecksums(final Connection connection) throws SQLException {
        final Map<Integer, String> applied = new TreeMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT version, checksum FROM schema_version");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                applied.put(rows.getInt(1), rows.getString(2));
            }
        }
        return applied;
    }

    private static void apply(final Connection connection, final Migration migration, final String database) {
        final boolean autoCommit;
        try {
            autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
        } catch (final SQLException e) {
            throw new StoreException(StoreException.Reason.IO, "cannot start a transaction on " + database, e);
        }
        String current = "";
        try {
            for (final String sql : statements(migration.sql())) {
                current = sql;
                try (Statement statement = connection.createStatement()) {
                    statement.execute(sql);
                }
            }
            current = "INSERT INTO schema_version";
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO schema_version (version, description, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
                insert.setInt(1, migration.version());
                insert.setString(2, migration.description());
                insert.setString(3, migration.checksum());
                insert.setLong(4, System.currentTimeMillis());
                insert.executeUpdate();
            }
            connection.commit();
        } catch (final SQLException e) {
            rollback(connection);
            throw new StoreException(
                    StoreException.Reason.MIGRATION_FAILED,
                    migration.script() + " failed on " + database + " and was rolled back (the database stays at"
                            + " version " + (migration.version() - 1) + "): " + e.getMessage() + " in statement: "
                            + abbreviate(current),
                    e);
        } finally {
            try {
                connection.setAutoCommit(autoCommit);
            } catch (final SQLException e) {
                log.warn("cannot restore auto-commit on {}: {}", database, e.getMessage());
            }
        }
    }

    /** The statements of a script: line comments removed, split at ';'. */
    static @NotNull List<String> statements(final @NotNull String script) {
        final String withoutComments = LINE_COMMENT.matcher(script).replaceAll("");
        final List<String> statements = new ArrayList<>();
        for (final String part : withoutComments.split(";")) {
            final String sql = part.strip();
            if (!sql.isEmpty()) {
                statements.add(sql);
            }
        }
        return statements;
    }

    private static void rollback(final Connection connection) {
        try {
            connection.rollback();
        } catch (final SQLException e) {
            log.warn("rollback failed: {}", e.getMessage());
        }
    }

    private String read(final String resource) {
        try (InputStream in = classLoader.getResourceAsStream(resource)) {
            if (in == null) {
                throw missing("class path resource " + resource + " does not exist");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new StoreException(
                    StoreException.Reason.MIGRATION_MISSING, "cannot read class path resource " + resource, e);
        }
    }

    private static StoreException missing(final String message) {
        return new StoreException(StoreException.Reason.MIGRATION_MISSING, message);
    }

    private static String abbreviate(final String sql) {
        final String oneLine = sql.replaceAll("\\s+", " ");
        return Texts.truncate(oneLine, MAX_STATEMENT_CHARS_SHOWN);
    }
}
