package dev.baton.hub.internal.security;

import java.util.Map;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Checks REST bearer tokens against the hashes loaded from the store at start-up, in memory, so that every request
 * is authenticated without a database round trip. Tokens are made only at start-up so far (the admin token), so the
 * set does not change while the hub runs.
 *
 * <p>Immutable and thread-safe.
 */
public final class ApiTokens {

    /** Whom a token speaks for. */
    public record Principal(@Nullable String tenant) {

        /** Whether this principal may act on {@code tenant}. */
        public boolean mayAccess(final @NotNull String tenant) {
            return this.tenant == null || this.tenant.equals(tenant);
        }
    }

    private final Map<String, Optional<String>> tenantByHash;

    /** @param tenantByHash token SHA-256 → tenant it is limited to, empty for every tenant */
    public ApiTokens(final @NotNull Map<String, Optional<String>> tenantByHash) {
        this.tenantByHash = Map.copyOf(tenantByHash);
    }

    /** The principal of a presented token; empty when the token is unknown. */
    public @NotNull Optional<Principal> verify(final @NotNull String token) {
        final Optional<String> tenant = tenantByHash.get(SecretTokens.sha256Hex(token));
        // Map lookup by hash: the hash, not the token, is what varies in time with the input.
        return tenant == null ? Optional.empty() : Optional.of(new Principal(tenant.orElse(null)));
    }
}
