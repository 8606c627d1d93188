package dev.baton.adapters.container.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * What the engine says about one container ({@code GET /containers/{id}/json}), reduced to what the provider acts on.
 *
 * @param id the full container id
 * @param name without the leading '/' the engine puts there
 * @param status {@code created}, {@code running}, {@code paused}, {@code restarting}, {@code removing},
 *     {@code exited} or {@code dead}
 * @param exitCode of the last run; meaningful once it has exited
 * @param oomKilled whether the kernel killed it for lack of memory
 * @param error the engine's error from starting it, or empty
 * @param finishedAt when it last exited, as the engine wrote it (RFC 3339), or empty
 * @param health the health status ({@code starting}, {@code healthy}, {@code unhealthy}), or empty when the image
 *     defines no health check
 * @param failingStreak consecutive failed health checks
 * @param lastHealthOutput the output of the last health check, or empty
 * @param labels the container's labels
 * @param restartCount how often the engine restarted it under its restart policy
 */
public record ContainerInspection(
        @NotNull String id,
        @NotNull String name,
        @NotNull String status,
        int exitCode,
        boolean oomKilled,
        @NotNull String error,
        @NotNull String finishedAt,
        @NotNull String health,
        int failingStreak,
        @NotNull String lastHealthOutput,
        @NotNull Map<String, String> labels,
        int restartCount) {

    public ContainerInspection {
        Objects.requireNonNull(id, "id");
        labels = Map.copyOf(labels);
    }

    public boolean running() {
        return status.equals("running");
    }

    public @Nullable String label(final @NotNull String key) {
        return labels.get(key);
    }

    /** The first twelve characters of the id, as {@code docker ps} shows it. */
    public @NotNull String shortId() {
        return id.substring(0, Math.min(12, id.length()));
    }

    /**
     * @throws EngineException with {@link EngineException.Reason#BROKEN_RESPONSE} when the id is missing
     */
    static @NotNull ContainerInspection fromJson(final @NotNull JsonNode json) {
        final String id = json.path("Id").asText("");
        if (id.isEmpty()) {
            throw new EngineException(
                    EngineException.Reason.BROKEN_RESPONSE, "the engine described a container without an Id");
        }
        final JsonNode state = json.path("State");
        final JsonNode health = state.path("Health");
        final JsonNode healthLog = health.path("Log");
        final JsonNode lastCheck =
                healthLog.isArray() && healthLog.size() > 0 ? healthLog.get(healthLog.size() - 1) : null;
        final Map<String, String> labels = new LinkedHashMap<>();
        json.path("Config").path("Labels").properties().forEach(entry -> {
            if (entry.getValue().isTextual()) {
                labels.put(entry.getKey(), entry.getValue().textValue());
            }
        });
        final String name = json.path("Name").asText("");
        return new ContainerInspection(
                id,
                name.startsWith("/") ? name.substring(1) : name,
                state.path("Status").asText(""),
                state.path("ExitCode").asInt(0),
                state.path("OOMKilled").asBoolean(false),
                state.path("Error").asText(""),
                state.path("FinishedAt").asText(""),
                health.path("Status").asText(""),
                health.path("FailingStreak").asInt(0),
                lastCheck == null ? "" : lastCheck.path("Output").asText(""),
                labels,
                json.path("RestartCount").asInt(0));
    }
}
