package dev.baton.hub.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.hub.testing.TestMessages;
import dev.baton.protocol.Event;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.NodeStatus;
import dev.baton.protocol.Severity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store without the rest of the hub, on a real database: every case runs on SQLite ({@link SqliteHubStoreTest})
 * and on PostgreSQL ({@link PostgresHubStoreTest}).
 */
abstract class HubStoreTest {

    static final Instant NOW = Instant.parse("2026-11-22T09:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    HubStore store;

    /** A store on a new, empty database. */
    abstract HubStore openEmptyStore();

    @BeforeEach
    void open() {
        store = openEmptyStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aCompareAndSetWithTheWrongGenerationStoresNothingNotEvenTheNodeRow() {
        final PutDesiredOutcome outcome = store.putDesired("default", "cas-node", OptionalLong.of(3), g -> "{}")
                .join();

        assertThat(outcome).isEqualTo(new PutDesiredOutcome.Conflict(0));
        assertThat(store.findNode("default", "cas-node").join()).isEmpty();
    }

    @Test
    void generationsCountUpPerNodeAndTheNewestIsCurrent() {
        store.putDesired("default", "gen-node", OptionalLong.empty(), g -> "{\"g\":" + g + "}")
                .join();
        final PutDesiredOutcome second = store.putDesired(
                        "default", "gen-node", OptionalLong.of(1), g -> "{\"g\":" + g + "}")
                .join();

        assertThat(second).isInstanceOf(PutDesiredOutcome.Stored.class);
        assertThat(store.findCurrentDesired("default", "gen-node").join()).hasValueSatisfying(current -> {
            assertThat(current.generation()).isEqualTo(2);
            assertThat(current.documentJson()).isEqualTo("{\"g\":2}");
        });
        assertThat(store.findNode("default", "gen-node").join().orElseThrow().desiredGeneration())
                .isEqualTo(2);
    }

    @Test
    void aBirthBehindTheDesiredGenerationReturnsTheDocumentToSendAgainAndAnInSyncOneDoesNot() {
        store.putDesired("default", "born", OptionalLong.empty(), g -> "{\"g\":" + g + "}")
                .join();
        store.putDesired("default", "born", OptionalLong.empty(), g -> "{\"g\":" + g + "}")
                .join();

        final BirthOutcome behind =
                store.recordBirth("default", "born", birth(1)).join().orElseThrow();
        final BirthOutcome inSync =
                store.recordBirth("default", "born", birth(2)).join().orElseThrow();

        assertThat(behind.desiredGeneration()).isEqualTo(2);
        assertThat(behind.missed()).hasValueSatisfying(document -> {
            assertThat(document.generation()).isEqualTo(2);
            assertThat(document.documentJson()).isEqualTo("{\"g\":2}");
        });
        assertThat(inSync.desiredGeneration()).isEqualTo(2);
        assertThat(inSync.missed()).isEmpty();
        assertThat(store.recordBirth("default", "no-such-node", birth(0)).join())
                .isEmpty();
    }

    @Test
    void aNodeIsReadTogetherWithItsCurrentDesiredDocument() {
        store.putDesired("default", "detailed", OptionalLong.empty(), g -> "{\"g\":" + g + "}")
                .join();

        final NodeWithDesired found =
                store.findNodeWithDesired("default", "detailed").join().orElseThrow();

        assertThat(found.node().desiredGeneration()).isEqualTo(1);
        assertThat(found.desired()).hasValueSatisfying(document -> assertThat(document.generation())
                .isEqualTo(found.node().desiredGeneration()));
        assertThat(store.findNodeWithDesired("default", "no-such-node").join()).isEmpty();
    }

    @Test
    void theEventsOfAnUnknownNodeAreAbsentNotEmpty() {
        store.putDesired("default", "quiet", OptionalLong.empty(), g -> "{}").join();

        assertThat(store.listEvents("default", "quiet", 10).join()).hasValue(List.of());
        assertThat(store.listEvents("default", "no-such-node", 10).join()).isEmpty();
    }

    @Test
    void aReportedStateIsKeptOnlyWhenItsSeqIsAboveTheLastOne() {
        store.putDesired("default", "seq-node", OptionalLong.empty(), g -> "{}").join();

        assertThat(store.recordReported("default", "seq-node", 5, 1, "{\"r\":5}")
                        .join())
                .isEqualTo(IngestOutcome.STORED);
        assertThat(store.recordReported("default", "seq-node", 5, 2, "{\"r\":\"again\"}")
                        .join())
                .isEqualTo(IngestOutcome.IGNORED);
        assertThat(store.recordReported("default", "seq-node", 4, 3, "{\"r\":4}")
                        .join())
                .isEqualTo(IngestOutcome.IGNORED);
        assertThat(store.recordReported("default", "no-such-node", 9, 1, "{}").join())
                .isEqualTo(IngestOutcome.UNKNOWN_NODE);

        final NodeRecord node = store.findNode("default", "seq-node").join().orElseThrow();
        assertThat(node.reportedJson()).isEqualTo("{\"r\":5}");
        assertThat(node.observedGeneration()).isEqualTo(1);
        assertThat(node.lastReportedSeq()).isEqualTo(5);
    }

    @Test
    void onlyTheNewestThousandEventsOfANodeAreKept() {
        store.putDesired("default", "chatty", OptionalLong.empty(), g -> "{}").join();
        final List<CompletableFuture<IngestOutcome>> writes = new ArrayList<>();
        for (long seq = 1; seq <= HubStore.MAX_EVENTS_PER_NODE + 5; seq++) {
            writes.add(store.recordEvent("default", "chatty", event(seq)));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();

        final List<EventRecord> events = store.listEvents("default", "chatty", HubStore.MAX_EVENTS_PER_NODE + 5)
                .join()
                .orElseThrow();
        assertThat(events).hasSize(HubStore.MAX_EVENTS_PER_NODE);
        assertThat(events.get(0).seq()).isEqualTo(HubStore.MAX_EVENTS_PER_NODE + 5);
        assertThat(events.get(events.size() - 1).seq()).isEqualTo(6);
    }

    @Test
    void aNodesHistoryIsTheNewestEventsOfTheAskedTypesInSeqOrderAcrossTypes() {
        store.putDesired("default", "rolling", OptionalLong.empty(), g -> "{}").join();
        final List<String> types = List.of(
                "component.healthy",
                Event.DESIRED_ROLLED_BACK,
                "component.healthy",
                Event.DESIRED_ROLLBACK_IMPOSSIBLE,
                Event.DESIRED_ROLLED_BACK,
                "component.failed",
                Event.DESIRED_ROLLED_BACK);
        for (int i = 0; i < types.size(); i++) {
            final Event plain = event(i + 1);
            store.recordEvent(
                            "default",
                            "rolling",
                            new Event(
                                    plain.seq(),
                                    plain.bootId(),
                                    plain.timestamp(),
                                    types.get(i),
                                    Severity.INFO,
                                    null,
                                    plain.message()))
                    .join();
        }

        final NodeWithDesired found = store.findNodeWithDesired(
                        "default", "rolling", List.of(Event.DESIRED_ROLLED_BACK, Event.DESIRED_ROLLBACK_IMPOSSIBLE), 3)
                .join()
                .orElseThrow();

        assertThat(found.history()).extracting(EventRecord::seq).containsExactly(7L, 5L, 4L);
        assertThat(found.history())
                .extracting(EventRecord::type)
                .containsExactly(
                        Event.DESIRED_ROLLED_BACK, Event.DESIRED_ROLLED_BACK, Event.DESIRED_ROLLBACK_IMPOSSIBLE);
    }

    @Test
    void aTokenEnrollsAsManyNodesAsItsMaxUsesAndThenNobody() {
        store.createEnrollmentToken(new EnrollmentTokenRecord(
                        "et-twice-only", "default", "hash-twice-only", NOW.plusSeconds(60), 2, Map.of(), NOW))
                .join();

        final EnrollmentOutcome first =
                store.enroll("hash-twice-only", "first", Map.of(), "cred").join();
        final EnrollmentOutcome second =
                store.enroll("hash-twice-only", "second", Map.of(), "cred").join();
        final EnrollmentOutcome third =
                store.enroll("hash-twice-only", "third", Map.of(), "cred").join();

        assertThat(first).isInstanceOf(EnrollmentOutcome.Enrolled.class);
        assertThat(second).isInstanceOf(EnrollmentOutcome.Enrolled.class);
        assertThat(third).isEqualTo(new EnrollmentOutcome.UsedUpToken("et-twice-only", 2));
        assertThat(store.findNode("default", "third").join()).isEmpty();
    }

    @Test
    void aReEnrolledNodeStartsItsEventsOverAtSeqOne() {
        store.createEnrollmentToken(new EnrollmentTokenRecord(
                        "et-twice", "default", "hash-twice", NOW.plusSeconds(60), 2, Map.of(), NOW))
                .join();
        store.enroll("hash-twice", "reborn", Map.of(), "cred-1").join();
        for (long seq = 1; seq <= 3; seq++) {
            assertThat(store.recordEvent("default", "reborn", event(seq)).join())
                    .isEqualTo(IngestOutcome.STORED);
        }

        assertThat(store.enroll("hash-twice", "reborn", Map.of(), "cred-2").join())
                .isInstanceOfSatisfying(EnrollmentOutcome.Enrolled.class, enrolled -> assertThat(enrolled.reEnrolled())
                        .isTrue());
        final Event fresh = new Event(1, event(1).bootId(), NOW, "agent.started", Severity.INFO, null, "fresh outbox");

        assertThat(store.recordEvent("default", "reborn", fresh).join()).isEqualTo(IngestOutcome.STORED);
        assertThat(store.listEvents("default", "reborn", 10).join().orElseThrow())
                .singleElement()
                .satisfies(stored -> {
                    assertThat(stored.seq()).isEqualTo(1);
                    assertThat(stored.message()).isEqualTo("fresh outbox");
                });
    }

    @Test
    void anExpiredTokenEnrollsNobody() {
        store.createEnrollmentToken(new EnrollmentTokenRecord(
                        "et-old", "default", "hash-old", NOW.minusSeconds(1), 5, Map.of(), NOW.minusSeconds(61)))
                .join();

        assertThat(store.enroll("hash-old", "late", Map.of(), "cred").join())
                .isEqualTo(new EnrollmentOutcome.ExpiredToken("et-old", NOW.minusSeconds(1)));
        assertThat(store.findNode("default", "late").join()).isEmpty();
    }

    @Test
    void tokenLabelsWinOverTheLabelsTheNodeAsksFor() {
        store.createEnrollmentToken(new EnrollmentTokenRecord(
                        "et-l", "default", "hash-l", NOW.plusSeconds(60), 1, Map.of("site", "berlin"), NOW))
                .join();

        store.enroll("hash-l", "labelled", Map.of("site", "paris", "line", "3"), "cred")
                .join();

        assertThat(store.findNode("default", "labelled").join().orElseThrow().labels())
                .isEqualTo(Map.of("site", "berlin", "line", "3"));
    }

    static NodeStatus birth(final long observedGeneration) {
        return new NodeStatus("boot-1", true, NOW, "0.1.0", observedGeneration, List.of("v1"));
    }

    static Event event(final long seq) {
        final Event golden = TestMessages.CODEC.decode(TestMessages.event(1, "x"), MessageType.EVENT);
        return new Event(seq, golden.bootId(), NOW, "component.healthy", Severity.INFO, null, "event " + seq);
    }
}
