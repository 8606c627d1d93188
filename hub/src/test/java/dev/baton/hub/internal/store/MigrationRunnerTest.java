package dev.baton.hub.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runner on a real database: every case runs on SQLite ({@link SqliteMigrationRunnerTest}) and on PostgreSQL
 * ({@link PostgresMigrationRunnerTest}), which is what shows that the hub's scripts are SQL both accept.
 */
abstract class MigrationRunnerTest {

    private static final String TEST_SCHEMA = "dev/baton/hub/db-test/";

    Connection connection;

    /** A connection to a new, empty database. */
    abstract Connection openEmptyDatabase() throws SQLException;

    @BeforeEach
    void open() throws SQLException {
        connection = openEmptyDatabase();
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @Test
    void aFreshDatabaseGetsEveryHubTableAndTheDefaultTenant() throws SQLException {
        final MigrationRunner.Result result = MigrationRunner.hubSchema().migrate(connection, "test.db");

        assertThat(result.fromVersion()).isZero();
        assertThat(result.toVersion())
                .isEqualTo(MigrationRunner.hubSchema().migrations().size());
        assertThat(result.applied())
                .extracting(MigrationRunner.Migration::script)
                .startsWith("V1__init.sql");
        assertThat(tables())
                .contains(
                        "schema_version",
                        "tenants",
                        "api_tokens",
                        "enrollment_tokens",
                        "nodes",
                        "desired_documents",
                        "events");
        assertThat(strings("SELECT name FROM tenants")).containsExactly("default");
    }

    @Test
    void runningAgainAppliesNothingAndKeepsTheData() throws SQLException {
        runner(TEST_SCHEMA).migrate(connection, "test.db");
        execute("INSERT INTO things (id, colour) VALUES ('second', 'blue')");

        final MigrationRunner.Result again = runner(TEST_SCHEMA).migrate(connection, "test.db");

        assertThat(again.fromVersion()).isEqualTo(2);
        assertThat(again.applied()).isEmpty();
        assertThat(strings("SELECT id FROM things ORDER BY id")).containsExactly("first", "second");
        assertThat(strings("SELECT version FROM schema_version ORDER BY version"))
                .containsExactly("1", "2");
    }

    @Test
    void aDatabaseWrittenByANewerHubIsRefusedWithBothVersionsNamed() {
        runner(TEST_SCHEMA).migrate(connection, "test.db");

        assertThatThrownBy(() -> runner(TEST_SCHEMA + "newer/").migrate(connection, "test.db"))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.reason())
                        .isEqualTo(StoreException.Reason.SCHEMA_TOO_NEW))
                .hasMessageContaining("schema version 2")
                .hasMessageContaining("versions up to 1")
                .hasMessageContaining("newer hub");
    }

    @Test
    void anAppliedScriptThatChangedSinceIsRefused() {
        runner(TEST_SCHEMA).migrate(connection, "test.db");

        assertThatThrownBy(() -> runner(TEST_SCHEMA + "modified/").migrate(connection, "test.db"))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.reason())
                        .isEqualTo(StoreException.Reason.SCHEMA_MODIFIED))
                .hasMessageContaining("V2__add_colour.sql");
    }

    @Test
    void aFailingScriptIsRolledBackWholeAndTheVersionStaysBeforeIt() throws SQLException {
        assertThatThrownBy(() -> runner(TEST_SCHEMA + "broken/").migrate(connection, "test.db"))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.reason())
                        .isEqualTo(StoreException.Reason.MIGRATION_FAILED))
                .hasMessageContaining("V2__broken.sql")
                .hasMessageContaining("stays at version 1");

        assertThat(strings("SELECT version FROM schema_version")).containsExactly("1");
        assertThat(tables()).contains("things").doesNotContain("more");
    }

    @Test
    void scriptsAreSplitIntoStatementsWithoutTheirComments() {
        assertThat(MigrationRunner.statements(
                        "-- a; comment\nCREATE TABLE a (x INT);\n\n-- b\nINSERT INTO a VALUES (1);\n"))
                .containsExactly("CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)");
    }

    private static MigrationRunner runner(final String folder) {
        return new MigrationRunner(folder, MigrationRunnerTest.class.getClassLoader());
    }

    private List<String> tables() throws SQLException {
        final List<String> tables = new ArrayList<>();
        try (ResultSet rows = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rows.next()) {
                tables.add(rows.getString("TABLE_NAME"));
            }
        }
        return tables;
    }

    List<String> strings(final String sql) throws SQLException {
        final List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    void execute(final String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
