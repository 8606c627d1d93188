package dev.baton.agent.internal.store;

import static dev.baton.agent.testing.Documents.component;
import static dev.baton.agent.testing.Documents.desired;
import static dev.baton.agent.testing.Documents.properties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.agent.testing.Documents;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.ComponentState;
import dev.baton.protocol.Condition;
import dev.baton.protocol.MessageCodec;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

    private static final ObjectNode NO_OUTPUTS = JsonNodeFactory.instance.objectNode();

    private static final MessageCodec CODEC = new MessageCodec();

    @TempDir
    Path directory;

    @Test
    void everythingTheReconcilerNeedsSurvivesReopeningTheStore() {
        final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        final ComponentSpec spec = component("web", "process", properties().put("command", "x"), "db");
        try (AgentDatabase database = open()) {
            final StateStore store = new StateStore(database, CODEC);
            store.saveDesired(
                    3, Documents.encode(desired("default", "edge-1", 3, component("db", "file"), spec)), false);
            store.saveApplied(
                    new AppliedComponent(spec, spec.specHash(), ComponentState.FAILED, "boom", 3, now, NO_OUTPUTS));
            store.saveCondition(new Condition(Condition.DESIRED_ACCEPTED, false, "UNKNOWN_KIND", "no", now));
            store.saveObservedGeneration(3);
        }
        try (AgentDatabase database = open()) {
            final StateStore store = new StateStore(database, CODEC);
            assertThat(store.desired()).hasValueSatisfying(d -> {
                assertThat(d.generation()).isEqualTo(3);
                assertThat(d.components()).extracting(ComponentSpec::name).containsExactly("db", "web");
            });
            assertThat(store.applied()).singleElement().satisfies(a -> {
                assertThat(a.spec()).isEqualTo(spec);
                assertThat(a.spec().specHash()).isEqualTo(spec.specHash());
                assertThat(a.state()).isEqualTo(ComponentState.FAILED);
                assertThat(a.message()).isEqualTo("boom");
                assertThat(a.lastTransition()).isEqualTo(now);
            });
            assertThat(store.condition(Condition.DESIRED_ACCEPTED))
                    .hasValue(new Condition(Condition.DESIRED_ACCEPTED, false, "UNKNOWN_KIND", "no", now));
            assertThat(store.observedGeneration()).isEqualTo(3);
            store.deleteApplied("web");
            assertThat(store.applied()).isEmpty();
        }
    }

    @Test
    void updatesAComponentsStateAndGenerationWithoutTouchingItsSpec() {
        final Instant then = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        final Instant now = then.plusSeconds(5);
        final ComponentSpec web = component("web", "process", properties().put("command", "x"));
        final ComponentSpec db = component("db", "process", properties().put("command", "y"));
        try (AgentDatabase database = open()) {
            final StateStore store = new StateStore(database, CODEC);
            store.saveApplied(
                    new AppliedComponent(web, web.specHash(), ComponentState.APPLYING, "", 1, then, NO_OUTPUTS));
            store.saveApplied(
                    new AppliedComponent(db, db.specHash(), ComponentState.HEALTHY, "ok", 1, then, NO_OUTPUTS));

            assertThat(store.saveState("web", ComponentState.HEALTHY, "applied web", 2, now))
                    .isTrue();
            assertThat(store.saveState("gone", ComponentState.HEALTHY, "", 2, now))
                    .as("no row to update")
                    .isFalse();
            store.saveGeneration(3, List.of("db", "gone"));
            final ObjectNode flashed = JsonNodeFactory.instance.objectNode().put("sha256", "ab12");
            store.saveOutputs("web", flashed);
            store.saveOutputs("gone", flashed);

            assertThat(store.applied())
                    .containsExactly(
                            new AppliedComponent(db, db.specHash(), ComponentState.HEALTHY, "ok", 3, then, NO_OUTPUTS),
                            new AppliedComponent(
                                    web, web.specHash(), ComponentState.HEALTHY, "applied web", 2, now, flashed));
        }
    }

    @Test
    void recordsTheSchemaVersionAndRefusesAStoreWrittenByANewerAgent() throws Exception {
        open().close();
        final String url = "jdbc:sqlite:" + directory.resolve("agent.db");
        try (var connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            try (var row = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
                assertThat(row.getInt(1)).isEqualTo(3);
            }
            statement.execute("INSERT INTO schema_version (version, applied_at) VALUES (9, 'later')");
        }

        assertThatThrownBy(this::open)
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 9")
                .hasMessageContaining("knows versions up to 3");
    }

    @Test
    void remembersWhetherThePreviousAgentShutDownCleanly() {
        open().close();
        final AgentDatabase running = open();
        assertThat(running.previousShutdownWasClean()).isTrue();
        try (AgentDatabase afterKill = open()) {
            assertThat(afterKill.previousShutdownWasClean()).isFalse();
        } finally {
            running.close();
        }
    }

    private AgentDatabase open() {
        return AgentDatabase.open(directory.resolve("agent.db"));
    }
}
