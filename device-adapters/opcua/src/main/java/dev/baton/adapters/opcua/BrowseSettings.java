package dev.baton.adapters.opcua;

import org.jetbrains.annotations.NotNull;

/**
 * The {@code browse} object of the {@code opcua} handler: whether to walk each server's address space from the
 * Objects folder (OPC UA Part 4 §5.8.2 Browse), and how far. The walk is always bounded, by depth and by node
 * count, so that a server with millions of nodes costs a scan no more than {@code maxNodes} nodes.
 *
 * @param enabled {@code enabled}, default false
 * @param depth {@code depth}: levels below the Objects folder, {@value #MIN_DEPTH} to {@value #MAX_DEPTH}, default
 *     {@value #DEFAULT_DEPTH}
 * @param maxNodes {@code maxNodes}: nodes counted before the walk stops and reports itself truncated,
 *     {@value #MIN_NODES} to {@value #MAX_NODES}, default {@value #DEFAULT_MAX_NODES}
 */
public record BrowseSettings(boolean enabled, int depth, int maxNodes) {

    public static final int MIN_DEPTH = 1;
    public static final int MAX_DEPTH = 10;
    public static final int DEFAULT_DEPTH = 3;
    public static final int MIN_NODES = 1;
    public static final int MAX_NODES = 100_000;
    public static final int DEFAULT_MAX_NODES = 1_000;

    public static final BrowseSettings DISABLED = new BrowseSettings(false, DEFAULT_DEPTH, DEFAULT_MAX_NODES);

    public BrowseSettings {
        if (depth < MIN_DEPTH || depth > MAX_DEPTH) {
            throw new IllegalArgumentException(
                    "browse depth must be from " + MIN_DEPTH + " to " + MAX_DEPTH + ", but was " + depth);
        }
        if (maxNodes < MIN_NODES || maxNodes > MAX_NODES) {
            throw new IllegalArgumentException(
                    "browse maxNodes must be from " + MIN_NODES + " to " + MAX_NODES + ", but was " + maxNodes);
        }
    }

    /** An enabled browse to {@code depth} levels and at most {@code maxNodes} nodes. */
    public static @NotNull BrowseSettings enabled(final int depth, final int maxNodes) {
        return new BrowseSettings(true, depth, maxNodes);
    }
}
