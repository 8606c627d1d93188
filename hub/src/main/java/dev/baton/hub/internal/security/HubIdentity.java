package dev.baton.hub.internal.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * The hub's own MQTT identity at its embedded broker: username {@value #USERNAME}, a client identifier containing
 * '_' (never a valid node name, so never a node's), and a password made at each start and held only in memory.
 *
 * @param clientId {@code baton_hub_<instance>}; stable per data directory so a persistent session survives restarts
 */
public record HubIdentity(@NotNull String clientId, @NotNull String username, @NotNull String password) {

    public static final String USERNAME = "$hub";
    private static final String CLIENT_ID_PREFIX = "baton_hub_";

    public HubIdentity {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** The identity for the embedded broker, with a fresh random password. */
    public static @NotNull HubIdentity forEmbeddedBroker(final @NotNull String instanceId) {
        return new HubIdentity(clientIdFor(instanceId), USERNAME, SecretTokens.newSecret());
    }

    /** The hub's MQTT client identifier, at the embedded broker and at an external one alike. */
    public static @NotNull String clientIdFor(final @NotNull String instanceId) {
        return CLIENT_ID_PREFIX + instanceId;
    }

    /** Compares in time independent of where the passwords differ. */
    public boolean passwordMatches(final byte @NotNull [] candidate) {
        return MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8), candidate);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "HubIdentity[clientId=" + clientId + ", username=" + username + ", password=<redacted>]";
    }
}
