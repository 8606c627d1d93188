package dev.baton.hub.internal.store;

import java.time.Instant;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/** One stored event of a node. */
public record EventRecord(
        long seq,
        @NotNull String bootId,
        @NotNull Instant timestamp,
        @NotNull String type,
        @NotNull String severity,
        @Nullable String component,
        @NotNull String message) {}
