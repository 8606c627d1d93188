package dev.baton.hub;

import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/** The hub could not start; the message says what failed, why, and what to do. */
public final class HubStartException extends RuntimeException {

    /** Why the hub could not start. */
    public enum Reason {
        /** The data directory cannot be created, written or locked. */
        DATA_DIR_UNUSABLE,
        /** Another hub process uses the data directory. */
        DATA_DIR_IN_USE,
        /** The store cannot be opened or migrated, e.g. because it was written by a newer hub. */
        STORE_UNUSABLE,
        /**
         * The hub's admin token file is missing or differs from the admin token of the PostgreSQL database it
         * shares with other hubs.
         */
        ADMIN_TOKEN_MISMATCH,
        /** A port the hub should listen on is taken. */
        PORT_IN_USE,
        /** The embedded MQTT broker did not start. */
        BROKER_FAILED,
        /** The hub's MQTT client could not connect to or subscribe at the broker. */
        MQTT_UNAVAILABLE,
        /** The REST API did not start. */
        HTTP_FAILED,
        /** Start-up was interrupted. */
        INTERRUPTED
    }

    private final @NotNull Reason reason;

    public HubStartException(final @NotNull Reason reason, final @NotNull String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public HubStartException(final @NotNull Reason reason, final @NotNull String message, final Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public @NotNull Reason reason() {
        return reason;
    }
}
