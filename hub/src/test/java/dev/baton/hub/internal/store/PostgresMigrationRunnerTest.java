package dev.baton.hub.internal.store;

import dev.baton.hub.testing.PostgresCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;

/** {@link MigrationRunnerTest} on PostgreSQL, a new database per case. */
final class PostgresMigrationRunnerTest extends MigrationRunnerTest {

    private static PostgresCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = PostgresCluster.shared();
    }

    @Override
    Connection openEmptyDatabase() throws SQLException {
        final Properties properties = new Properties();
        properties.setProperty("password", cluster.password());
        return DriverManager.getConnection(cluster.createDatabase(), properties);
    }
}
