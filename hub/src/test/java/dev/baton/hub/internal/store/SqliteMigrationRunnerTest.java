package dev.baton.hub.internal.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** {@link MigrationRunnerTest} on a SQLite file. */
final class SqliteMigrationRunnerTest extends MigrationRunnerTest {

    @TempDir
    Path tmp;

    @Override
    Connection openEmptyDatabase() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("test.db"));
    }
}
