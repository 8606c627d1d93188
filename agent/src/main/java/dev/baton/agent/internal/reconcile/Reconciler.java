package dev.baton.agent.internal.reconcile;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ComponentProvider;
import dev.baton.adapters.api.Observation;
import dev.baton.agent.internal.outbox.NodeReporter;
import dev.baton.agent.internal.store.AppliedComponent;
import dev.baton.agent.internal.store.StateStore;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.ComponentState;
import dev.baton.protocol.Condition;
import dev.baton.protocol.DesiredDocument;
import dev.baton.protocol.Event;
import dev.baton.protocol.HealthCheck;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.Plan;
import dev.baton.protocol.ProtocolException;
import dev.baton.protocol.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the host to the desired document and keeps it there.
 *
 * <p>Threading: one thread ("baton-reconciler-{node}") owns the accepted document, every component's record, the
 * conditions and all provider calls; nothing here needs a lock. Other threads (MQTT callbacks, providers' watchers,
 * commands) only hand work to it through the public methods, which return at once.
 *
 * <p>Order of work for a new document: validate everything (a rejected document changes nothing), store it, then
 * remove the components that left it (dependents first), then apply the others in {@code dependsOn} order. A
 * component whose dependency is not healthy waits in {@code pending}; a failed one is retried with backoff while
 * the others carry on.
 *
 * <p>Reports: a state transition only marks the report dirty; each task on the reconciler thread enqueues one
 * complete report at its end (a report is O(components) to encode, store, publish and ingest, so one per transition
 * would make a document of N components cost O(N²)). A pass that has run for {@link #SLOW_PASS_REPORT_INTERVAL}
 * also reports before its next provider call, so that a slow apply shows as {@code applying} meanwhile.
 */
public final class Reconciler implements AutoCloseable {

    public static final String EVENT_DESIRED_REJECTED = "desired.rejected";
    public static final String EVENT_COMPONENT_FAILED = "component.failed";
    public static final String EVENT_COMPONENT_HEALTHY = "component.healthy";
    public static final String EVENT_COMPONENT_REMOVED = "component.removed";
    public static final String EVENT_DESIRED_PLANNED = "desired.planned";
    public static final String EVENT_DESIRED_ROLLED_BACK = Event.DESIRED_ROLLED_BACK;
    public static final String EVENT_ROLLBACK_IMPOSSIBLE = Event.DESIRED_ROLLBACK_IMPOSSIBLE;
    /** Meta key: the newest generation that failed and was rolled back; it and older ones are ignored. */
    static final String META_FAILED_GENERATION = "failed_generation";
    /** Meta key: while the node runs a rollback, the generation whose failure caused it; 0 otherwise. */
    static final String META_ROLLED_BACK_FROM = "rolled_back_from";
    /** Condition reason when a component's provider refuses its spec. */
    public static final String REASON_INVALID_COMPONENT = "INVALID_COMPONENT";

    public static final String REASON_INVALID_DISCOVERY = "INVALID_DISCOVERY";
    /** Condition reason when no provider applies a component's kind. */
    public static final String REASON_UNKNOWN_KIND = "UNKNOWN_KIND";

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** How often a long pass reports its progress before a provider call. */
    static final Duration SLOW_PASS_REPORT_INTERVAL = Duration.ofMillis(500);

    private final ReconcilerSettings settings;
    private final StateStore store;
    private final NodeReporter reporter;
    private final ProviderRegistry providers;
    private final ProviderServices services;
    private final MessageCodec codec;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor thread;
    /** The executor's one thread, so that calls made on it are told from calls made elsewhere. */
    private volatile @Nullable Thread reconcilerThread;
    /** Runs health probes (connects, GETs, commands) so that a slow one never holds the reconciler thread. */
    private final ThreadPoolExecutor probes;

    private final HealthProbe probe = new HealthProbe();
    private final DesiredSection sections;
    private final Set<String> requestedChecks = ConcurrentHashMap.newKeySet();
    private volatile long observedGenerationView;

    // Owned by the reconciler thread.
    private @Nullable DesiredDocument accepted;
    /** The accepted document's components in dependency order; computed once per document. */
    private List<ComponentSpec> applyOrder = List.of();
    /** The spec hash of each component of the accepted document, by name; computed once per document. */
    private Map<String, String> specHashes = Map.of();

    private long observedGeneration;
    private long lastRejectedGeneration = -1;
    /**
     * The generation of the last document in which every component became healthy; 0 before one did. After a restart
     * it is the stored rollback target's until the accepted document becomes fully healthy again.
     */
    private long lastHealthyGeneration;
    /** The newest generation that failed and was rolled back; it and older ones are never applied again. */
    private long failedGeneration;
    /** While a rollback is in force, the generation that failed; 0 otherwise. */
    private long rolledBackFrom;

    private @Nullable Condition rolledBack;
    /** No rollback target existed when this generation failed; reported once. */
    private long rollbackImpossibleReported;
    /** The plan of the last document received (applied or dry run); null after a restart until the next one. */
    private @Nullable Plan plan;

    private final Map<String, ComponentRecord> records = new HashMap<>();
    private final Map<String, ComponentContext> contexts = new HashMap<>();
    private @Nullable Condition desiredAccepted;
    private @Nullable ScheduledFuture<?> driftTimer;
    /** A state changed since the last report; the current task reports at its end. */
    private boolean reportDirty;
    /** {@link System#nanoTime()} of the start of the current task, or of the last report in it. */
    private long lastReportNanos;

    /** What one pass does beyond applying new, changed and due components. */
    private record Pass(
            String reason, boolean observeAll, Set<String> observe, boolean retryNow, boolean alwaysReport) {

        /**
         * A new document, a start or {@code reconcile.now}: observe everything and give failed components a fresh
         * try.
         */
        static Pass full(final String reason) {
            return new Pass(reason, true, Set.of(), true, true);
        }

        static Pass drift() {
            return new Pass("drift check", true, Set.of(), false, false);
        }

        static Pass check(final String component, final String reason) {
            return new Pass(reason, false, Set.of(component), false, false);
        }

        static Pass retry() {
            return new Pass("retry", false, Set.of(), false, false);
        }

        boolean observes(final String component) {
            return observeAll || observe.contains(component);
        }
    }

    /** Counts of one pass, for the answer to {@code reconcile.now}. */
    private static final class Tally {
        int observed;
        int applied;
        int failed;
        int removed;
        /** Unchanged components whose stored row only needs the new generation, written in one statement. */
        final List<String> generationOnly = new ArrayList<>();

        String summary() {
            return observed + " observed, " + applied + " applied, " + failed + " failed, " + removed + " removed";
        }
    }

    public Reconciler(
            final @NotNull ReconcilerSettings settings,
            final @NotNull StateStore store,
            final @NotNull NodeReporter reporter,
            final @NotNull ProviderRegistry providers,
            final @NotNull ProviderServices services,
            final @NotNull DesiredSection sections,
            final @NotNull MessageCodec codec,
            final @NotNull Clock clock) {
        this.sections = sections;
        this.settings = settings;
        this.store = store;
        this.reporter = reporter;
        this.providers = providers;
        this.services = services;
        this.codec = codec;
        this.clock = clock;
        this.thread = new ScheduledThreadPoolExecutor(1, runnable -> {
            final Thread t = new Thread(runnable, "baton-reconciler-" + settings.node());
            t.setDaemon(true);
            reconcilerThread = t;
            return t;
        });
        thread.setRemoveOnCancelPolicy(true);
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        thread.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        this.probes = new ThreadPoolExecutor(
                1, 1, 0, TimeUnit.MILLISECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), runnable -> {
                    final Thread t = new Thread(runnable, "baton-health-" + settings.node());
                    t.setDaemon(true);
                    return t;
                });
        this.observedGenerationView = store.observedGeneration();
    }

    /**
     * Loads the stored state and reconciles the stored desired document, without waiting for any connection: an
     * agent that restarts offline keeps its node in the last accepted state.
     */
    public void start() {
        submit(this::load);
    }

    /** Hands a payload from the {@code desired} topic to the reconciler thread. Any thread. */
    public void offerDesired(final byte @NotNull [] payload) {
        submit(() -> onDesired(payload));
    }

    /** Schedules a prompt re-check of one component, e.g. because its process exited. Any thread. */
    public void requestReconcile(final @NotNull String component, final @NotNull String reason) {
        if (requestedChecks.add(component)) {
            submit(() -> {
                requestedChecks.remove(component);
                LOG.info("re-checking component {}: {}", component, reason);
                converge(Pass.check(component, reason));
            });
        }
    }

    /** Observes every component now, repairs drift and retries failed ones; completes with a summary. */
    public @NotNull CompletableFuture<String> reconcileNow(final @NotNull String reason) {
        final CompletableFuture<String> done = new CompletableFuture<>();
        final boolean queued = submit(() -> {
            try {
                done.complete(converge(Pass.full(reason)).summary());
            } catch (final RuntimeException e) {
                done.completeExceptionally(e);
                throw e;
            }
        });
        if (!queued) {
            done.completeExceptionally(new IllegalStateException("the agent is shutting down"));
        }
        return done;
    }

    /** Enqueues a complete report, e.g. after every (re)connect. Any thread. */
    public void reportNow() {
        submit(() -> reportDirty = true);
    }

    /** The generation of the last desired document worked through. Any thread. */
    public long observedGeneration() {
        return observedGenerationView;
    }

    /** Completes once the reconciler thread has done everything handed to it before this call. */
    public @NotNull CompletableFuture<Void> idle() {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        if (!submit(() -> done.complete(null))) {
            done.complete(null);
        }
        return done;
    }

    /** Stops the thread after the provider call under way, if any. Providers are closed by their registry. */
    @Override
    public void close() {
        probes.shutdownNow();
        thread.shutdown();
        try {
            if (!thread.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("the reconciler did not finish within {}; interrupting it", CLOSE_TIMEOUT);
                thread.shutdownNow();
            }
        } catch (final InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    // ---- reconciler thread from here on ----

    private void load() {
        final Optional<DesiredDocument> stored = store.desired();
        if (stored.isPresent() && !belongsHere(stored.get())) {
            LOG.warn(
                    "ignoring the stored desired document of {}/{}: this agent is {}/{} (re-enrolled?)",
                    stored.get().tenant(),
                    stored.get().node(),
                    settings.tenant(),
                    settings.node());
        } else {
            stored.ifPresent(this::setAccepted);
        }
        for (final AppliedComponent applied : store.applied()) {
            records.put(applied.name(), ComponentRecord.of(applied));
        }
        desiredAccepted = store.condition(Condition.DESIRED_ACCEPTED).orElse(null);
        rolledBack = store.condition(Condition.ROLLED_BACK).orElse(null);
        failedGeneration = store.meta(META_FAILED_GENERATION);
        rolledBackFrom = store.meta(META_ROLLED_BACK_FROM);
        lastHealthyGeneration =
                lastHealthyDocument().map(DesiredDocument::generation).orElse(0L);
        observedGeneration = store.observedGeneration();
        observedGenerationView = observedGeneration;
        if (accepted != null) {
            LOG.info(
                    "reconciling the stored desired generation {} ({} components) without waiting for the hub",
                    accepted.generation(),
                    accepted.components().size());
        }
        rescheduleDriftChecks();
        converge(Pass.full("start"));
    }

    private void onDesired(final byte[] payload) {
        if (payload.length == 0) {
            LOG.debug("the retained desired document was cleared; keeping the last accepted one");
            return;
        }
        final DesiredDocument document;
        try {
            document = codec.decode(payload, MessageType.DESIRED);
        } catch (final ProtocolException e) {
            final long generation = generationOf(payload);
            reject(generation, e.reason().name(), describe(generation) + " rejected: " + e.getMessage());
            return;
        }
        if (!belongsHere(document)) {
            reject(
                    document.generation(),
                    ProtocolException.Reason.INVALID_FIELD.name(),
                    describe(document.generation()) + " rejected: it is addressed to " + document.tenant() + "/"
                            + document.node() + ", but this agent is " + settings.tenant() + "/" + settings.node());
            return;
        }
        final long current = accepted == null ? 0 : accepted.generation();
        if (document.generation() <= current) {
            LOG.debug(
                    "ignoring desired generation {}: generation {} is already accepted",
                    document.generation(),
                    current);
            return;
        }
        if (document.generation() <= failedGeneration) {
            LOG.debug(
                    "ignoring desired generation {}: generation {} failed and was rolled back; only a newer one is"
                            + " applied",
                    document.generation(),
                    failedGeneration);
            return;
        }
        if (document.generation() == lastRejectedGeneration) {
            LOG.debug("ignoring desired generation {} again: it was rejected", document.generation());
            return;
        }
        final List<String> unknownKinds = new ArrayList<>();
        final List<String> invalid = new ArrayList<>();
        for (final ComponentSpec component : document.components()) {
            final Optional<ComponentProvider> provider = providers.provider(component.kind());
            if (provider.isEmpty()) {
                unknownKinds.add("component '" + component.name() + "' has kind '" + component.kind()
                        + "', which no provider on this node applies (kinds here: "
                        + (providers.kinds().isEmpty() ? "none" : String.join(", ", providers.kinds())) + ")");
                continue;
            }
            try {
                provider.get().validate(component);
            } catch (final ComponentException e) {
                invalid.add(e.getMessage());
            } catch (final RuntimeException e) {
                LOG.error("the {} provider failed to validate component {}", component.kind(), component.name(), e);
                invalid.add("component '" + component.name() + "': the " + component.kind()
                        + " provider failed to validate it: " + e);
            }
        }
        final List<String> sectionProblems = sections.problems(document);
        if (!unknownKinds.isEmpty() || !invalid.isEmpty() || !sectionProblems.isEmpty()) {
            final List<String> problems = new ArrayList<>(unknownKinds);
            problems.addAll(invalid);
            problems.addAll(sectionProblems);
            reject(
                    document.generation(),
                    !unknownKinds.isEmpty()
                            ? REASON_UNKNOWN_KIND
                            : !invalid.isEmpty() ? REASON_INVALID_COMPONENT : REASON_INVALID_DISCOVERY,
                    describe(document.generation()) + " rejected: " + String.join("; ", problems));
            return;
        }
        if (document.reconcile().isDryRun()) {
            dryRun(document);
            return;
        }
        accept(document, payload);
    }

    /** Reports what {@code document} would change, changing nothing: the accepted document stays applied. */
    private void dryRun(final DesiredDocument document) {
        final Map<String, String> hashes = new HashMap<>();
        document.components().forEach(c -> hashes.put(c.name(), c.specHash()));
        plan = plan(document, DependencyOrder.of(document.components()), hashes, true);
        final String message = describe(document.generation()) + " planned as a dry run: " + summary(plan)
                + "; nothing was changed"
                + (accepted == null ? "" : ", generation " + accepted.generation() + " stays applied");
        LOG.info("{}", message);
        observedGeneration = Math.max(observedGeneration, document.generation());
        store.saveObservedGeneration(observedGeneration);
        observedGenerationView = observedGeneration;
        setDesiredAccepted(true, "DryRun", message);
        reporter.event(EVENT_DESIRED_PLANNED, Severity.INFO, null, message);
        reportDirty = true;
    }

    /**
     * The three-way comparison of what was applied (the records), the new document and, for a dry run, what the
     * providers observe now. Observing changes nothing on the host.
     */
    private Plan plan(
            final DesiredDocument document,
            final List<ComponentSpec> order,
            final Map<String, String> hashes,
            final boolean dryRun) {
        final List<Plan.Step> steps = new ArrayList<>();
        final List<ComponentSpec> leaving = records.values().stream()
                .filter(r -> !hashes.containsKey(r.name()) && r.state != ComponentState.REMOVED)
                .map(r -> r.spec)
                .sorted(Comparator.comparing(ComponentSpec::name))
                .toList();
        final List<ComponentSpec> removalOrder = new ArrayList<>(DependencyOrder.of(leaving));
        Collections.reverse(removalOrder);
        for (final ComponentSpec spec : removalOrder) {
            steps.add(new Plan.Step(spec.name(), spec.kind(), "remove", "not in generation " + document.generation()));
        }
        int unchanged = 0;
        for (final ComponentSpec spec : order) {
            final ComponentRecord record = records.get(spec.name());
            if (record == null || record.state == ComponentState.REMOVED) {
                steps.add(new Plan.Step(spec.name(), spec.kind(), "create", "new component"));
            } else if (!record.specHash.equals(hashes.get(spec.name()))) {
                steps.add(new Plan.Step(
                        spec.name(),
                        spec.kind(),
                        "update",
                        record.spec.kind().equals(spec.kind())
                                ? "spec changed"
                                : "kind changes from " + record.spec.kind() + " to " + spec.kind()));
            } else if (!isUp(record.state)) {
                steps.add(new Plan.Step(
                        spec.name(),
                        spec.kind(),
                        "retry",
                        record.state.json() + (record.message.isEmpty() ? "" : ": " + record.message)));
            } else if (dryRun) {
                final Optional<ComponentProvider> provider = providers.provider(spec.kind());
                final Observation observation =
                        provider.isEmpty() ? Observation.inSync() : observe(provider.get(), record);
                if (observation.synced()) {
                    unchanged++;
                } else {
                    steps.add(new Plan.Step(spec.name(), spec.kind(), "repair", observation.detail()));
                }
            } else {
                unchanged++;
            }
        }
        return new Plan(document.generation(), dryRun, steps, unchanged);
    }

    private static String summary(final Plan plan) {
        final Map<String, Integer> counts = new java.util.TreeMap<>();
        plan.steps().forEach(step -> counts.merge(step.action(), 1, Integer::sum));
        final List<String> parts = new ArrayList<>();
        counts.forEach((action, count) -> parts.add(count + " to " + action));
        parts.add(plan.unchanged() + " unchanged");
        return String.join(", ", parts);
    }

    private void reject(final long generation, final String reason, final String message) {
        if (generation > 0) {
            lastRejectedGeneration = generation;
        }
        LOG.warn("{}; keeping generation {}", message, accepted == null ? 0 : accepted.generation());
        setDesiredAccepted(false, reason, message);
        reporter.event(EVENT_DESIRED_REJECTED, Severity.ERROR, null, message);
        reportDirty = true;
    }

    private void accept(final DesiredDocument document, final byte[] payload) {
        // Durable before anything changes on the host: a crash from here on resumes with this document.
        store.saveDesired(
                document.generation(),
                payload,
                accepted != null && rolledBackFrom == 0 && accepted.generation() == lastHealthyGeneration);
        setAccepted(document);
        plan = plan(document, applyOrder, specHashes, false);
        lastRejectedGeneration = -1;
        if (rolledBackFrom != 0) {
            rolledBackFrom = 0;
            store.saveMeta(META_ROLLED_BACK_FROM, 0);
            setRolledBack(false, "Superseded", "generation " + document.generation() + " replaced the rollback");
        }
        final List<String> forgotten = records.values().stream()
                .filter(r -> r.state == ComponentState.REMOVED)
                .map(ComponentRecord::name)
                .toList();
        for (final String name : forgotten) {
            records.remove(name);
            store.deleteApplied(name);
        }
        LOG.info(
                "accepted desired generation {} ({} components)",
                document.generation(),
                document.components().size());
        setDesiredAccepted(true, "Accepted", "desired generation " + document.generation() + " accepted");
        rescheduleDriftChecks();
        converge(Pass.full("desired generation " + document.generation()));
    }

    private void setAccepted(final DesiredDocument document) {
        accepted = document;
        sections.accepted(document);
        applyOrder = DependencyOrder.of(document.components());
        final Map<String, String> hashes = new HashMap<>();
        document.components().forEach(c -> hashes.put(c.name(), c.specHash()));
        specHashes = Map.copyOf(hashes);
    }

    private Tally converge(final Pass pass) {
        final Tally tally = new Tally();
        final DesiredDocument document = accepted;
        if (document == null) {
            if (pass.alwaysReport()) {
                reportDirty = true;
            }
            return tally;
        }
        final List<ComponentSpec> leaving = records.values().stream()
                .filter(r -> !specHashes.containsKey(r.name()) && r.state != ComponentState.REMOVED)
                .map(r -> r.spec)
                .sorted(Comparator.comparing(ComponentSpec::name))
                .toList();
        if (!leaving.isEmpty()) {
            final List<ComponentSpec> removalOrder = new ArrayList<>(DependencyOrder.of(leaving));
            Collections.reverse(removalOrder);
            for (final ComponentSpec spec : removalOrder) {
                remove(records.get(spec.name()), pass, tally);
            }
        }
        for (final ComponentSpec spec : applyOrder) {
            apply(spec, document, pass, tally);
        }
        store.saveGeneration(document.generation(), tally.generationOnly);
        final long worked = rolledBackFrom != 0 ? rolledBackFrom : document.generation();
        final boolean workedThrough = observedGeneration < worked;
        if (workedThrough) {
            observedGeneration = worked;
            store.saveObservedGeneration(observedGeneration);
            observedGenerationView = observedGeneration;
            LOG.info("desired generation {} worked through: {}", observedGeneration, tally.summary());
        }
        if (workedThrough || pass.alwaysReport()) {
            reportDirty = true;
        }
        noteIfFullyHealthy();
        return tally;
    }

    private void apply(final ComponentSpec spec, final DesiredDocument document, final Pass pass, final Tally tally) {
        final String name = spec.name();
        final String hash = specHashes.get(name);
        ComponentRecord record = records.get(name);
        final boolean sameSpec =
                record != null && record.specHash.equals(hash) && record.state != ComponentState.REMOVED;
        if (!sameSpec) {
            if (record == null) {
                record =
                        new ComponentRecord(spec, hash, ComponentState.PENDING, document.generation(), clock.instant());
                records.put(name, record);
            }
            record.spec = spec;
            record.specHash = hash;
            record.failures = 0;
            record.permanentFailure = false;
            record.lastFailure = null;
            record.cancelRetry();
            record.cancelProbe();
        }
        if (sameSpec
                && record.state == ComponentState.FAILED
                && (record.retry != null || record.permanentFailure)
                && !pass.retryNow()) {
            return; // waits for its retry timer, or for a new spec
        }
        final Optional<ComponentProvider> provider = providers.provider(spec.kind());
        if (provider.isEmpty()) {
            // Only after a restart without a provider that was there when the document was accepted.
            record.permanentFailure = true;
            failed(
                    record,
                    "no provider for kind '" + spec.kind() + "' on this node (kinds here: "
                            + String.join(", ", providers.kinds()) + "); install it and restart the agent");
            tally.failed++;
            return;
        }
        if (sameSpec && isUp(record.state)) {
            // Applied before, so its dependencies were met then; a drift is repaired whatever they do now.
            if (record.spec.health() != null && !record.probeArmed) {
                scheduleProbe(record, 0); // after a restart: keep watching it
            }
            if (!pass.observes(name)) {
                touchGeneration(record, document.generation(), tally);
                return;
            }
            tally.observed++;
            final Observation observation = observe(provider.get(), record);
            if (observation.synced()) {
                touchGeneration(record, document.generation(), tally);
                return;
            }
            LOG.info("component {} drifted: {}", name, observation.detail());
            if (!document.reconcile().active()) {
                record.permanentFailure = true;
                failed(
                        record,
                        "drifted: " + observation.detail() + " (reconcile.active is false, so the agent"
                                + " leaves it)");
                tally.failed++;
                return;
            }
            run(record, provider.get(), "repaired drift (" + observation.detail() + "): ", tally);
            return;
        }
        final String blocker = blockingDependency(spec);
        if (blocker != null) {
            transition(record, ComponentState.PENDING, "waiting for " + blocker);
            return;
        }
        run(record, provider.get(), "", tally);
    }

    /** Calls the provider's apply for {@code record}. */
    private void run(
            final ComponentRecord record, final ComponentProvider provider, final String prefix, final Tally tally) {
        record.cancelRetry();
        record.cancelProbe();
        transition(record, ComponentState.APPLYING, "");
        reportIfSlow();
        final String outcome;
        try {
            outcome = provider.apply(record.spec, context(record.name()));
        } catch (final ComponentException e) {
            record.permanentFailure = e.reason() == ComponentException.Reason.INVALID_SPEC;
            failed(record, e.getMessage());
            tally.failed++;
            return;
        } catch (final RuntimeException e) {
            LOG.error("the {} provider failed on component {}", record.spec.kind(), record.name(), e);
            record.permanentFailure = false;
            failed(record, "the " + record.spec.kind() + " provider failed: " + e);
            tally.failed++;
            return;
        }
        tally.applied++;
        final HealthCheck check = record.spec.health();
        if (check == null) {
            healthy(record, prefix + outcome);
            return;
        }
        record.applyOutcome = prefix + outcome;
        record.gateStarted = clock.instant();
        transition(
                record,
                ComponentState.APPLYING,
                record.applyOutcome + "; waiting for " + check.describe() + " to pass"
                        + (check.healthyForSeconds() > 0 ? " for " + check.healthyForSeconds() + " s" : ""));
        scheduleProbe(record, 0);
    }

    /** The component works: healthy, or rolled-back while the node runs a rollback. */
    private void healthy(final ComponentRecord record, final String message) {
        record.failures = 0;
        record.permanentFailure = false;
        record.lastFailure = null;
        if (rolledBackFrom != 0 && accepted != null) {
            transition(
                    record,
                    ComponentState.ROLLED_BACK,
                    message + " (generation " + accepted.generation() + ", after generation " + rolledBackFrom
                            + " failed)");
        } else {
            transition(record, ComponentState.HEALTHY, message);
        }
        LOG.info("component {} {}: {}", record.name(), record.state.json(), record.message);
        reporter.event(EVENT_COMPONENT_HEALTHY, Severity.INFO, record.name(), record.message);
    }

    private static boolean isUp(final ComponentState state) {
        return state == ComponentState.HEALTHY || state == ComponentState.ROLLED_BACK;
    }

    // ---- health gate and monitoring ----

    private void scheduleProbe(final ComponentRecord record, final long delayMillis) {
        record.cancelProbe();
        record.probeArmed = true;
        final String name = record.name();
        final long token = record.probeToken;
        record.probeTimer =
                thread.schedule(guarded(() -> probeDue(name, token)), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    /** Re-arms probing without resetting the gate's progress. */
    private void nextProbe(final ComponentRecord record, final long delayMillis) {
        final String name = record.name();
        final long token = record.probeToken;
        record.probeTimer =
                thread.schedule(guarded(() -> probeDue(name, token)), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    private @Nullable ComponentRecord probed(final String name, final long token) {
        final ComponentRecord record = records.get(name);
        if (record == null
                || record.probeToken != token
                || record.spec.health() == null
                || !(record.state == ComponentState.APPLYING || isUp(record.state))) {
            return null;
        }
        return record;
    }

    private void probeDue(final String name, final long token) {
        final ComponentRecord record = probed(name, token);
        if (record == null) {
            return;
        }
        record.probeTimer = null;
        final HealthCheck check = record.spec.health();
        final Optional<ComponentProvider> provider = providers.provider(record.spec.kind());
        if (provider.isPresent()) {
            final Observation observation = observe(provider.get(), record);
            if (!observation.synced()) {
                probeResult(name, token, new HealthProbe.Result(false, observation.detail()));
                return;
            }
        }
        if (check.tcp() == null && check.http() == null && check.command() == null) {
            probeResult(name, token, new HealthProbe.Result(true, ""));
            return;
        }
        try {
            probes.execute(() -> {
                final HealthProbe.Result result = probe.run(check);
                submit(() -> probeResult(name, token, result));
            });
        } catch (final RejectedExecutionException e) {
            LOG.debug("the probe thread is closed; not probing {}", name);
        }
    }

    private void probeResult(final String name, final long token, final HealthProbe.Result result) {
        final ComponentRecord record = probed(name, token);
        if (record == null) {
            return;
        }
        final HealthCheck check = record.spec.health();
        final Instant now = clock.instant();
        final long interval = TimeUnit.SECONDS.toMillis(check.intervalSeconds());
        if (record.state == ComponentState.APPLYING) {
            final long elapsed = Duration.between(record.gateStarted, now).toMillis();
            final long startTimeout = TimeUnit.SECONDS.toMillis(check.startTimeoutSeconds());
            if (result.passed()) {
                if (record.passingSince == null) {
                    record.passingSince = now;
                }
                final long passed = Duration.between(record.passingSince, now).toMillis();
                final long needed = TimeUnit.SECONDS.toMillis(check.healthyForSeconds());
                if (passed >= needed) {
                    healthy(
                            record,
                            record.applyOutcome + "; " + check.describe() + " passed"
                                    + (needed > 0 ? " for " + check.healthyForSeconds() + " s" : ""));
                    nextProbe(record, interval);
                    // Dependents waited for this one; and the generation may now be fully healthy.
                    converge(Pass.retry());
                    return;
                }
                nextProbe(record, Math.min(interval, needed - passed));
                return;
            }
            record.passingSince = null;
            if (elapsed >= startTimeout) {
                failed(
                        record,
                        "not healthy within " + check.startTimeoutSeconds() + " s of being applied: "
                                + result.detail());
                return;
            }
            transition(
                    record,
                    ComponentState.APPLYING,
                    record.applyOutcome + "; waiting for " + check.describe() + " to pass (last probe: "
                            + result.detail() + ")");
            nextProbe(record, Math.min(interval, startTimeout - elapsed));
            return;
        }
        if (result.passed()) {
            record.probeFailures = 0;
            nextProbe(record, interval);
            return;
        }
        record.probeFailures++;
        if (record.probeFailures >= check.failureThreshold()) {
            failed(record, "unhealthy: " + result.detail() + " (" + record.probeFailures + " failed probes in a row)");
            return;
        }
        LOG.info(
                "component {}: probe {} of {} failed: {}",
                name,
                record.probeFailures,
                check.failureThreshold(),
                result.detail());
        nextProbe(record, interval);
    }

    // ---- rollback ----

    /** Remembers the accepted document as the rollback target once every component in it is healthy. */
    private void noteIfFullyHealthy() {
        final DesiredDocument document = accepted;
        if (document == null || rolledBackFrom != 0 || document.generation() == lastHealthyGeneration) {
            return;
        }
        for (final ComponentSpec spec : document.components()) {
            final ComponentRecord record = records.get(spec.name());
            if (record == null || record.state != ComponentState.HEALTHY) {
                return;
            }
        }
        // Kept in memory only: the stored document becomes the rollback target when the next one replaces it.
        lastHealthyGeneration = document.generation();
        LOG.info("desired generation {} is fully healthy; it is the rollback target now", document.generation());
    }

    /** After a failure: rolls the node back when the document asks for it and the retry budget is spent. */
    private void considerRollback(final ComponentRecord record, final String message) {
        final DesiredDocument document = accepted;
        if (document == null
                || document.reconcile().rollback() == null
                || rolledBackFrom != 0
                || document.generation() == lastHealthyGeneration
                || !specHashes.containsKey(record.name())) {
            return;
        }
        if (!record.permanentFailure
                && record.failures < document.reconcile().rollback().afterFailures()) {
            return;
        }
        final long generation = document.generation();
        final String component = record.name();
        submit(() -> rollBack(generation, component, message));
    }

    private void rollBack(final long generation, final String component, final String failure) {
        if (accepted == null || accepted.generation() != generation || rolledBackFrom != 0) {
            return;
        }
        final Optional<DesiredDocument> target = lastHealthyDocument();
        if (target.isEmpty()) {
            if (rollbackImpossibleReported != generation) {
                rollbackImpossibleReported = generation;
                final String message = "generation " + generation + " failed (" + component + ": " + failure
                        + "), but no earlier generation was fully healthy, so there is nothing to return to; the"
                        + " agent keeps retrying";
                LOG.error("{}", message);
                setRolledBack(false, "NoHealthyGeneration", message);
                reporter.event(EVENT_ROLLBACK_IMPOSSIBLE, Severity.ERROR, component, message);
                reportDirty = true;
            }
            return;
        }
        final DesiredDocument healthy = target.get();
        final String message = "generation " + generation + " failed (" + component + ": " + failure
                + "); returned to generation " + healthy.generation();
        LOG.error("{}", message);
        failedGeneration = generation;
        store.saveMeta(META_FAILED_GENERATION, generation);
        rolledBackFrom = generation;
        store.saveMeta(META_ROLLED_BACK_FROM, generation);
        setRolledBack(true, "GenerationFailed", message);
        reporter.event(EVENT_DESIRED_ROLLED_BACK, Severity.ERROR, component, message);
        store.saveDesired(healthy.generation(), codec.encode(healthy, MessageType.DESIRED), false);
        setAccepted(healthy);
        rescheduleDriftChecks();
        converge(Pass.full("rollback to generation " + healthy.generation()));
    }

    private Optional<DesiredDocument> lastHealthyDocument() {
        final Optional<byte[]> stored = store.lastHealthy();
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(codec.decode(stored.get(), MessageType.DESIRED));
        } catch (final ProtocolException e) {
            LOG.warn("the stored last healthy desired document no longer validates: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private void setRolledBack(final boolean status, final String reason, final String message) {
        final Instant since =
                rolledBack != null && rolledBack.status() == status ? rolledBack.lastTransition() : clock.instant();
        rolledBack = new Condition(Condition.ROLLED_BACK, status, reason, message, since);
        store.saveCondition(rolledBack);
        reportDirty = true;
    }

    private void remove(final ComponentRecord record, final Pass pass, final Tally tally) {
        if (record.state == ComponentState.FAILED
                && (record.retry != null || record.permanentFailure)
                && !pass.retryNow()) {
            return;
        }
        final Optional<ComponentProvider> provider = providers.provider(record.spec.kind());
        if (provider.isEmpty()) {
            record.permanentFailure = true;
            failed(record, "cannot remove: no provider for kind '" + record.spec.kind() + "' on this node");
            tally.failed++;
            return;
        }
        record.cancelRetry();
        record.cancelProbe();
        reportIfSlow();
        try {
            provider.get().remove(record.spec, context(record.name()));
        } catch (final ComponentException e) {
            record.permanentFailure = false;
            failed(record, "cannot remove: " + e.getMessage());
            tally.failed++;
            return;
        } catch (final RuntimeException e) {
            LOG.error("the {} provider failed to remove component {}", record.spec.kind(), record.name(), e);
            record.permanentFailure = false;
            failed(record, "cannot remove: the " + record.spec.kind() + " provider failed: " + e);
            tally.failed++;
            return;
        }
        deleteStateDirectory(record.name());
        contexts.remove(record.name());
        record.outputs = JsonNodeFactory.instance.objectNode();
        record.failures = 0;
        record.lastFailure = null;
        transition(record, ComponentState.REMOVED, "removed");
        tally.removed++;
        LOG.info("component {} removed", record.name());
        reporter.event(EVENT_COMPONENT_REMOVED, Severity.INFO, record.name(), "removed");
    }

    /** Marks a component failed, emits an event unless it failed the same way last time, and schedules a retry. */
    private void failed(final ComponentRecord record, final String message) {
        record.failures++;
        record.cancelProbe();
        transition(record, ComponentState.FAILED, message);
        if (!message.equals(record.lastFailure)) {
            reporter.event(EVENT_COMPONENT_FAILED, Severity.ERROR, record.name(), message);
        }
        record.lastFailure = message;
        considerRollback(record, message);
        if (record.permanentFailure) {
            LOG.warn("component {} failed: {}; it stays failed until its spec changes", record.name(), message);
            return;
        }
        final Duration delay = settings.retryBackoff().delay(record.failures - 1);
        final String name = record.name();
        record.retry = thread.schedule(guarded(() -> retryDue(name)), delay.toMillis(), TimeUnit.MILLISECONDS);
        LOG.warn("component {} failed: {}; retrying in {} ms", name, message, delay.toMillis());
    }

    private void retryDue(final String name) {
        final ComponentRecord record = records.get(name);
        if (record == null || record.state != ComponentState.FAILED) {
            return;
        }
        record.retry = null;
        converge(Pass.retry());
    }

    private Observation observe(final ComponentProvider provider, final ComponentRecord record) {
        reportIfSlow();
        try {
            return provider.observe(record.spec, context(record.name()));
        } catch (final ComponentException e) {
            return Observation.drifted(e.getMessage());
        } catch (final RuntimeException e) {
            LOG.error("the {} provider failed to observe component {}", record.spec.kind(), record.name(), e);
            return Observation.drifted("the " + record.spec.kind() + " provider failed to observe it: " + e);
        }
    }

    private @Nullable String blockingDependency(final ComponentSpec spec) {
        for (final String dependency : spec.dependsOn()) {
            final ComponentRecord record = records.get(dependency);
            if (record == null || !isUp(record.state)) {
                return "'" + dependency + "' (" + (record == null ? "not applied" : record.state.json()) + ")";
            }
        }
        return null;
    }

    private void transition(final ComponentRecord record, final ComponentState state, final String message) {
        final long generation = accepted == null ? record.generation : accepted.generation();
        if (record.state == state && record.message.equals(message) && record.generation == generation) {
            return;
        }
        if (record.state != state) {
            record.lastTransition = clock.instant();
        }
        record.state = state;
        record.message = message;
        record.generation = generation;
        final boolean stored = record.specHash.equals(record.storedSpecHash)
                && store.saveState(record.name(), state, message, generation, record.lastTransition);
        if (!stored) {
            store.saveApplied(record.applied());
            record.storedSpecHash = record.specHash;
        }
        reportDirty = true;
    }

    /** An unchanged component carried over to a new generation: stored with the others at the end of the pass. */
    private static void touchGeneration(final ComponentRecord record, final long generation, final Tally tally) {
        if (record.generation != generation) {
            record.generation = generation;
            tally.generationOnly.add(record.name());
        }
    }

    private void setDesiredAccepted(final boolean status, final String reason, final String message) {
        final Instant since = desiredAccepted != null && desiredAccepted.status() == status
                ? desiredAccepted.lastTransition()
                : clock.instant();
        desiredAccepted = new Condition(Condition.DESIRED_ACCEPTED, status, reason, message, since);
        store.saveCondition(desiredAccepted);
    }

    /** Before a provider call: reports the progress of a pass that has run for a while. */
    private void reportIfSlow() {
        if (reportDirty && System.nanoTime() - lastReportNanos >= SLOW_PASS_REPORT_INTERVAL.toNanos()) {
            report();
        }
    }

    private void reportIfDirty() {
        if (reportDirty) {
            report();
        }
    }

    private void report() {
        reportDirty = false;
        lastReportNanos = System.nanoTime();
        final List<Condition> conditions = new ArrayList<>(2);
        if (desiredAccepted != null) {
            conditions.add(desiredAccepted);
        }
        if (rolledBack != null) {
            conditions.add(rolledBack);
        }
        reporter.report(
                observedGeneration,
                orderedRecords().map(ComponentRecord::status).toList(),
                conditions,
                plan);
    }

    /** Components of the accepted document in its order, then the others (removed, leaving) by name. */
    private Stream<ComponentRecord> orderedRecords() {
        final List<ComponentRecord> out = new ArrayList<>(records.size());
        if (accepted != null) {
            for (final ComponentSpec spec : accepted.components()) {
                final ComponentRecord record = records.get(spec.name());
                if (record != null) {
                    out.add(record);
                }
            }
        }
        records.values().stream()
                .filter(r -> !specHashes.containsKey(r.name()))
                .sorted(Comparator.comparing(ComponentRecord::name))
                .forEach(out::add);
        return out.stream();
    }

    private ComponentContext context(final String name) {
        return contexts.computeIfAbsent(
                name,
                n -> new ComponentContext(
                        settings.node(),
                        n,
                        settings.componentStateRoot().resolve(n),
                        this::requestReconcile,
                        this::setOutputs,
                        services,
                        reporter,
                        codec));
    }

    /**
     * A provider's new outputs for a component. Providers call this from their apply or observe, on this thread;
     * a call from elsewhere is handed over to it.
     */
    private void setOutputs(final String name, final ObjectNode outputs) {
        if (Thread.currentThread() != reconcilerThread) {
            submit(() -> setOutputs(name, outputs));
            return;
        }
        final ComponentRecord record = records.get(name);
        if (record == null || record.outputs.equals(outputs)) {
            return;
        }
        record.outputs = outputs;
        if (record.specHash.equals(record.storedSpecHash)) {
            store.saveOutputs(name, outputs);
        }
        reportDirty = true;
    }

    private void deleteStateDirectory(final String name) {
        final Path directory = settings.componentStateRoot().resolve(name);
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (final IOException e) {
            LOG.warn("cannot delete the state directory {} of removed component {}: {}", directory, name, e.toString());
        }
    }

    private void rescheduleDriftChecks() {
        if (driftTimer != null) {
            driftTimer.cancel(false);
            driftTimer = null;
        }
        if (accepted == null || !accepted.reconcile().active()) {
            return;
        }
        final long millis = settings.intervalOverride() != null
                ? settings.intervalOverride().toMillis()
                : TimeUnit.SECONDS.toMillis(accepted.reconcile().intervalSeconds());
        driftTimer = thread.scheduleWithFixedDelay(
                guarded(() -> converge(Pass.drift())), millis, millis, TimeUnit.MILLISECONDS);
    }

    private boolean belongsHere(final DesiredDocument document) {
        return settings.tenant().equals(document.tenant()) && settings.node().equals(document.node());
    }

    private long generationOf(final byte[] payload) {
        try {
            return codec.readTree(payload).path("generation").asLong(-1);
        } catch (final ProtocolException e) {
            return -1;
        }
    }

    private static String describe(final long generation) {
        return generation > 0 ? "desired generation " + generation : "a desired document (generation unknown)";
    }

    private boolean submit(final Runnable task) {
        try {
            thread.execute(guarded(task));
            return true;
        } catch (final RejectedExecutionException e) {
            LOG.debug("the reconciler is closed; dropping work");
            return false;
        }
    }

    /**
     * Wraps every task of the reconciler thread: enqueues the one report of the task at its end, and logs what
     * escapes (an executor would keep the exception in a future nobody reads, and a periodic task that throws is
     * never run again).
     */
    private Runnable guarded(final Runnable task) {
        return () -> {
            lastReportNanos = System.nanoTime();
            try {
                task.run();
            } catch (final RuntimeException e) {
                LOG.error("reconciler task failed: {}", e.toString(), e);
            }
            try {
                reportIfDirty();
            } catch (final RuntimeException e) {
                LOG.error("reporting failed: {}", e.toString(), e);
            }
        };
    }
}
