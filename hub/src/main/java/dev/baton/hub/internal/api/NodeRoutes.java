package dev.baton.hub.internal.api;

import dev.baton.hub.internal.desired.DesiredStateService;
import dev.baton.hub.internal.desired.ReportSignals;
import dev.baton.hub.internal.store.DeviceStore;
import dev.baton.hub.internal.store.EventRecord;
import dev.baton.hub.internal.store.HubStore;
import dev.baton.hub.internal.store.NodeWithDesired;
import dev.baton.hub.internal.store.PutDesiredOutcome;
import dev.baton.protocol.DesiredSpec;
import dev.baton.protocol.Event;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.ReportedState;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.annotations.NotNull;

/**
 * {@code /api/v1/tenants/{tenant}/nodes…}: node listing and detail, desired state, events. Handlers run on the event
 * loop and return stages that complete on the store thread.
 */
final class NodeRoutes {

    static final int DEFAULT_EVENT_LIMIT = 100;
    /** The events that make a node's rollback history in its detail view, newest first. */
    static final List<String> ROLLBACK_EVENTS = List.of(Event.DESIRED_ROLLED_BACK, Event.DESIRED_ROLLBACK_IMPOSSIBLE);

    static final int ROLLBACK_HISTORY = 20;
    static final int MAX_EVENT_LIMIT = HubStore.MAX_EVENTS_PER_NODE;

    static final String WAIT_FOR_GENERATION = "waitForGeneration";
    static final String WAIT_HEADER = "Baton-Wait";
    static final int DEFAULT_WAIT_SECONDS = 30;
    static final int MAX_WAIT_SECONDS = 300;
    /** Requests waiting at once on this hub; each holds a connection and little else. */
    static final int MAX_WAITING = 1024;
    /** How often a waiting request reads the store again without a signal (reports stored by another hub). */
    static final Duration RECHECK = Duration.ofSeconds(1);

    private final HubStore store;
    private final DeviceStore devices;
    private final DesiredStateService desired;
    private final MessageCodec codec;
    private final TenantAccess tenants;
    private final NodeViews views;
    private final ReportSignals signals;
    private final AtomicInteger waiting = new AtomicInteger();

    NodeRoutes(
            final @NotNull HubStore store,
            final @NotNull DeviceStore devices,
            final @NotNull DesiredStateService desired,
            final @NotNull MessageCodec codec,
            final @NotNull TenantAccess tenants,
            final @NotNull ReportSignals signals) {
        this.store = store;
        this.signals = signals;
        this.devices = devices;
        this.desired = desired;
        this.codec = codec;
        this.tenants = tenants;
        this.views = new NodeViews(codec);
    }

    /** {@code GET …/nodes}. */
    @NotNull
    CompletionStage<Reply> list(final @NotNull RoutingContext context) {
        final String tenant = tenants.require(context);
        // Decoding every node's report takes ~100 ms at 10,000 nodes: not on the store thread, where it would hold up
        // ingest and writes, and not on the event loop either, but on a worker.
        return store.listNodes(tenant)
                .thenApplyAsync(
                        nodes -> Reply.ok(new ApiViews.NodeList(
                                nodes.stream().map(views::summary).toList())),
                        work -> context.vertx()
                                .executeBlocking(
                                        () -> {
                                            work.run();
                                            return null;
                                        },
                                        false));
    }

