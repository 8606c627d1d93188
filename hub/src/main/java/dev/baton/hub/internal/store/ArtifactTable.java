package dev.baton.hub.internal.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jetbrains.annotations.NotNull;

/** The {@code artifacts} table, on the {@link HubStore}'s connection and thread. */
public final class ArtifactTable {

    private final HubStore store;

    public ArtifactTable(final @NotNull HubStore store) {
        this.store = store;
    }

    /** Lists an artifact; true when it was new, false when the same content was listed already. */
    public @NotNull CompletableFuture<Boolean> add(final @NotNull ArtifactRecord artifact) {
        return store.transaction(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO artifacts (tenant, sha256, size, name,"
                    + " created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant, sha256) DO NOTHING")) {
                insert.setString(1, artifact.tenant());
                insert.setString(2, artifact.sha256());
                insert.setLong(3, artifact.size());
                insert.setString(4, artifact.name());
                insert.setLong(5, artifact.createdAt().toEpochMilli());
                return insert.executeUpdate() == 1;
            }
        });
    }

    public @NotNull CompletableFuture<Optional<ArtifactRecord>> find(
            final @NotNull String tenant, final @NotNull String sha256) {
        return store.submit(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT tenant, sha256, size, name, created_at FROM"
                    + " artifacts WHERE tenant = ? AND sha256 = ?")) {
                select.setString(1, tenant);
                select.setString(2, sha256);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(artifact(row)) : Optional.empty();
                }
            }
        });
    }

    public @NotNull CompletableFuture<List<ArtifactRecord>> list(final @NotNull String tenant) {
        return store.submit(c -> {
            final List<ArtifactRecord> out = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT tenant, sha256, size, name, created_at FROM"
                    + " artifacts WHERE tenant = ? ORDER BY created_at, sha256")) {
                select.setString(1, tenant);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        out.add(artifact(row));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Unlists an artifact unless a node's current desired document names it.
     *
     * @return the nodes whose current document references it (nothing was deleted), empty when it was deleted or
     *     was not there
     */
    public @NotNull CompletableFuture<List<String>> removeUnlessReferenced(
            final @NotNull String tenant, final @NotNull String sha256) {
        return store.transaction(c -> {
            final List<String> nodes = new ArrayList<>();
            // The hash is 64 hex digits, so a plain substring search of the current documents cannot mistake it.
            try (PreparedStatement select = c.prepareStatement("SELECT d.node FROM desired_documents d JOIN nodes n"
                    + " ON n.tenant = d.tenant AND n.name = d.node AND n.desired_generation = d.generation"
                    + " WHERE d.tenant = ? AND d.document LIKE ? ORDER BY d.node")) {
                select.setString(1, tenant);
                select.setString(2, "%" + sha256 + "%");
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        nodes.add(row.getString(1));
                    }
                }
            }
            if (nodes.isEmpty()) {
                try (PreparedStatement delete =
                        c.prepareStatement("DELETE FROM artifacts WHERE tenant = ? AND sha256 = ?")) {
                    delete.setString(1, tenant);
                    delete.setString(2, sha256);
                    delete.executeUpdate();
                }
            }
            return nodes;
        });
    }

    private static ArtifactRecord artifact(final ResultSet row) throws java.sql.SQLException {
        return new ArtifactRecord(
                row.getString(1),
                row.getString(2),
                row.getLong(3),
                row.getString(4),
                Instant.ofEpochMilli(row.getLong(5)));
    }
}
