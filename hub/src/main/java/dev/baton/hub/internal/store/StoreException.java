package dev.baton.hub.internal.store;

import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/** The store cannot do what was asked; the message names the database, what failed and what to do. */
public final class StoreException extends RuntimeException {

    /** Why the store failed. */
    public enum Reason {
        /** The database was migrated by a newer hub than this one. */
        SCHEMA_TOO_NEW,
        /** A migration script that was already applied has changed since. */
        SCHEMA_MODIFIED,
        /** A migration script failed; the database stays at the version before it. */
        MIGRATION_FAILED,
        /** A migration script is missing or misnamed in the hub's own resources (a build error). */
        MIGRATION_MISSING,
        /** The database cannot be read or written. */
        IO,
        /** The store has been closed. */
        CLOSED
    }

    private final @NotNull Reason reason;

    public StoreException(final @NotNull Reason reason, final @NotNull String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public StoreException(final @NotNull Reason reason, final @NotNull String message, final Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public @NotNull Reason reason() {
        return reason;
    }
}
