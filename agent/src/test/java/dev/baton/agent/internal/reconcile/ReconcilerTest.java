package dev.baton.agent.internal.reconcile;

import static dev.baton.agent.internal.reconcile.ReconcilerFixture.KIND;
import static dev.baton.agent.internal.reconcile.ReconcilerFixture.NODE;
import static dev.baton.agent.internal.reconcile.ReconcilerFixture.TENANT;
import static dev.baton.agent.testing.Documents.component;
import static dev.baton.agent.testing.Documents.desired;
import static dev.baton.agent.testing.Documents.properties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.agent.Backoff;
import dev.baton.agent.testing.Documents;
import dev.baton.agent.testing.RecordingProvider;
import dev.baton.protocol.ComponentState;
import dev.baton.protocol.ComponentStatus;
import dev.baton.protocol.Condition;
import dev.baton.protocol.Event;
import dev.baton.protocol.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconcilerTest {

    /** Extra apply time beyond the reconciler's progress-report interval. */
    private static final Duration SLOW = Duration.ofMillis(300);

    @TempDir
    Path directory;

    private RecordingProvider provider;
    private ReconcilerFixture fixture;

    @BeforeEach
    void start() {
        provider = new RecordingProvider(KIND);
        fixture = new ReconcilerFixture(directory, provider);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void appliesComponentsAfterTheComponentsTheyDependOn() {
        fixture.offer(desired(
                TENANT,
                NODE,
                1,
                component("web", KIND, "api"),
                component("db", KIND),
                component("api", KIND, "db"),
                component("cache", KIND)));

        assertThat(provider.calls("apply")).containsExactly("db", "api", "web", "cache");
        assertThat(fixture.lastReport().observedGeneration()).isEqualTo(1);
        assertThat(fixture.lastReport().components())
                .extracting(c -> c.name() + "=" + c.state().json())
                .containsExactly("web=healthy", "db=healthy", "api=healthy", "cache=healthy");
        assertThat(fixture.reconciler.observedGeneration()).isEqualTo(1);
    }

    @Test
    void removesComponentsThatLeftTheDocumentDependentsFirstAndDeletesTheirStateDirectories() {
        fixture.offer(desired(
                TENANT,
                NODE,
                1,
                component("db", KIND),
                component("api", KIND, "db"),
                component("web", KIND, "api"),
                component("keep", KIND)));
        assertThat(fixture.componentStateRoot().resolve("api")).isDirectory();

        fixture.offer(desired(TENANT, NODE, 2, component("keep", KIND)));

        assertThat(provider.calls("remove")).containsExactly("web", "api", "db");
        assertThat(fixture.status("web").state()).isEqualTo(ComponentState.REMOVED);
        assertThat(fixture.status("db").state()).isEqualTo(ComponentState.REMOVED);
        assertThat(fixture.status("keep").state()).isEqualTo(ComponentState.HEALTHY);
        assertThat(fixture.componentStateRoot().resolve("api")).doesNotExist();
        assertThat(fixture.componentStateRoot().resolve("keep")).isDirectory();
        assertThat(fixture.events(Reconciler.EVENT_COMPONENT_REMOVED))
                .extracting(Event::component)
                .containsExactly("web", "api", "db");

        // Reported as removed once; the next document forgets them.
        fixture.offer(desired(TENANT, NODE, 3, component("keep", KIND)));
        assertThat(fixture.lastReport().components()).extracting(c -> c.name()).containsExactly("keep");
    }

    @Test
    void leavesAnUnchangedComponentUntouchedAndAppliesOnlyTheChangedOne() {
        fixture.offer(desired(TENANT, NODE, 1, component("a", KIND), component("b", KIND)));
        provider.clearCalls();

        fixture.offer(desired(
                TENANT,
                NODE,
                2,
                component("a", KIND),
                component("b", KIND, properties().put("version", 2))));

        assertThat(provider.calls("apply")).containsExactly("b");
        assertThat(provider.calls("observe")).containsExactly("a");
        assertThat(fixture.status("a").state()).isEqualTo(ComponentState.HEALTHY);
        assertThat(fixture.status("a").generation()).isEqualTo(2);
        assertThat(fixture.lastReport().observedGeneration()).isEqualTo(2);
    }

    @Test
    void retriesAFailedComponentWithBackoffWhileTheOthersCarryOn() {
        provider.failNext("db", 2);

        fixture.offer(desired(
                TENANT, NODE, 1, component("db", KIND), component("api", KIND, "db"), component("cache", KIND)));

        assertThat(fixture.status("db").state()).isEqualTo(ComponentState.FAILED);
        assertThat(fixture.status("db").message()).isEqualTo("simulated failure applying db");
        assertThat(fixture.status("api").state()).isEqualTo(ComponentState.PENDING);
        assertThat(fixture.status("api").message()).contains("waiting for 'db' (failed)");
        assertThat(fixture.status("cache").state()).isEqualTo(ComponentState.HEALTHY);
        assertThat(fixture.lastReport().observedGeneration()).isEqualTo(1);

        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            fixture.idle();
            assertThat(fixture.status("db").state()).isEqualTo(ComponentState.HEALTHY);
            assertThat(fixture.status("api").state()).isEqualTo(ComponentState.HEALTHY);
        });
        assertThat(provider.calls("apply")).containsExactly("db", "cache", "db", "db", "api");
        // The second failure said the same as the first: one event for both.
        assertThat(fixture.events(Reconciler.EVENT_COMPONENT_FAILED))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.component()).isEqualTo("db");
                    assertThat(e.severity()).isEqualTo(Severity.ERROR);
                });
        assertThat(fixture.events(Reconciler.EVENT_COMPONENT_HEALTHY))
                .extracting(Event::component)
                .containsExactly("cache", "db", "api");
    }

    @Test
    void rejectsADocumentWithAnInvalidComponentAndKeepsTheLastGoodOneApplied() {
        fixture.offer(desired(TENANT, NODE, 1, component("a", KIND)));
        provider.clearCalls();

        fixture.offer(desired(
                TENANT,
                NODE,
                2,
                component("b", KIND),
                component("bad", KIND, properties().put("invalid", true))));

        assertThat(provider.calls("apply")).isEmpty();
        assertThat(provider.calls("remove")).isEmpty();
        assertThat(fixture.lastReport().observedGeneration()).isEqualTo(1);
        assertThat(fixture.lastReport().components())
                .extracting(c -> c.name() + "=" + c.state().json())
                .containsExactly("a=healthy");
        assertThat(fixture.desiredAccepted()).hasValueSatisfying(condition -> {
            assertThat(condition.status()).isFalse();
            assertThat(condition.reason()).isEqualTo(Reconciler.REASON_INVALID_COMPONENT);
            assertThat(condition.message())
                    .contains("desired generation 2 rejected")
                    .contains("component 'bad' has property 'invalid'");
        });
        assertThat(fixture.events(Reconciler.EVENT_DESIRED_REJECTED))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.severity()).isEqualTo(Severity.ERROR);
                    assertThat(e.message()).contains("generation 2");
                });

        // The same generation again (a retained re-delivery) is not rejected twice; a fixed one is accepted.
        fixture.offer(desired(
                TENANT,
                NODE,
                2,
                component("b", KIND),
                component("bad", KIND, properties().put("invalid", true))));
        assertThat(fixture.events(Reconciler.EVENT_DESIRED_REJECTED)).hasSize(1);
        fixture.offer(desired(TENANT, NODE, 3, component("b", KIND)));
        assertThat(fixture.desiredAccepted()).map(Condition::status).hasValue(true);
        assertThat(fixture.lastReport().observedGeneration()).isEqualTo(3);
    }

    @Test
    void rejectsAComponentOfAKindNoProviderApplies() {
        fixture.offer(desired(TENANT, NODE, 1, component("x", "container")));

        assertThat(provider.calls("apply")).isEmpty();
        assertThat(fixture.desiredAccepted()).hasValueSatisfying(condition -> {
            assertThat(condition.status()).isFalse();
            assertThat(condition.reason()).isEqualTo(Reconciler.REASON_UNKNOWN_KIND);
            assertThat(condition.message()).contains("kind 'container'").contains("kinds here: test");
        });
        assertThat(fixture.lastReport().observedGeneration()).isZero();
    }

    @Test
    void rejectsAMalformedDocumentWithTheProtocolReason() {
        fixture.offer(desired(TENANT, NODE, 1, component("a", KIND)));

        fixture.offer("{\"tenant\":\"default\",\"node\":\"edge-1\",\"generation\":2,\"colour\":1}"
                .getBytes(StandardCharsets.UTF_8));

        assertThat(fixture.desiredAccepted()).hasValueSatisfying(condition -> {
            assertThat(condition.status()).isFalse();
            assertThat(condition.reason()).isEqualTo("MALFORMED");
            assertThat(condition.message())
                    .contains("desired generation 2 rejected")
                    .contains("colour");
        });
        assertThat(fixture.status("a").state()).isEqualTo(ComponentState.HEALTHY);
    }

    @Test
    void rejectsADocumentAddressedToAnotherNode() {
        fixture.offer(desired(TENANT, "edge-2", 1, component("a", KIND)));

        assertThat(provider.calls("apply")).isEmpty();
        assertThat(fixture.desiredAccepted()).hasValueSatisfying(condition -> assertThat(condition.message())
                .contains("addressed to default/edge-2, but this agent is default/edge-1"));
    }

    @Test
    void ignoresAGenerationNotAboveTheAcceptedOne() {
        fixture.offer(desired(TENANT, NODE, 5, component("a", KIND)));
        provider.clearCalls();
        final long reportSeq = fixture.lastReport().seq();

        fixture.offer(desired(TENANT, NODE, 4, component("b", KIND)));
        fixture.offer(desired(TENANT, NODE, 5, component("c", KIND)));

        assertThat(provider.calls()).isEmpty();
        assertThat(fixture.lastReport().seq()).isEqualTo(reportSeq);
        assertThat(fixture.desiredAccepted()).map(Condition::status).hasValue(true);
    }

    @Test
    void repairsDriftWhenAProviderAsksForAReconcile() {
        fixture.offer(desired(TENANT, NODE, 1, component("a", KIND), component("b", KIND)));
        provider.clearCalls();

        provider.drift("a");
        provider.requestReconcile("a", "watched file changed");

        await().atMost(5, TimeUnit.SECONDS).until(() -> provider.calls("apply").contains("a"));
        fixture.idle();
        assertThat(provider.calls("observe")).containsExactly("a");
        assertThat(fixture.status("a").state()).isEqualTo(ComponentState.HEALTHY);
        assertThat(fixture.status("a").message()).isEqualTo("repaired drift (simulated drift): applied a");
    }

    @Test
    void reconcileNowObservesEveryComponentAndRetriesFailedOnesAtOnce() throws Exception {
        fixture.close();
        fixture = new ReconcilerFixture(
                directory, provider, new Backoff(Duration.ofMinutes(1), Duration.ofMinutes(1), 0));
        provider.failNext("b", 1);
        fixture.offer(desired(TENANT, NODE, 1, component("a", KIND), component("b", KIND)));
        assertThat(fixture.status("b").state()).isEqualTo(ComponentState.FAILED);
        provider.clearCalls();

        final String summary = fixture.reconciler.reconcileNow("test").get(5, TimeUnit.SECONDS);

        assertThat(summary).isEqualTo("1 observed, 1 applied, 0 failed, 0 removed");
        assertThat(provider.calls("observe")).containsExactly("a");
        assertThat(provider.calls("apply")).containsExactly("b");
    }

    @Test
    void reconcilesTheStoredDocumentAfterARestartWithoutAnyConnection() {
        fixture.offer(desired(TENANT, NODE, 7, component("a", KIND), component("b", KIND)));
        fixture.close();

        final RecordingProvider restarted = new RecordingProvider(KIND);
        restarted.drift("b"); // say its process died with the host
        fixture = new ReconcilerFixture(directory, restarted);

        assertThat(restarted.calls("observe")).containsExactly("a", "b");
        assertThat(restarted.calls("apply")).containsExactly("b");
        assertThat(fixture.reconciler.observedGeneration()).isEqualTo(7);
        assertThat(fixture.status("b").state()).isEqualTo(ComponentState.HEALTHY);
    }

    @Test
    void checksForDriftOnTheDocumentsInterval() throws Exception {
        final var document = new dev.baton.protocol.DesiredDocument(
                TENANT, NODE, 1, List.of(component("a", KIND)), new dev.baton.protocol.ReconcilePolicy(true, 1));
        fixture.offer(document);
        provider.drift("a");

        await().atMost(Duration.ofSeconds(5))
                .until(() -> provider.calls("apply").size() == 2);
        fixture.idle();
        assertThat(fixture.status("a").message()).startsWith("repaired drift");
    }

    @Test
    void leavesDriftAloneButReportsItWhenReconcileIsInactive() {
        final var document = new dev.baton.protocol.DesiredDocument(
                TENANT, NODE, 1, List.of(component("a", KIND)), new dev.baton.protocol.ReconcilePolicy(false, 30));
        fixture.offer(document);
        provider.drift("a");

        provider.requestReconcile("a", "test");

        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            fixture.idle();
            assertThat(fixture.status("a").state()).isEqualTo(ComponentState.FAILED);
        });
        assertThat(fixture.status("a").message()).contains("simulated drift").contains("reconcile.active is false");
        assertThat(provider.calls("apply")).containsExactly("a");
    }

    @Test
    void appliesADocumentOfFiveNewComponentsWithAtMostTwoReports() {
        final long seqBefore = fixture.outbox.lastSeq();
        final int eventsBefore = fixture.events().size();

        fixture.offer(desired(
                TENANT,
                NODE,
                1,
                component("a", KIND),
                component("b", KIND, "a"),
                component("c", KIND),
                component("d", KIND, "c"),
                component("e", KIND)));

        final int events = fixture.events().size() - eventsBefore;
        final long reports = fixture.outbox.lastSeq() - seqBefore - events;
        assertThat(events).as("one component.healthy event each").isEqualTo(5);
        assertThat(reports).as("reports enqueued for one document").isBetween(1L, 2L);
        assertThat(fixture.lastReport().components())
                .extracting(ComponentStatus::state)
                .containsOnly(ComponentState.HEALTHY);
    }

    @Test
    void reportsASlowApplyInProgressOnceThePassHasRunForAWhile() {
        final Duration slow = SLOW.plus(Reconciler.SLOW_PASS_REPORT_INTERVAL);
        provider.slowApply("a", slow);
        provider.slowApply("b", slow);

        fixture.reconciler.offerDesired(
                Documents.encode(desired(TENANT, NODE, 1, component("a", KIND), component("b", KIND))));

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(fixture.lastReport().components())
                        .extracting(c -> c.name() + "=" + c.state().json())
                        .containsExactly("a=healthy", "b=applying"));
        fixture.idle();
        assertThat(fixture.status("b").state()).isEqualTo(ComponentState.HEALTHY);
    }

    @Test
    void storesTheNewGenerationOfUnchangedComponentsAndTheChangedSpecOfOthers() {
        fixture.offer(desired(TENANT, NODE, 1, component("a", KIND), component("b", KIND), component("c", KIND)));

        fixture.offer(desired(
                TENANT,
                NODE,
                2,
                component("a", KIND),
                component("b", KIND, properties().put("changed", "yes")),
                component("c", KIND)));

        assertThat(fixture.store.applied())
                .extracting(
                        a -> a.name() + "@" + a.generation() + "=" + a.state().json())
                .containsExactly("a@2=healthy", "b@2=healthy", "c@2=healthy");
        assertThat(fixture.store.applied())
                .filteredOn(a -> a.name().equals("b"))
                .singleElement()
                .satisfies(b -> assertThat(b.spec().properties().has("changed")).isTrue());
    }
}
