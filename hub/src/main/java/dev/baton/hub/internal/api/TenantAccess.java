package dev.baton.hub.internal.api;

import dev.baton.hub.internal.security.ApiTokens;
import io.vertx.ext.web.RoutingContext;
import org.jetbrains.annotations.NotNull;

/** Resolves the {@code tenant} path parameter: valid name, existing tenant, and one the caller's token may use. */
final class TenantAccess {

    /** Where {@link BearerAuth} leaves the caller's principal in the routing context. */
    static final String PRINCIPAL = "baton.principal";

    private final TenantDirectory tenants;

    TenantAccess(final @NotNull TenantDirectory tenants) {
        this.tenants = tenants;
    }

    /**
     * @throws ApiException 404 for an unknown tenant, 403 when the token is limited to another one
     */
    @NotNull
    String require(final @NotNull RoutingContext context) {
        final String tenant = tenants.require(context.pathParam("tenant"));
        final ApiTokens.Principal principal = context.get(PRINCIPAL);
        if (principal == null || !principal.mayAccess(tenant)) {
            throw new ApiException(
                    403, "FORBIDDEN", "this API token may not act on tenant '" + tenant + "'; use a token for it");
        }
        return tenant;
    }
}
