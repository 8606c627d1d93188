package dev.baton.hub.internal.store;

import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * What recording a node's birth found out.
 *
 * @param desiredGeneration the node's newest desired generation
 * @param missed the current desired document when the node observed an older generation than that; empty when it
 *     is in sync or has no desired document
 */
public record BirthOutcome(long desiredGeneration, @NotNull Optional<DesiredRecord> missed) {}
