package dev.baton.hub.internal.store;

import java.time.Instant;
import org.jetbrains.annotations.NotNull;

/** One generation of a node's desired document, as published (JSON of {@code DesiredDocument}). */
public record DesiredRecord(
        @NotNull String tenant,
        @NotNull String node,
        long generation,
        @NotNull String documentJson,
        @NotNull Instant createdAt) {}
