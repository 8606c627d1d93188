package dev.baton.hub.internal.api;

import dev.baton.hub.internal.security.ApiTokens;
import dev.baton.hub.internal.security.SecretTokens;
import dev.baton.hub.internal.store.HubStore;
import dev.baton.protocol.Names;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/**
 * Requires {@code Authorization: Bearer <token>} (RFC 6750, section 2.1) with a known API token; answers 401
 * otherwise. Runs on the event loop without I/O: tokens are checked in memory.
 *
 * <p>One exception: an agent downloads artifacts ({@code GET …/artifacts/{sha256}}) of its own tenant with its MQTT
 * credentials as HTTP Basic (RFC 7617), username {@code tenant.node}; those are checked against the store.
 */
final class BearerAuth implements Handler<RoutingContext> {

    private static final String SCHEME = "Bearer ";
    private static final String BASIC = "Basic ";
    private static final Pattern ARTIFACT_PATH =
            Pattern.compile("/api/v1/tenants/([a-z0-9-]{1,63})/artifacts/[0-9a-f]{64}");

    private final ApiTokens tokens;
    private final ApiResponder responder;
    private final String tokenHint;
    private final HubStore store;

    BearerAuth(
            final @NotNull ApiTokens tokens,
            final @NotNull ApiResponder responder,
            final @NotNull String tokenHint,
            final @NotNull HubStore store) {
        this.tokens = tokens;
        this.responder = responder;
        this.tokenHint = tokenHint;
        this.store = store;
    }

    @Override
    public void handle(final @NotNull RoutingContext context) {
        final String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            nodeCredentials(context, header.substring(BASIC.length()).strip());
            return;
        }
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

    private void nodeCredentials(final RoutingContext context, final String encoded) {
        final Matcher path = ARTIFACT_PATH.matcher(context.normalizedPath());
        final String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (final IllegalArgumentException e) {
            responder.fail(context, unauthorized("the Basic credentials are not valid Base64"));
            return;
        }
        final int colon = decoded.indexOf(':');
        final int dot = decoded.indexOf('.');
        if (!path.matches()
                || !context.request().method().equals(HttpMethod.GET)
                || colon < 0
                || dot < 0
                || dot > colon) {
            responder.fail(
                    context,
                    unauthorized("node credentials (Basic tenant.node:password) only download artifacts of the"
                            + " node's tenant; everything else needs 'Authorization: Bearer <token>'; " + tokenHint));
            return;
        }
        final String tenant = decoded.substring(0, dot);
        final String node = decoded.substring(dot + 1, colon);
        final String password = decoded.substring(colon + 1);
        if (!tenant.equals(path.group(1)) || !Names.isValidName(node)) {
            responder.fail(context, unauthorized("these node credentials are not for tenant '" + path.group(1) + "'"));
            return;
        }
        store.findCredentialHash(tenant, node)
                .whenComplete((hash, error) -> context.vertx().runOnContext(v -> {
                    if (error != null) {
                        responder.fail(context, error);
                    } else if (hash.isEmpty()
                            || !SecretTokens.hashesEqual(hash.get(), SecretTokens.sha256Hex(password))) {
                        responder.fail(context, unauthorized("the node credentials are not valid"));
                    } else {
                        context.put(TenantAccess.PRINCIPAL, new ApiTokens.Principal(tenant));
                        context.next();
                    }
                }));
    }

    private static ApiException unauthorized(final String message) {
        return new ApiException(401, "UNAUTHORIZED", message);
    }
}
