package dev.baton.hub.internal.store;

import org.jetbrains.annotations.Nullable;

/**
 * What a node reported of its host and inventory.
 *
 * @param hostFacts JSON object text, or null before the first inventory report
 * @param hash the inventory hash the hub holds, or null before the first report
 */
public record NodeInventory(@Nullable String hostFacts, int devices, @Nullable String hash) {}
