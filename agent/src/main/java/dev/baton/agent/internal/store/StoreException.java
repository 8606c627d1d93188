package dev.baton.agent.internal.store;

import org.jetbrains.annotations.NotNull;

/** The agent's SQLite store failed (disk full, file damaged, schema from a newer agent). */
public final class StoreException extends RuntimeException {

    public StoreException(final @NotNull String message) {
        super(message);
    }

    public StoreException(final @NotNull String message, final @NotNull Throwable cause) {
        super(message, cause);
    }
}
