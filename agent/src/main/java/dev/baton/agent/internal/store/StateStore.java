package dev.baton.agent.internal.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.ComponentState;
import dev.baton.protocol.Condition;
import dev.baton.protocol.DesiredDocument;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler's durable state: the accepted desired document, what was applied per component, node conditions
 * and the observed generation. Used by the reconciler thread only.
 *
 * <p>Writes are shaped for the reconciler's hot path: a component's spec is encoded and written only when it
 * changes ({@link #saveApplied}); its state transitions are a narrow {@code UPDATE} ({@link #saveState}), and moving
 * unchanged components to a new generation is one statement for all of them ({@link #saveGeneration}).
 *
 * <p>The writes of one reconciler task are not wrapped in one transaction: a task spans provider calls that may run
 * for minutes, and the single connection is shared with the outbox, whose publisher and enqueues would wait that
 * long.
 */
public final class StateStore {

    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);

    private final AgentDatabase database;
    private final MessageCodec codec;

    public StateStore(final @NotNull AgentDatabase database, final @NotNull MessageCodec codec) {
        this.database = database;
        this.codec = codec;
    }

    /** The last accepted desired document; empty before the first, or when the stored one no longer validates. */
    public @NotNull Optional<DesiredDocument> desired() {
        final byte[] bytes = database.read("reading the desired document", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT document FROM desired WHERE id = 1");
                    ResultSet row = select.executeQuery()) {
                return row.next() ? row.getBytes(1) : null;
            }
        });
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(codec.decode(bytes, MessageType.DESIRED));
        } catch (final ProtocolException e) {
            LOG.warn(
                    "ignoring the stored desired document in {}, it no longer validates: {}",
                    database.file(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Stores a desired document as the accepted one, replacing the previous.
     *
     * @param document the document as it arrived, already decoded and validated: stored as is, not encoded again
     * @param previousWasHealthy the document being replaced had every component healthy: in the same transaction it
     *     becomes the rollback target ({@link #lastHealthy()}), so a generation's health costs no write of its own
     */
    public void saveDesired(final long generation, final byte @NotNull [] document, final boolean previousWasHealthy) {
        database.transaction("storing desired generation " + generation, c -> {
            if (previousWasHealthy) {
                try (PreparedStatement keep = c.prepareStatement("INSERT INTO desired_healthy (id, generation,"
                        + " document, healthy_at) SELECT 1, generation, document, ? FROM desired WHERE id = 1"
                        + " ON CONFLICT (id) DO UPDATE SET generation = excluded.generation,"
                        + " document = excluded.document, healthy_at = excluded.healthy_at")) {
                    keep.setString(1, Instant.now().toString());
                    keep.executeUpdate();
                }
            }
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO desired (id, generation, document,"
                    + " accepted_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET generation = excluded.generation,"
                    + " document = excluded.document, accepted_at = excluded.accepted_at")) {
                upsert.setLong(1, generation);
                upsert.setBytes(2, document);
                upsert.setString(3, Instant.now().toString());
                upsert.executeUpdate();
            }
            return null;
        });
    }

    public @NotNull List<AppliedComponent> applied() {
        return database.read("reading applied components", c -> {
            final List<AppliedComponent> out = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT spec, spec_hash, state, message, generation,"
                            + " last_transition, outputs FROM applied ORDER BY name");
                    ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    final ComponentSpec spec = codec.treeToValue(codec.readTree(row.getBytes(1)), ComponentSpec.class);
                    out.add(new AppliedComponent(
                            spec,
                            row.getString(2),
                            ComponentState.ofJson(row.getString(3)),
                            row.getString(4),
                            row.getLong(5),
                            Instant.parse(row.getString(6)),
                            (ObjectNode) codec.readTree(row.getString(7).getBytes(StandardCharsets.UTF_8))));
                }
            }
            return out;
        });
    }

    /** Stores a component's whole row: for a component seen for the first time, or whose spec changed. */
    public void saveApplied(final @NotNull AppliedComponent component) {
        final byte[] spec = codec.writeValue(component.spec());
        database.transaction("storing component " + component.name(), c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO applied (name, kind, spec, spec_hash,"
                    + " state, message, generation, last_transition, outputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, spec = excluded.spec,"
                    + " spec_hash = excluded.spec_hash, state = excluded.state, message = excluded.message,"
                    + " generation = excluded.generation, last_transition = excluded.last_transition,"
                    + " outputs = excluded.outputs")) {
                upsert.setString(1, component.name());
                upsert.setString(2, component.spec().kind());
                upsert.setBytes(3, spec);
                upsert.setString(4, component.specHash());
                upsert.setString(5, component.state().json());
                upsert.setString(6, component.message());
                upsert.setLong(7, component.generation());
                upsert.setString(8, component.lastTransition().toString());
                upsert.setString(9, new String(codec.writeValue(component.outputs()), StandardCharsets.UTF_8));
                upsert.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Updates where a stored component stands, leaving its spec as it is.
     *
     * @return false when no row of that name is stored (then {@link #saveApplied} must store the whole row)
     */
    public boolean saveState(
            final @NotNull String name,
            final @NotNull ComponentState state,
            final @NotNull String message,
            final long generation,
            final @NotNull Instant lastTransition) {
        return database.transaction("storing the state of component " + name, c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE applied SET state = ?, message = ?,"
                    + " generation = ?, last_transition = ? WHERE name = ?")) {
                update.setString(1, state.json());
                update.setString(2, message);
                update.setLong(3, generation);
                update.setString(4, lastTransition.toString());
                update.setString(5, name);
                return update.executeUpdate() == 1;
            }
        });
    }

    /** Replaces a stored component's outputs; a component not stored yet is ignored (its row will carry them). */
    public void saveOutputs(final @NotNull String name, final @NotNull ObjectNode outputs) {
        final String json = new String(codec.writeValue(outputs), StandardCharsets.UTF_8);
        database.transaction("storing the outputs of component " + name, c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE applied SET outputs = ? WHERE name = ?")) {
                update.setString(1, json);
                update.setString(2, name);
                update.executeUpdate();
            }
            return null;
        });
    }

    /** Moves the named stored components to {@code generation} in one statement; unknown names are ignored. */
    public void saveGeneration(final long generation, final @NotNull Collection<String> names) {
        if (names.isEmpty()) {
            return;
        }
        database.transaction("storing generation " + generation + " of " + names.size() + " components", c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE applied SET generation = ? WHERE name IN ("
                    + String.join(", ", Collections.nCopies(names.size(), "?")) + ")")) {
                update.setLong(1, generation);
                int index = 2;
                for (final String name : names) {
                    update.setString(index++, name);
                }
                update.executeUpdate();
            }
            return null;
        });
    }

    public void deleteApplied(final @NotNull String name) {
        database.transaction("forgetting component " + name, c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM applied WHERE name = ?")) {
                delete.setString(1, name);
                delete.executeUpdate();
            }
            return null;
        });
    }

    public @NotNull Optional<Condition> condition(final @NotNull String type) {
        return database.read("reading condition " + type, c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT status, reason, message, last_transition FROM conditions WHERE type = ?")) {
                select.setString(1, type);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Condition(
                            type,
                            row.getInt(1) == 1,
                            row.getString(2),
                            row.getString(3),
                            Instant.parse(row.getString(4))));
                }
            }
        });
    }

    public void saveCondition(final @NotNull Condition condition) {
        database.transaction("storing condition " + condition.type(), c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO conditions (type, status, reason, message,"
                    + " last_transition) VALUES (?, ?, ?, ?, ?) ON CONFLICT (type) DO UPDATE SET status ="
                    + " excluded.status, reason = excluded.reason, message = excluded.message, last_transition ="
                    + " excluded.last_transition")) {
                upsert.setString(1, condition.type());
                upsert.setInt(2, condition.status() ? 1 : 0);
                upsert.setString(3, condition.reason());
                upsert.setString(4, condition.message());
                upsert.setString(5, condition.lastTransition().toString());
                upsert.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The last document in which every component was healthy and which a newer one replaced, as stored; empty before
     * there was one.
     */
    public @NotNull Optional<byte[]> lastHealthy() {
        return Optional.ofNullable(database.read("reading the last healthy desired document", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT document FROM desired_healthy WHERE id = 1");
                    ResultSet row = select.executeQuery()) {
                return row.next() ? row.getBytes(1) : null;
            }
        }));
    }

    /** A number kept in the store's meta table (0 when never set). */
    public long meta(final @NotNull String key) {
        return Meta.get(database, key);
    }

    public void saveMeta(final @NotNull String key, final long value) {
        database.transaction("storing " + key, c -> {
            Meta.set(c, key, value);
            return null;
        });
    }

    /** The generation of the last desired document the agent worked through; 0 before the first. */
    public long observedGeneration() {
        return Meta.get(database, "observed_generation");
    }

    public void saveObservedGeneration(final long generation) {
        database.transaction("storing the observed generation", c -> {
            Meta.set(c, "observed_generation", generation);
            return null;
        });
    }
}