    /**
     * {@code GET …/nodes/{node}} with {@code ETag: "<desired generation>"}. With {@code ?waitForGeneration=G} the
     * answer waits until the node has worked through generation G and settled (no component {@code pending} or {@code
     * applying}), or until {@code timeout} seconds passed; header {@code Baton-Wait} says which ({@code settled} or
     * {@code timeout}).
     */
    @NotNull
    CompletionStage<Reply> detail(final @NotNull RoutingContext context) {
        final String tenant = tenants.require(context);
        final String node = Requests.node(context);
        if (context.queryParam(WAIT_FOR_GENERATION).isEmpty()) {
            return readDetail(tenant, node);
        }
        final long generation = Requests.longQuery(context, WAIT_FOR_GENERATION, 1, Long.MAX_VALUE);
        final int timeoutSeconds = Requests.intQuery(context, "timeout", DEFAULT_WAIT_SECONDS, 1, MAX_WAIT_SECONDS);
        if (waiting.incrementAndGet() > MAX_WAITING) {
            waiting.decrementAndGet();
            throw new ApiException(
                    503,
                    "TOO_MANY_WAITS",
                    "this hub already holds " + MAX_WAITING + " waiting requests; retry later, or poll without"
                            + " waitForGeneration",
                    Map.of());
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        final CompletionStage<Reply> answer = awaitSettled(tenant, node, generation, deadline, true);
        answer.whenComplete((ignored, error) -> waiting.decrementAndGet());
        return answer;
    }

    private CompletionStage<Reply> awaitSettled(
            final String tenant, final String node, final long generation, final long deadline, final boolean first) {
        // Taken before reading, so that a report stored while we read wakes us.
        final CompletableFuture<Void> nextReport = signals.next(tenant, node);
        return store.findNodeWithDesired(tenant, node, ROLLBACK_EVENTS, ROLLBACK_HISTORY)
                .thenCompose(found -> {
                    final NodeWithDesired record = found.orElseThrow(() -> nodeNotFound(tenant, node));
                    if (first && generation > record.node().desiredGeneration()) {
                        throw ApiException.badRequest("waitForGeneration " + generation + " is above the desired"
                                + " generation of " + tenant + '/' + node + " ("
                                + record.node().desiredGeneration()
                                + "), so it would never arrive; pass the generation PUT …/desired answered");
                    }
                    final Optional<ReportedState> reported = views.reported(record.node());
                    final boolean settled = NodeViews.settled(record.node(), reported, generation);
                    final long remaining = deadline - System.nanoTime();
                    if (settled || remaining <= 0) {
                        return render(tenant, node, record, reported)
                                .thenApply(reply -> reply.withHeader(WAIT_HEADER, settled ? "settled" : "timeout"));
                    }
                    // Woken by this hub's ingest at once; re-read at least every RECHECK for reports that another
                    // hub stored.
                    final long wait = Math.min(remaining, RECHECK.toNanos());
                    return nextReport
                            .copy()
                            .completeOnTimeout(null, wait, TimeUnit.NANOSECONDS)
                            .thenCompose(ignored -> awaitSettled(tenant, node, generation, deadline, false));
                });
    }

    private CompletionStage<Reply> readDetail(final String tenant, final String node) {
        return store.findNodeWithDesired(tenant, node, ROLLBACK_EVENTS, ROLLBACK_HISTORY)
                .thenCompose(found -> {
                    final NodeWithDesired record = found.orElseThrow(() -> nodeNotFound(tenant, node));
                    return render(tenant, node, record, views.reported(record.node()));
                });
    }

    /** The node's detail view, with its reported state decoded once by the caller. */
    private CompletionStage<Reply> render(
            final String tenant,
            final String node,
            final NodeWithDesired record,
            final Optional<ReportedState> reported) {
        return devices.nodeInventory(tenant, node).thenApply(inventory -> Reply.ok(views.detail(
                        record.node(),
                        reported,
                        record.desired(),
                        inventory,
                        record.history().stream().map(NodeRoutes::view).toList()))
                .withHeader("ETag", Reply.etag(record.node().desiredGeneration())));
    }

    /** {@code GET …/nodes/{node}/desired}: the current document, with its generation as ETag. */
    @NotNull
    CompletionStage<Reply> getDesired(final @NotNull RoutingContext context) {
        final String tenant = tenants.require(context);
        final String node = Requests.node(context);
        return desired.current(tenant, node).thenApply(found -> {
            final var record = found.orElseThrow(() -> ApiException.notFound(
                    "DESIRED_NOT_FOUND",
                    "node " + tenant + '/' + node + " has no desired state yet; set it with PUT …/nodes/" + node
                            + "/desired or `baton desired set " + node + " FILE`"));
            return new Reply(200, record.documentJson().getBytes(StandardCharsets.UTF_8), Map.of())
                    .withHeader("ETag", Reply.etag(record.generation()));
        });
    }

    /**
     * {@code PUT …/nodes/{node}/desired}: body {@code {"components": […], "reconcile": {…}}}; optional {@code
     * If-Match: "N"} makes it a compare-and-set (409 {@code GENERATION_CONFLICT} with {@code currentGeneration}).
     */
    @NotNull
    CompletionStage<Reply> putDesired(final @NotNull RoutingContext context) {
        final String tenant = tenants.require(context);
        final String node = Requests.node(context);
        final OptionalLong expected = Requests.ifMatchGeneration(context);
        final DesiredSpec spec = codec.decode(Requests.body(context), MessageType.DESIRED_SPEC);
        return desired.put(tenant, node, spec, expected).thenApply(outcome -> {
            if (outcome instanceof PutDesiredOutcome.Conflict conflict) {
                throw new ApiException(
                        409,
                        "GENERATION_CONFLICT",
                        "desired state of " + tenant + '/' + node + " is at generation " + conflict.currentGeneration()
                                + ", not " + expected.getAsLong() + " as If-Match requires; GET it again, apply your"
                                + " change to it and retry with If-Match: \"" + conflict.currentGeneration() + '"',
                        Map.of("currentGeneration", conflict.currentGeneration()));
            }
            final long generation =
                    ((PutDesiredOutcome.Stored) outcome).record().generation();
            return Reply.ok(new ApiViews.Generation(generation)).withHeader("ETag", Reply.etag(generation));
        });
    }

    /** {@code GET …/nodes/{node}/events?limit=N}: newest first. */
    @NotNull
    CompletionStage<Reply> events(final @NotNull RoutingContext context) {
        final String tenant = tenants.require(context);
        final String node = Requests.node(context);
        final int limit = Requests.intQuery(context, "limit", DEFAULT_EVENT_LIMIT, 1, MAX_EVENT_LIMIT);
        return store.listEvents(tenant, node, limit).thenApply(found -> {
            final List<EventRecord> events = found.orElseThrow(() -> nodeNotFound(tenant, node));
            return Reply.ok(
                    new ApiViews.EventList(events.stream().map(NodeRoutes::view).toList()));
        });
    }

    private static ApiViews.EventView view(final EventRecord event) {
        return new ApiViews.EventView(
                event.seq(),
                event.bootId(),
                event.timestamp(),
                event.type(),
                event.severity(),
                event.component(),
                event.message());
    }

    private static ApiException nodeNotFound(final String tenant, final String node) {
        return ApiException.notFound(
                "NODE_NOT_FOUND",
                "node '" + node + "' does not exist in tenant '" + tenant + "'; enroll it, or list nodes with"
                        + " `baton nodes`");
    }
}
