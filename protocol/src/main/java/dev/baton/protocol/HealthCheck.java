package dev.baton.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * How the agent decides that an applied component works, beyond its provider's own check (a supervised process is
 * alive, a container is not unhealthy). At most one probe: {@code tcp}, {@code http} or {@code command}; without one,
 * only the provider's check and the {@code healthyForSeconds} gate apply.
 *
 * <p>After an apply the component stays {@code applying} until the provider's check and the probe have passed
 * without interruption for {@code healthyForSeconds}; if that has not happened {@code startTimeoutSeconds} after the
 * apply, the component fails (and is retried with back-off, which counts towards a rollback). Once healthy, the probe
 * keeps running every {@code intervalSeconds}; {@code failureThreshold} failures in a row make it failed again.
 *
 * @param tcp {@code host:port} that must accept a connection
 * @param http an {@code http(s)} URL whose GET must answer 2xx or 3xx
 * @param command a program and its arguments that must exit with 0
 * @param intervalSeconds between probes, 1–3,600, default 5
 * @param timeoutMs of one probe, 100–60,000, default 2,000
 * @param healthyForSeconds how long the component must pass before it counts as healthy, 0–3,600, default 0
 * @param startTimeoutSeconds how long after an apply it may take to become healthy, 1–3,600, default 60, more
 *     than {@code healthyForSeconds}
 * @param failureThreshold failed probes in a row that make a healthy component failed, 1–100, default 3
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthCheck(
        @Nullable String tcp,
        @Nullable String http,
        @Nullable List<String> command,
        int intervalSeconds,
        int timeoutMs,
        int healthyForSeconds,
        int startTimeoutSeconds,
        int failureThreshold) {

    public static final int DEFAULT_INTERVAL_SECONDS = 5;
    public static final int DEFAULT_TIMEOUT_MS = 2_000;
    public static final int DEFAULT_START_TIMEOUT_SECONDS = 60;
    public static final int DEFAULT_FAILURE_THRESHOLD = 3;

    /** Fills in the defaults of the fields a document leaves out. */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static @NotNull HealthCheck of(
            @com.fasterxml.jackson.annotation.JsonProperty("tcp") final @Nullable String tcp,
            @com.fasterxml.jackson.annotation.JsonProperty("http") final @Nullable String http,
            @com.fasterxml.jackson.annotation.JsonProperty("command") final @Nullable List<String> command,
            @com.fasterxml.jackson.annotation.JsonProperty("intervalSeconds") final @Nullable Integer intervalSeconds,
            @com.fasterxml.jackson.annotation.JsonProperty("timeoutMs") final @Nullable Integer timeoutMs,
            @com.fasterxml.jackson.annotation.JsonProperty("healthyForSeconds")
                    final @Nullable Integer healthyForSeconds,
            @com.fasterxml.jackson.annotation.JsonProperty("startTimeoutSeconds")
                    final @Nullable Integer startTimeoutSeconds,
            @com.fasterxml.jackson.annotation.JsonProperty("failureThreshold")
                    final @Nullable Integer failureThreshold) {
        return new HealthCheck(
                tcp,
                http,
                command == null ? null : List.copyOf(command),
                intervalSeconds == null ? DEFAULT_INTERVAL_SECONDS : intervalSeconds,
                timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs,
                healthyForSeconds == null ? 0 : healthyForSeconds,
                startTimeoutSeconds == null ? DEFAULT_START_TIMEOUT_SECONDS : startTimeoutSeconds,
                failureThreshold == null ? DEFAULT_FAILURE_THRESHOLD : failureThreshold);
    }

    /** What the probe checks, for messages: {@code tcp 127.0.0.1:8080}. */
    public @NotNull String describe() {
        if (tcp != null) {
            return "tcp " + tcp;
        }
        if (http != null) {
            return "http " + http;
        }
        if (command != null) {
            return "command " + String.join(" ", command);
        }
        return "the provider's check";
    }
}
