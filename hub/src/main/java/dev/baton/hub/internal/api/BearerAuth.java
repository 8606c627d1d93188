package dev.baton.hub.internal.api;

import dev.baton.hub.internal.security.ApiTokens;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * Requires {@code Authorization: Bearer <token>} (RFC 6750, section 2.1) with a known API token; answers 401
 * otherwise. Runs on the event loop without I/O: tokens are checked in memory.
 */
final class BearerAuth implements Handler<RoutingContext> {

    private static final String SCHEME = "Bearer ";

    private final ApiTokens tokens;
    private final ApiResponder responder;
    private final String tokenHint;

    BearerAuth(
            final @NotNull ApiTokens tokens, final @NotNull ApiResponder responder, final @NotNull String tokenHint) {
        this.tokens = tokens;
        this.responder = responder;
        this.tokenHint = tokenHint;
    }

    @Override
    public void handle(final @NotNull RoutingContext context) {
        final String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            responder.fail(
                    context,
                    new ApiException(
                            401,
                            "UNAUTHORIZED",
                            "this request needs an API token: send 'Authorization: Bearer <token>'; " + tokenHint));
            return;
        }
        final Optional<ApiTokens.Principal> principal =
                tokens.verify(header.substring(SCHEME.length()).strip());
        if (principal.isEmpty()) {
            responder.fail(
                    context,
                    new ApiException(401, "UNAUTHORIZED", "the API token is not known to this hub; " + tokenHint));
            return;
        }
        context.put(TenantAccess.PRINCIPAL, principal.get());
        context.next();
    }
}
