package dev.baton.hub.internal.broker;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jetbrains.annotations.NotNull;

/** Finds the SHA-256 of a node's MQTT password without blocking the caller. */
@FunctionalInterface
public interface CredentialLookup {

    /** Completes with the hash, or empty when the node is unknown or holds no credential. */
    @NotNull
    CompletableFuture<Optional<String>> credentialHash(@NotNull String tenant, @NotNull String node);
}
