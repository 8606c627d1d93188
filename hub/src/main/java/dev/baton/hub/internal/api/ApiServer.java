package dev.baton.hub.internal.api;

import dev.baton.hub.HubStartException;
import dev.baton.hub.internal.desired.DesiredStateService;
import dev.baton.hub.internal.desired.ReportSignals;
import dev.baton.hub.internal.enroll.EnrollmentService;
import dev.baton.hub.internal.security.ApiTokens;
import dev.baton.hub.internal.store.ArtifactTable;
import dev.baton.hub.internal.store.DeviceStore;
import dev.baton.hub.internal.store.HubStore;
import dev.baton.protocol.Limits;
import dev.baton.protocol.MessageCodec;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API on Vert.x Web. Every answer is JSON; errors are {@code {"error": …, "reason": …}}.
 *
 * <pre>
 * GET  /healthz                                         no auth
 * POST /api/v1/enroll                                   no auth (the body's token authenticates)
 * POST /api/v1/tenants/{t}/enrollment-tokens            bearer
 * GET  /api/v1/tenants/{t}/nodes                        bearer
 * GET  /api/v1/tenants/{t}/nodes/{n}                    bearer
 * GET  /api/v1/tenants/{t}/nodes/{n}/desired            bearer
 * PUT  /api/v1/tenants/{t}/nodes/{n}/desired            bearer
 * GET  /api/v1/tenants/{t}/nodes/{n}/events?limit=N     bearer
 * GET  /api/v1/tenants/{t}/devices                      bearer (?kind=&node=&state=&property=k=glob&limit=&after=)
 * GET  /api/v1/tenants/{t}/devices/{id}                 bearer (id percent-encoded)
 * POST /api/v1/tenants/{t}/artifacts?name=&sha256=       bearer (raw body, streamed; 201 with the SHA-256)
 * GET  /api/v1/tenants/{t}/artifacts                    bearer
 * GET  /api/v1/tenants/{t}/artifacts/{sha256}           bearer, or the node's MQTT credentials (Basic); Range
 * DELETE /api/v1/tenants/{t}/artifacts/{sha256}         bearer (409 while a desired document names it)
 * </pre>
 *
 * <p>Threading: handlers run on the Vert.x event loop and never block it; database work goes to the store thread.
 */
public final class ApiServer implements AutoCloseable {

    /** Largest request body read; desired documents are the largest bodies (a little over their protocol limit). */
    public static final int MAX_BODY_BYTES = Limits.MAX_DESIRED_BYTES + 64 * 1024;

    /** Largest body of the enrollment and token endpoints, twice an enrollment request's protocol limit. */
    public static final int SMALL_BODY_BYTES = 2 * Limits.MAX_ENROLLMENT_BYTES;

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final long TIMEOUT_SECONDS = 30;
    private static final String BODY_LIMIT_KEY = "baton.bodyLimitBytes";

    /** What the routes need. */
    public record Dependencies(
            @NotNull HubStore store,
            @NotNull DeviceStore devices,
            @NotNull ArtifactTable artifacts,
            @NotNull Path artifactDirectory,
            long maxArtifactBytes,
            @NotNull MessageCodec codec,
            @NotNull Collection<String> tenants,
            @NotNull ApiTokens tokens,
            @NotNull String tokenHint,
            @NotNull EnrollmentService enrollment,
            @NotNull DesiredStateService desired,
            @NotNull ReportSignals reportSignals,
            @NotNull HubHealth health,
            @Nullable URI advertisedMqttUri,
            @NotNull IntSupplier mqttPort) {}

    private final HttpServer server;

    private ApiServer(final HttpServer server) {
        this.server = server;
    }

    /**
     * Starts listening; blocks until bound, so call it off the event loop.
     *
     * @throws HubStartException when the port is taken or the server does not start
     */
    public static @NotNull ApiServer start(
            final @NotNull Vertx vertx, final @NotNull String host, final int port, final @NotNull Dependencies deps) {
        final Router router = router(vertx, deps);
        final HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setReuseAddress(true)
                .setMaxHeaderSize(16 * 1024));
        try {
            server.requestHandler(router)
                    .listen()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final ExecutionException e) {
            final Throwable cause = e.getCause();
            final boolean inUse = cause instanceof BindException
                    || cause != null && String.valueOf(cause.getMessage()).contains("Address already in use");
            throw new HubStartException(
                    inUse ? HubStartException.Reason.PORT_IN_USE : HubStartException.Reason.HTTP_FAILED,
                    "cannot listen for HTTP on " + host + ':' + port + ": " + cause.getMessage()
                            + (inUse ? "; stop whatever uses the port or choose another one" : ""),
                    cause);
        } catch (final TimeoutException e) {
            throw new HubStartException(
                    HubStartException.Reason.HTTP_FAILED, "the HTTP server did not start within 30 s", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubStartException(
                    HubStartException.Reason.INTERRUPTED, "interrupted while starting the HTTP server", e);
        }
        log.info("REST API listening on http://{}:{}", host, server.actualPort());
        return new ApiServer(server);
    }

    public int port() {
        return server.actualPort();
    }

    /** Stops accepting requests and closes open connections; blocks up to 30 s. */
    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            log.warn("the HTTP server did not close cleanly: {}", e.toString());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Router router(final Vertx vertx, final Dependencies deps) {
        final ApiResponder responder = new ApiResponder(deps.codec());
        final TenantAccess tenants = new TenantAccess(new TenantDirectory(deps.tenants()));
        final NodeRoutes nodes = new NodeRoutes(
                deps.store(), deps.devices(), deps.desired(), deps.codec(), tenants, deps.reportSignals());
        final DeviceRoutes devices = new DeviceRoutes(deps.devices(), deps.codec(), tenants);
        final ArtifactRoutes artifacts = new ArtifactRoutes(
                deps.artifacts(), deps.artifactDirectory(), deps.maxArtifactBytes(), tenants, responder);
        final EnrollmentRoutes enrollment = new EnrollmentRoutes(
                deps.enrollment(), deps.codec(), tenants, deps.advertisedMqttUri(), deps.mqttPort());
        final Handler<RoutingContext> body = bodyUpTo(MAX_BODY_BYTES);
        // The enrollment endpoint is open to anyone; it reads no more than an enrollment request may be.
        final Handler<RoutingContext> smallBody = bodyUpTo(SMALL_BODY_BYTES);
        final String tenantPath = "/api/v1/tenants/:tenant";

        final Router router = Router.router(vertx);
        router.get("/healthz").handler(context -> health(context, deps.health(), responder));
        router.post("/api/v1/enroll").handler(smallBody).handler(responder.route(enrollment::enroll));
        // Authenticate before reading a body, so that strangers cannot make the hub buffer megabytes.
        router.route("/api/v1/tenants/*")
                .handler(new BearerAuth(deps.tokens(), responder, deps.tokenHint(), deps.store()));
        router.post(tenantPath + "/enrollment-tokens")
                .handler(smallBody)
                .handler(responder.route(enrollment::createToken));
        router.get(tenantPath + "/nodes").handler(responder.route(nodes::list));
        router.get(tenantPath + "/nodes/:node").handler(responder.route(nodes::detail));
        router.get(tenantPath + "/nodes/:node/desired").handler(responder.route(nodes::getDesired));
        router.put(tenantPath + "/nodes/:node/desired").handler(body).handler(responder.route(nodes::putDesired));
        router.get(tenantPath + "/nodes/:node/events").handler(responder.route(nodes::events));
        router.get(tenantPath + "/devices").handler(responder.route(devices::list));
        router.get(tenantPath + "/devices/:id").handler(responder.route(devices::detail));
        // Uploads stream to disk as they arrive: no body handler buffers them.
        router.post(tenantPath + "/artifacts").handler(responder.route(artifacts::upload));
        router.get(tenantPath + "/artifacts").handler(responder.route(artifacts::list));
        router.get(tenantPath + "/artifacts/:sha256").handler(artifacts::download);
        router.delete(tenantPath + "/artifacts/:sha256").handler(responder.route(artifacts::delete));

        router.errorHandler(
                404,
                context -> responder.fail(
                        context,
                        ApiException.notFound(
                                "NOT_FOUND",
                                "no such endpoint: " + context.request().method() + ' '
                                        + context.request().path()
                                        + "; the API lives under /api/v1/tenants/{tenant}/…")));
        router.errorHandler(
                405,
                context -> responder.fail(
                        context,
                        new ApiException(
                                405,
                                "METHOD_NOT_ALLOWED",
                                context.request().method() + " is not supported on "
                                        + context.request().path())));
        router.errorHandler(
                413,
                context -> responder.fail(
                        context,
                        new ApiException(
                                413,
                                "TOO_LARGE",
                                "the request body must not exceed " + bodyLimit(context) + " bytes")));
        router.errorHandler(
                400,
                context -> responder.fail(
                        context,
                        context.failure() instanceof ApiException api
                                ? api
                                : ApiException.badRequest("the request could not be read"
                                        + (context.failure() == null
                                                ? ""
                                                : ": " + context.failure().getMessage()))));
        router.errorHandler(500, context -> responder.fail(context, failure(context)));
        return router;
    }

    /** Reads the body, refusing one over {@code limit} bytes with 413; remembers the limit for the 413 answer. */
    private static Handler<RoutingContext> bodyUpTo(final int limit) {
        final BodyHandler body = BodyHandler.create(false).setBodyLimit(limit);
        return context -> {
            context.put(BODY_LIMIT_KEY, limit);
            body.handle(context);
        };
    }

    /** The body limit of the route that refused the request. */
    private static int bodyLimit(final RoutingContext context) {
        final Integer limit = context.get(BODY_LIMIT_KEY);
        return limit == null ? MAX_BODY_BYTES : limit;
    }

    private static Throwable failure(final RoutingContext context) {
        return context.failure() != null
                ? context.failure()
                : new IllegalStateException("request failed with status " + context.statusCode());
    }

    private static void health(final RoutingContext context, final HubHealth health, final ApiResponder responder) {
        final Map<String, Boolean> checks = health.checks();
        final boolean healthy = HubHealth.allUp(checks);
        responder.reply(
                context,
                new Reply(
                        healthy ? 200 : 503,
                        new ApiViews.Health(healthy ? "ok" : "unavailable", checks),
                        Map.of("Cache-Control", "no-store")));
    }
}
