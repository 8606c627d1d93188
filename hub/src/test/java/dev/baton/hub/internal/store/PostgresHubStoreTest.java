package dev.baton.hub.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.hub.internal.security.SecretTokens;
import dev.baton.hub.testing.PostgresCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link HubStoreTest} on PostgreSQL, and what only a shared database can show: two stores on one database, as two
 * hubs have, racing for the same rows.
 */
final class PostgresHubStoreTest extends HubStoreTest {

    private static final int ROUNDS = 30;

    private static PostgresCluster cluster;

    private String url;
    private final List<HubStore> others = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = PostgresCluster.shared();
    }

    @Override
    HubStore openEmptyStore() {
        url = cluster.createDatabase();
        return HubStore.openPostgres(url, cluster.password(), CLOCK);
    }

    /** A second store on the same database, as a second hub has. */
    private HubStore secondHub() {
        final HubStore other = HubStore.openPostgres(url, cluster.password(), CLOCK);
        others.add(other);
        return other;
    }

    @AfterEach
    void closeOthers() {
        others.forEach(HubStore::close);
    }

    @Test
    void twoHubsSettingDesiredStateWithTheSameExpectedGenerationHaveExactlyOneWinner() {
        final HubStore a = store;
        final HubStore b = secondHub();
        a.putDesired("default", "contested", OptionalLong.empty(), g -> "{\"g\":" + g + "}")
                .join();

        for (long expected = 1; expected <= ROUNDS; expected++) {
            final long round = expected;
            final CompletableFuture<PutDesiredOutcome> fromA =
                    a.putDesired("default", "contested", OptionalLong.of(round), g -> "{\"by\":\"a\",\"g\":" + g + "}");
            final CompletableFuture<PutDesiredOutcome> fromB =
                    b.putDesired("default", "contested", OptionalLong.of(round), g -> "{\"by\":\"b\",\"g\":" + g + "}");

            final List<PutDesiredOutcome> outcomes = List.of(fromA.join(), fromB.join());
            assertThat(outcomes)
                    .as("round %d", round)
                    .filteredOn(PutDesiredOutcome.Stored.class::isInstance)
                    .singleElement()
                    .satisfies(stored -> assertThat(
                                    ((PutDesiredOutcome.Stored) stored).record().generation())
                            .isEqualTo(round + 1));
            assertThat(outcomes).as("round %d", round).contains(new PutDesiredOutcome.Conflict(round + 1));
        }
        assertThat(store.findNode("default", "contested").join().orElseThrow().desiredGeneration())
                .isEqualTo(ROUNDS + 1);
    }

    @Test
    void unconditionalPutsFromTwoHubsAtOnceGetOneGenerationEachAndTheFirstCreatesTheNode() {
        final HubStore a = store;
        final HubStore b = secondHub();
        final List<CompletableFuture<PutDesiredOutcome>> puts = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            puts.add(a.putDesired("default", "busy", OptionalLong.empty(), g -> "{\"g\":" + g + "}"));
            puts.add(b.putDesired("default", "busy", OptionalLong.empty(), g -> "{\"g\":" + g + "}"));
        }

        final List<Long> generations = puts.stream()
                .map(CompletableFuture::join)
                .map(outcome -> ((PutDesiredOutcome.Stored) outcome).record().generation())
                .toList();

        assertThat(generations).doesNotHaveDuplicates().hasSize(2 * ROUNDS).allMatch(g -> g >= 1 && g <= 2 * ROUNDS);
        assertThat(store.findCurrentDesired("default", "busy")
                        .join()
                        .orElseThrow()
                        .documentJson())
                .isEqualTo("{\"g\":" + 2 * ROUNDS + "}");
    }

    @Test
    void aReportedStateDeliveredToBothHubsIsStoredOnce() {
        final HubStore a = store;
        final HubStore b = secondHub();
        a.putDesired("default", "twice-delivered", OptionalLong.empty(), g -> "{}")
                .join();

        for (long seq = 1; seq <= ROUNDS; seq++) {
            final CompletableFuture<IngestOutcome> toA =
                    a.recordReported("default", "twice-delivered", seq, 1, "{\"seq\":" + seq + "}");
            final CompletableFuture<IngestOutcome> toB =
                    b.recordReported("default", "twice-delivered", seq, 1, "{\"seq\":" + seq + "}");

            assertThat(List.of(toA.join(), toB.join()))
                    .as("seq %d", seq)
                    .containsExactlyInAnyOrder(IngestOutcome.STORED, IngestOutcome.IGNORED);
        }
        assertThat(store.findNode("default", "twice-delivered")
                        .join()
                        .orElseThrow()
                        .lastReportedSeq())
                .isEqualTo(ROUNDS);
    }

    @Test
    void anEventDeliveredToBothHubsIsStoredOnce() {
        final HubStore a = store;
        final HubStore b = secondHub();
        a.putDesired("default", "eventful", OptionalLong.empty(), g -> "{}").join();

        for (long seq = 1; seq <= ROUNDS; seq++) {
            final CompletableFuture<IngestOutcome> toA = a.recordEvent("default", "eventful", event(seq));
            final CompletableFuture<IngestOutcome> toB = b.recordEvent("default", "eventful", event(seq));

            assertThat(List.of(toA.join(), toB.join()))
                    .as("seq %d", seq)
                    .containsExactlyInAnyOrder(IngestOutcome.STORED, IngestOutcome.IGNORED);
        }
        assertThat(store.listEvents("default", "eventful", 2 * ROUNDS).join().orElseThrow())
                .hasSize(ROUNDS);
    }

    @Test
    void twoHubsStoringEventsOfOneNodeAtOnceKeepExactlyTheNewestThousand() {
        final HubStore a = store;
        final HubStore b = secondHub();
        a.putDesired("default", "chatty-pair", OptionalLong.empty(), g -> "{}").join();
        final int total = HubStore.MAX_EVENTS_PER_NODE + 200;
        final List<CompletableFuture<IngestOutcome>> writes = new ArrayList<>();
        for (long seq = 1; seq <= total; seq++) {
            writes.add((seq % 2 == 0 ? a : b).recordEvent("default", "chatty-pair", event(seq)));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();

        final List<EventRecord> events =
                store.listEvents("default", "chatty-pair", total).join().orElseThrow();
        assertThat(events).hasSize(HubStore.MAX_EVENTS_PER_NODE);
        assertThat(events.get(0).seq()).isEqualTo(total);
    }

    @Test
    void anEnrollmentTokenEnrollsNoMoreNodesThanItsMaxUsesWhenHubsRedeemItAtOnce() {
        final HubStore a = store;
        final HubStore b = secondHub();
        final int maxUses = 3;
        store.createEnrollmentToken(new EnrollmentTokenRecord(
                        "et-race", "default", "hash-race", NOW.plusSeconds(60), maxUses, Map.of(), NOW))
                .join();

        final List<CompletableFuture<EnrollmentOutcome>> attempts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            attempts.add((i % 2 == 0 ? a : b).enroll("hash-race", "racer-" + i, Map.of(), "cred"));
        }
        final List<EnrollmentOutcome> outcomes =
                attempts.stream().map(CompletableFuture::join).toList();

        assertThat(outcomes)
                .filteredOn(EnrollmentOutcome.Enrolled.class::isInstance)
                .hasSize(maxUses);
        assertThat(outcomes)
                .filteredOn(outcome -> !(outcome instanceof EnrollmentOutcome.Enrolled))
                .hasSize(20 - maxUses)
                .allMatch(new EnrollmentOutcome.UsedUpToken("et-race", maxUses)::equals);
        assertThat(count("SELECT uses FROM enrollment_tokens WHERE id = 'et-race'"))
                .isEqualTo(maxUses);
        assertThat(count("SELECT COUNT(*) FROM nodes WHERE name LIKE 'racer-%'"))
                .isEqualTo(maxUses);
    }

    @Test
    void aNodeEnrolledOnOneHubWhileAnotherSetsItsDesiredStateEndsUpWithBoth() {
        final HubStore a = store;
        final HubStore b = secondHub();
        store.createEnrollmentToken(new EnrollmentTokenRecord(
                        "et-both", "default", "hash-both", NOW.plusSeconds(60), ROUNDS, Map.of(), NOW))
                .join();

        for (int i = 0; i < ROUNDS; i++) {
            final String node = "both-" + i;
            // A credential hash is 64 hex digits, as the CHAR(64) column holds it without padding.
            final String credential = SecretTokens.sha256Hex("cred-" + i);
            final CompletableFuture<EnrollmentOutcome> enrolled = a.enroll("hash-both", node, Map.of(), credential);
            final CompletableFuture<PutDesiredOutcome> desired =
                    b.putDesired("default", node, OptionalLong.empty(), g -> "{}");

            assertThat(enrolled.join()).isInstanceOf(EnrollmentOutcome.Enrolled.class);
            assertThat(desired.join()).isInstanceOf(PutDesiredOutcome.Stored.class);
            assertThat(store.findCredentialHash("default", node).join()).hasValue(credential);
            assertThat(store.findNode("default", node).join().orElseThrow().desiredGeneration())
                    .isEqualTo(1);
        }
    }

    @Test
    void twoHubsStartingTogetherOnAnEmptyDatabaseMigrateItOnce() {
        final String empty = cluster.createDatabase();
        final List<CompletableFuture<HubStore>> opening = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            opening.add(CompletableFuture.supplyAsync(() -> HubStore.openPostgres(empty, cluster.password(), CLOCK)));
        }
        final List<HubStore> opened =
                opening.stream().map(CompletableFuture::join).toList();
        opened.forEach(others::add);

        url = empty;
        assertThat(count("SELECT COUNT(*) FROM schema_version"))
                .isEqualTo(MigrationRunner.hubSchema().migrations().size());
        assertThat(count("SELECT COUNT(*) FROM tenants")).isEqualTo(1);
        assertThat(opened).allMatch(HubStore::isOpen);
    }

    @Test
    void aDroppedConnectionFailsOneRequestAndTheNextConnectsAgain() throws SQLException {
        store.putDesired("default", "survivor", OptionalLong.empty(), g -> "{}").join();
        final String database = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));

        try (Connection admin = cluster.connect("postgres", "postgres");
                Statement statement = admin.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database
                    + "' AND application_name = 'baton-hub'");
        }

        assertThatThrownBy(() -> store.findNode("default", "survivor").join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(StoreException.class);
        assertThat(store.findNode("default", "survivor").join()).isPresent();
    }

    @Test
    void theStoreNamesItsDatabaseWithoutThePassword() {
        final HubStore withPasswordInUrl = HubStore.openPostgres(url + "&password=" + cluster.password(), null, CLOCK);
        others.add(withPasswordInUrl);

        assertThat(withPasswordInUrl.database())
                .doesNotContain(cluster.password())
                .isEqualTo(url + "&password=<redacted>");
    }

    private long count(final String sql) {
        final String database = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
        try (Connection c = cluster.connect(database, PostgresCluster.ROLE);
                Statement statement = c.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        } catch (final SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
