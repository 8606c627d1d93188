package dev.baton.agent.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jetbrains.annotations.NotNull;

/** The {@code meta} table of counters. */
public final class Meta {

    private Meta() {}

    public static long get(final @NotNull AgentDatabase database, final @NotNull String key) {
        return database.read("reading " + key, c -> get(c, key));
    }

    public static long get(final @NotNull Connection connection, final @NotNull String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            select.setString(1, key);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    public static void set(final @NotNull Connection connection, final @NotNull String key, final long value)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO meta (key, value) VALUES (?, ?)"
                + " ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            upsert.setString(1, key);
            upsert.setLong(2, value);
            upsert.executeUpdate();
        }
    }
}
