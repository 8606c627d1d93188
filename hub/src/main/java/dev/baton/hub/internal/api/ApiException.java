package dev.baton.hub.internal.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * A request the API refuses, answered as {@code {"error": "<what failed, why, what to do>", "reason":
 * "<MACHINE_WORD>", …extra}} with {@code status}.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final @NotNull String reason;
    private final @NotNull Map<String, Object> extra;

    public ApiException(final int status, final @NotNull String reason, final @NotNull String message) {
        this(status, reason, message, Map.of());
    }

    public ApiException(
            final int status,
            final @NotNull String reason,
            final @NotNull String message,
            final @NotNull Map<String, Object> extra) {
        super(message);
        this.status = status;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.extra = Map.copyOf(new LinkedHashMap<>(extra));
    }

    public int status() {
        return status;
    }

    public @NotNull String reason() {
        return reason;
    }

    /** More fields of the error body, e.g. {@code currentGeneration}. */
    public @NotNull Map<String, Object> extra() {
        return extra;
    }

    public static @NotNull ApiException notFound(final @NotNull String reason, final @NotNull String message) {
        return new ApiException(404, reason, message);
    }

    public static @NotNull ApiException badRequest(final @NotNull String message) {
        return new ApiException(400, "INVALID_FIELD", message);
    }
}
