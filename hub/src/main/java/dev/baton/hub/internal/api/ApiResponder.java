package dev.baton.hub.internal.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.baton.hub.internal.enroll.EnrollmentRefusedException;
import dev.baton.hub.internal.store.StoreException;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs API handlers and writes their JSON answers and errors.
 *
 * <p>Threading: handlers start on the Vert.x event loop and return a {@link CompletionStage} (usually completing on
 * the store thread); the answer is written back on the request's event-loop context, never from another thread.
 */
final class ApiResponder {

    /** A route's work. */
    @FunctionalInterface
    interface ApiHandler {
        @NotNull
        CompletionStage<Reply> handle(@NotNull RoutingContext context);
    }

    private static final Logger log = LoggerFactory.getLogger(ApiResponder.class);
    private static final String JSON = "application/json";

    private final MessageCodec codec;

    ApiResponder(final @NotNull MessageCodec codec) {
        this.codec = codec;
    }

    /** A Vert.x handler that runs {@code handler} and answers with its reply or its failure. */
    @NotNull
    Handler<RoutingContext> route(final @NotNull ApiHandler handler) {
        return context -> {
            final CompletionStage<Reply> work;
            try {
                work = handler.handle(context);
            } catch (final RuntimeException e) {
                fail(context, e);
                return;
            }
            Future.fromCompletionStage(work, context.vertx().getOrCreateContext())
                    .onComplete(result -> {
                        if (result.succeeded()) {
                            reply(context, result.result());
                        } else {
                            fail(context, result.cause());
                        }
                    });
        };
    }

    void reply(final @NotNull RoutingContext context, final @NotNull Reply reply) {
        final HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return;
        }
        reply.headers().forEach(response::putHeader);
        final byte[] body = reply.body() instanceof byte[] raw ? raw : codec.writeValue(reply.body());
        response.setStatusCode(reply.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .end(Buffer.buffer(body));
    }

    /** Answers with the error {@code failure} stands for; unexpected failures become 500 and are logged. */
    void fail(final @NotNull RoutingContext context, final @NotNull Throwable failure) {
        final ApiException error = toApiException(context, unwrap(failure));
        final HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return;
        }
        final ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("error", error.getMessage());
        body.put("reason", error.reason());
        error.extra().forEach((name, value) -> body.set(name, new POJONode(value)));
        if (error.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        response.setStatusCode(error.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .end(Buffer.buffer(codec.writeValue(body)));
    }

    private static ApiException toApiException(final RoutingContext context, final Throwable failure) {
        if (failure instanceof ApiException api) {
            return api;
        }
        if (failure instanceof ProtocolException protocol) {
            final int status = protocol.reason() == ProtocolException.Reason.TOO_LARGE ? 413 : 400;
            return new ApiException(status, protocol.reason().name(), protocol.getMessage());
        }
        if (failure instanceof EnrollmentRefusedException refused) {
            final int status =
                    switch (refused.reason()) {
                        case TOKEN_UNKNOWN -> 401;
                        case TOKEN_EXPIRED, TOKEN_USED_UP -> 403;
                        case NODE_NAME_MISSING -> 400;
                    };
            return new ApiException(status, refused.reason().name(), refused.getMessage());
        }
        if (failure instanceof StoreException store && store.reason() == StoreException.Reason.CLOSED) {
            return new ApiException(503, "UNAVAILABLE", "the hub is shutting down; retry against a running hub");
        }
        // The answer names an incident id rather than the failure, which may show internals; the log has both.
        final String incident = Long.toHexString(ThreadLocalRandom.current().nextLong());
        log.error(
                "incident {}: {} {} failed",
                incident,
                context.request().method(),
                context.request().path(),
                failure);
        return new ApiException(
                500,
                "INTERNAL",
                "the hub failed to handle the request (incident " + incident + "); look for it in the hub log");
    }

    private static Throwable unwrap(final Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
