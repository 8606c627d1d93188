package dev.baton.hub.internal.api;

import dev.baton.protocol.Names;
import java.util.Collection;
import java.util.Set;
import org.jetbrains.annotations.NotNull;

/**
 * The tenants that exist, loaded at start-up (tenants are created by schema migrations only, so far), so that
 * every request's tenant is checked without a database round trip. Immutable and thread-safe.
 */
final class TenantDirectory {

    private final Set<String> tenants;

    TenantDirectory(final @NotNull Collection<String> tenants) {
        this.tenants = Set.copyOf(tenants);
    }

    /**
     * @throws dev.baton.protocol.ProtocolException when {@code tenant} is not a valid name (400)
     * @throws ApiException 404 {@code TENANT_NOT_FOUND} when there is no such tenant
     */
    @NotNull
    String require(final String tenant) {
        Names.checkName(tenant, "tenant");
        if (!tenants.contains(tenant)) {
            throw ApiException.notFound(
                    "TENANT_NOT_FOUND",
                    "tenant '" + tenant + "' does not exist; the tenants are "
                            + tenants.stream().sorted().toList());
        }
        return tenant;
    }
}
