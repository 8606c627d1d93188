package dev.baton.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A node's device inventory, published on {@code baton/v1/{tenant}/{node}/inventory} through the agent's outbox.
 *
 * <p>A {@link Mode#SNAPSHOT snapshot} lists every device the node holds and replaces what the hub knows of that
 * node; the agent sends one after every connect and whenever the hub asks ({@code inventory.snapshot} command). A
 * {@link Mode#DELTA delta} lists devices that appeared or changed and the ids of those gone; the hub applies it only
 * when {@code baseHash} is the hash it holds for the node, and otherwise asks for a snapshot. {@code hash} is the
 * {@linkplain #inventoryHash inventory hash} after the message.
 *
 * @param host the node's host facts; in every snapshot, and in a delta when they changed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InventoryReport(
        long seq,
        @NotNull String bootId,
        @NotNull Instant timestamp,
        @NotNull Mode mode,
        @Nullable String baseHash,
        @NotNull String hash,
        @NotNull List<Device> devices,
        @NotNull List<String> removed,
        @Nullable ObjectNode host) {

    public enum Mode {
        SNAPSHOT,
        DELTA;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Mode fromWire(final String value) {
            for (final Mode mode : values()) {
                if (mode.wire().equals(value)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException(
                    "mode must be 'snapshot' or 'delta', but was '" + Names.printable(value) + "'");
        }
    }

    public InventoryReport {
        devices = devices == null ? List.of() : List.copyOf(devices);
        removed = removed == null ? List.of() : List.copyOf(removed);
        host = host == null ? null : host.deepCopy();
    }

    /** The host facts, as a copy the caller may change. */
    @Override
    public @Nullable ObjectNode host() {
        return host == null ? null : host.deepCopy();
    }

    /** The hash of an empty inventory. */
    public static final String EMPTY_HASH = inventoryHash(new java.util.TreeMap<>());

    /**
     * SHA-256 (hex) over the sorted lines {@code id TAB contentHash LF} of every device held: the same on the agent
     * and the hub when both hold the same devices.
     *
     * @param contentHashById each device's {@link Device#contentHash()} by id
     */
    public static @NotNull String inventoryHash(final @NotNull SortedMap<String, String> contentHashById) {
        try {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (final Map.Entry<String, String> entry : contentHashById.entrySet()) {
                digest.update((entry.getKey() + '\t' + entry.getValue() + '\n').getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
