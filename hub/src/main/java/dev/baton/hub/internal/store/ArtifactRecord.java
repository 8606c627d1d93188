package dev.baton.hub.internal.store;

import java.time.Instant;
import org.jetbrains.annotations.NotNull;

/** An artifact in the store: content by SHA-256, with the name it was uploaded under. */
public record ArtifactRecord(
        @NotNull String tenant, @NotNull String sha256, long size, @NotNull String name, @NotNull Instant createdAt) {}
