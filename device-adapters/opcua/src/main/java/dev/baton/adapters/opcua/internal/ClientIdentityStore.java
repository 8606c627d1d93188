package dev.baton.adapters.opcua.internal;

import java.io.IOException;
import java.nio.file.Path;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Where the agent's OPC UA client certificate lives ({@link ClientIdentity}): loaded, or created, the first time a
 * secure session needs it, then kept. Thread-safe.
 */
public final class ClientIdentityStore {

    private final Path secretsDirectory;
    private @Nullable ClientIdentity identity;

    public ClientIdentityStore(final @NotNull Path secretsDirectory) {
        this.secretsDirectory = secretsDirectory;
    }

    @NotNull
    synchronized ClientIdentity get() throws IOException {
        if (identity == null) {
            identity = ClientIdentity.loadOrCreate(secretsDirectory);
        }
        return identity;
    }
}
