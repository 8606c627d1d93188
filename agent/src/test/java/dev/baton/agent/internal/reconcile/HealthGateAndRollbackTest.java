package dev.baton.agent.internal.reconcile;

import static dev.baton.agent.internal.reconcile.ReconcilerFixture.KIND;
import static dev.baton.agent.internal.reconcile.ReconcilerFixture.NODE;
import static dev.baton.agent.internal.reconcile.ReconcilerFixture.TENANT;
import static dev.baton.agent.testing.Documents.properties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.agent.testing.RecordingProvider;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.ComponentState;
import dev.baton.protocol.Condition;
import dev.baton.protocol.DesiredDocument;
import dev.baton.protocol.HealthCheck;
import dev.baton.protocol.Plan;
import dev.baton.protocol.ReconcilePolicy;
import dev.baton.protocol.RollbackPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health gates, health monitoring, rollback to the last fully healthy generation, and dry runs. */
class HealthGateAndRollbackTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ReconcilePolicy ROLLBACK_AFTER_2 = new ReconcilePolicy(true, 30, new RollbackPolicy(2), null);

    @TempDir
    Path directory;

    private RecordingProvider provider;
    private ReconcilerFixture fixture;
    private ServerSocket server;

    @BeforeEach
    void start() {
        provider = new RecordingProvider(KIND);
        fixture = new ReconcilerFixture(directory, provider);
    }

    @AfterEach
    void stop() throws IOException {
        fixture.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aComponentStaysApplyingUntilItsTcpCheckPassesAndItsDependentWaitsForIt() throws IOException {
        final int port = freePort();
        fixture.offer(document(
                1,
                ReconcilePolicy.DEFAULT,
                spec("api", "v1", tcp(port, 0, 30)),
                new ComponentSpec("worker", KIND, properties(), List.of("api"))));

        assertThat(fixture.status("api").state()).isEqualTo(ComponentState.APPLYING);
        assertThat(fixture.status("api").message()).contains("waiting for tcp 127.0.0.1:" + port + " to pass");
        assertThat(fixture.status("worker").state()).isEqualTo(ComponentState.PENDING);
        assertThat(provider.calls("apply")).containsExactly("api");

        listen(port);

        await().atMost(WAIT).untilAsserted(() -> {
            fixture.idle();
            assertThat(fixture.status("api").state()).isEqualTo(ComponentState.HEALTHY);
            assertThat(fixture.status("worker").state()).isEqualTo(ComponentState.HEALTHY);
        });
        assertThat(fixture.status("api").message()).contains("passed");
        assertThat(provider.calls("apply")).containsExactly("api", "worker");
    }

    @Test
    void healthyForSecondsKeepsTheComponentApplyingUntilTheCheckHasPassedThatLong() throws IOException {
        final int port = freePort();
        listen(port);
        fixture.offer(document(1, ReconcilePolicy.DEFAULT, spec("api", "v1", tcp(port, 2, 30))));

        fixture.idle();
        assertThat(fixture.status("api").state())
                .as("passing at once is not enough")
                .isEqualTo(ComponentState.APPLYING);
        assertThat(fixture.status("api").message()).contains("to pass for 2 s");

        await().atMost(WAIT).untilAsserted(() -> {
            fixture.idle();
            assertThat(fixture.status("api").state()).isEqualTo(ComponentState.HEALTHY);
        });
        assertThat(fixture.status("api").message()).contains("passed for 2 s");
    }

    @Test
    void aComponentThatNeverPassesFailsWhenItsStartTimeoutRunsOut() {
        final int port = freePort();
        fixture.offer(document(1, ReconcilePolicy.DEFAULT, spec("api", "v1", tcp(port, 0, 1))));

        await().atMost(WAIT).untilAsserted(() -> {
            fixture.idle();
            assertThat(fixture.status("api").state()).isEqualTo(ComponentState.FAILED);
        });
        assertThat(fixture.status("api").message())
                .startsWith("not healthy within 1 s of being applied: tcp 127.0.0.1:" + port);
        assertThat(fixture.events(Reconciler.EVENT_COMPONENT_FAILED)).isNotEmpty();
    }

    @Test
    void aHealthyComponentWhoseChecksFailInARowIsFailedAndAppliedAgain() throws IOException {
        final int port = freePort();
        listen(port);
        fixture.offer(document(1, ReconcilePolicy.DEFAULT, spec("api", "v1", tcp(port, 0, 30))));
        await().atMost(WAIT).untilAsserted(() -> {
            fixture.idle();
            assertThat(fixture.status("api").state()).isEqualTo(ComponentState.HEALTHY);
        });

        server.close();

        await().atMost(WAIT).untilAsserted(() -> assertThat(fixture.events(Reconciler.EVENT_COMPONENT_FAILED))
                .anySatisfy(e -> assertThat(e.message())
                        .startsWith("unhealthy: tcp 127.0.0.1:" + port)
                        .endsWith("(2 failed probes in a row)")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(provider.calls("apply"))
                .as("the retry applies it again")
                .hasSizeGreaterThanOrEqualTo(2));
    }

    @Test
    void aFailingGenerationIsReplacedByTheLastFullyHealthyOneAndNeverAppliedAgain() {
        fixture.offer(document(1, ROLLBACK_AFTER_2, spec("api", "v1", null)));
        assertThat(fixture.status("api").state()).isEqualTo(ComponentState.HEALTHY);

        provider.failNext("cache", 100);
        fixture.offer(document(2, ROLLBACK_AFTER_2, spec("api", "v2", null), spec("cache", "v1", null)));

        await().atMost(WAIT).untilAsserted(() -> {
            fixture.idle();
            assertThat(fixture.status("api").state()).isEqualTo(ComponentState.ROLLED_BACK);
            assertThat(fixture.status("cache").state()).isEqualTo(ComponentState.REMOVED);
        });
        assertThat(fixture.status("api").message()).contains("generation 1, after generation 2 failed");
        assertThat(fixture.lastReport().observedGeneration()).isEqualTo(2);
        final Condition rolledBack = rolledBack().orElseThrow();
        assertThat(rolledBack.status()).isTrue();
        assertThat(rolledBack.message())
                .isEqualTo("generation 2 failed (cache: simulated failure applying cache); returned to generation 1");
        assertThat(fixture.events(Reconciler.EVENT_DESIRED_ROLLED_BACK)).hasSize(1);
        assertThat(provider.calls("apply")).filteredOn("cache"::equals).hasSize(2);

        provider.clearCalls();
        fixture.offer(document(2, ROLLBACK_AFTER_2, spec("api", "v2", null), spec("cache", "v1", null)));
        assertThat(provider.calls("apply"))
                .as("the failed generation arrives again")
                .isEmpty();

        fixture.offer(document(3, ROLLBACK_AFTER_2, spec("api", "v3", null)));
        assertThat(fixture.status("api").state()).isEqualTo(ComponentState.HEALTHY);
        assertThat(fixture.lastReport().observedGeneration()).isEqualTo(3);
        assertThat(rolledBack().orElseThrow().status()).isFalse();
    }

    @Test
    void aRollbackHoldsAfterAnAgentRestart() {
        fixture.offer(document(1, ROLLBACK_AFTER_2, spec("api", "v1", null)));
        provider.failNext("api", 2);
        fixture.offer(document(2, ROLLBACK_AFTER_2, spec("api", "v2", null)));
        await().atMost(WAIT).untilAsserted(() -> {
            fixture.idle();
            assertThat(fixture.status("api").state()).isEqualTo(ComponentState.ROLLED_BACK);
        });
        fixture.close();

        provider = new RecordingProvider(KIND);
        fixture = new ReconcilerFixture(directory, provider);
        fixture.offer(document(2, ROLLBACK_AFTER_2, spec("api", "v2", null)));

        assertThat(provider.calls("apply")).isEmpty();
        assertThat(fixture.status("api").state()).isEqualTo(ComponentState.ROLLED_BACK);
        assertThat(fixture.lastReport().observedGeneration()).isEqualTo(2);
        assertThat(rolledBack().orElseThrow().status()).isTrue();
    }

    @Test
    void aGenerationHealthyBeforeAnAgentRestartIsTheTargetOfALaterRollback() {
        fixture.offer(document(1, ROLLBACK_AFTER_2, spec("api", "v1", null)));
        fixture.offer(document(2, ROLLBACK_AFTER_2, spec("api", "v2", null)));
        assertThat(fixture.status("api").state()).isEqualTo(ComponentState.HEALTHY);
        fixture.close();

        provider = new RecordingProvider(KIND);
        fixture = new ReconcilerFixture(directory, provider);
        provider.failNext("cache", 100);
        fixture.offer(document(3, ROLLBACK_AFTER_2, spec("api", "v3", null), spec("cache", "v1", null)));

        await().atMost(WAIT).untilAsserted(() -> {
            fixture.idle();
            assertThat(fixture.status("api").state()).isEqualTo(ComponentState.ROLLED_BACK);
        });
        assertThat(rolledBack().orElseThrow().message()).endsWith("returned to generation 2");
        assertThat(fixture.store
                        .desired()
                        .orElseThrow()
                        .components()
                        .get(0)
                        .properties()
                        .get("version")
                        .asText())
                .isEqualTo("v2");
    }

    @Test
    void aGenerationThatNeverBecameHealthyIsNoRollbackTarget() {
        provider.failNext("api", 100);
        fixture.offer(document(1, ROLLBACK_AFTER_2, spec("api", "v1", null)));

        await().atMost(WAIT).untilAsserted(() -> assertThat(fixture.events(Reconciler.EVENT_ROLLBACK_IMPOSSIBLE))
                .singleElement()
                .satisfies(e -> assertThat(e.message()).contains("nothing to return to")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(provider.calls("apply"))
                .as("it keeps retrying")
                .hasSizeGreaterThan(3));
        assertThat(fixture.events(Reconciler.EVENT_DESIRED_ROLLED_BACK)).isEmpty();
    }

    @Test
    void aDryRunReportsThePlanAndTouchesNothing() {
        fixture.offer(document(1, ReconcilePolicy.DEFAULT, spec("api", "v1", null), spec("cache", "v1", null)));
        assertThat(fixture.lastReport().plan().steps())
                .extracting(Plan.Step::component, Plan.Step::action)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("api", "create"),
                        org.assertj.core.groups.Tuple.tuple("cache", "create"));
        provider.drift("cache");
        provider.clearCalls();

        fixture.offer(document(
                2,
                new ReconcilePolicy(true, 30, null, true),
                spec("api", "v2", null),
                spec("cache", "v1", null),
                spec("web", "v1", null)));

        assertThat(provider.calls("apply")).isEmpty();
        assertThat(provider.calls("remove")).isEmpty();
        final Plan plan = fixture.lastReport().plan();
        assertThat(plan.dryRun()).isTrue();
        assertThat(plan.generation()).isEqualTo(2);
        assertThat(plan.steps())
                .extracting(Plan.Step::component, Plan.Step::action)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("api", "update"),
                        org.assertj.core.groups.Tuple.tuple("cache", "repair"),
                        org.assertj.core.groups.Tuple.tuple("web", "create"));
        assertThat(fixture.desiredAccepted().orElseThrow().reason()).isEqualTo("DryRun");
        assertThat(fixture.desiredAccepted().orElseThrow().message())
                .contains("1 to create, 1 to repair, 1 to update, 0 unchanged")
                .contains("generation 1 stays applied");
        assertThat(fixture.lastReport().observedGeneration()).isEqualTo(2);
        assertThat(fixture.status("api").generation()).isEqualTo(1);

        fixture.offer(document(3, ReconcilePolicy.DEFAULT, spec("api", "v2", null)));
        assertThat(provider.calls("apply")).containsExactly("api");
        assertThat(provider.calls("remove")).containsExactly("cache");
    }

    private Optional<Condition> rolledBack() {
        return fixture.lastReport().conditions().stream()
                .filter(c -> c.type().equals(Condition.ROLLED_BACK))
                .findFirst();
    }

    private static DesiredDocument document(
            final long generation, final ReconcilePolicy policy, final ComponentSpec... components) {
        return new DesiredDocument(TENANT, NODE, generation, List.of(components), policy);
    }

    private static ComponentSpec spec(final String name, final String version, final HealthCheck health) {
        return new ComponentSpec(name, KIND, properties().put("version", version), List.of(), health);
    }

    private static HealthCheck tcp(final int port, final int healthyFor, final int startTimeout) {
        return HealthCheck.of("127.0.0.1:" + port, null, null, 1, 500, healthyFor, startTimeout, 2);
    }

    private void listen(final int port) throws IOException {
        server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
