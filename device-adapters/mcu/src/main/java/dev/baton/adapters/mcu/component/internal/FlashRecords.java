package dev.baton.adapters.mcu.component.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@code firmware} component flashed, per target, in {@code flashed.json} of its state directory: written
 * after each target's flash succeeded (and verified, where the back-end can), removed when a later flash of that
 * target failed after touching the chip. It is what {@code observe} compares with the spec, so that drift checks
 * never touch the devices.
 *
 * <p>Threading: the reconciler thread.
 */
public final class FlashRecords {

    static final String FILE = "flashed.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(FlashRecords.class);

    /**
     * One target's last successful flash.
     *
     * @param key the target's key ({@code FirmwareTarget#key()})
     * @param device the inventory device ID, if the target had one
     * @param location the port or volume it was flashed through
     * @param chipId as the back-end read it
     */
    public record Entry(
            @NotNull String key,
            @Nullable String device,
            @Nullable String location,
            @NotNull String sha256,
            boolean verified,
            @Nullable String chipId,
            @NotNull Instant flashedAt) {}

    private final Path file;
    private final Map<String, Entry> entries;

    private FlashRecords(final Path file, final Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** The records in {@code stateDirectory}; none when the file is missing or unreadable (then everything flashes). */
    public static @NotNull FlashRecords load(final @NotNull Path stateDirectory) {
        final Path file = stateDirectory.resolve(FILE);
        final Map<String, Entry> entries = new LinkedHashMap<>();
        if (Files.isRegularFile(file)) {
            try {
                final JsonNode root = JSON.readTree(file.toFile());
                root.path("targets").fields().forEachRemaining(field -> {
                    final JsonNode e = field.getValue();
                    entries.put(
                            field.getKey(),
                            new Entry(
                                    field.getKey(),
                                    text(e, "device"),
                                    text(e, "location"),
                                    e.path("sha256").asText(),
                                    e.path("verified").asBoolean(),
                                    text(e, "chipId"),
                                    Instant.parse(e.path("flashedAt").asText())));
                });
            } catch (final IOException | RuntimeException e) {
                log.warn("{} is unreadable ({}); every target counts as not flashed", file, e.toString());
                entries.clear();
            }
        }
        return new FlashRecords(file, entries);
    }

    public @NotNull Optional<Entry> get(final @NotNull String key) {
        return Optional.ofNullable(entries.get(key));
    }

    public @NotNull Collection<Entry> all() {
        return java.util.List.copyOf(entries.values());
    }

    /** Records a successful flash and writes the file at once. */
    public void put(final @NotNull Entry entry) {
        entries.put(entry.key(), entry);
        save();
    }

    /** Forgets a target (its chip holds a partial image now) and writes the file at once. */
    public void remove(final @NotNull String key) {
        if (entries.remove(key) != null) {
            save();
        }
    }

    private void save() {
        final ObjectNode root = JSON.createObjectNode();
        final ObjectNode targets = root.putObject("targets");
        entries.forEach((key, e) -> {
            final ObjectNode node = targets.putObject(key);
            if (e.device() != null) {
                node.put("device", e.device());
            }
            if (e.location() != null) {
                node.put("location", e.location());
            }
            node.put("sha256", e.sha256());
            node.put("verified", e.verified());
            if (e.chipId() != null) {
                node.put("chipId", e.chipId());
            }
            node.put("flashedAt", e.flashedAt().toString());
        });
        try {
            Files.createDirectories(file.getParent());
            final Path temporary = file.resolveSibling(FILE + ".tmp");
            JSON.writeValue(temporary.toFile(), root);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (final AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (final IOException e) {
            // The next observe then sees no record and flashes again: wasteful but safe.
            log.warn("cannot write {}: {}", file, e.toString());
        }
    }

    private static @Nullable String text(final JsonNode node, final String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
