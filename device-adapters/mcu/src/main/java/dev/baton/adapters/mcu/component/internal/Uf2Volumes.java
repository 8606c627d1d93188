package dev.baton.adapters.mcu.component.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Finds UF2 bootloader volumes: directories holding {@code INFO_UF2.TXT} (github.com/microsoft/uf2 README, "Files
 * exposed by bootloaders"), among the mount points in {@code /proc/mounts} below the search roots and the directories
 * up to two levels below the roots ({@code /media/VOLUME}, {@code /media/USER/VOLUME}, as desktop auto-mounters make
 * them). Reads only; blocking file-system calls on the caller's thread.
 */
final class Uf2Volumes {

    static final String INFO_FILE = "INFO_UF2.TXT";

    /** Board-ID prefixes of bootloaders whose family is known (the UF2 family IDs of github.com/microsoft/uf2). */
    private static final Map<String, Set<Integer>> FAMILIES_BY_BOARD = Map.of(
            "RPI-RP2", Set.of(0xe48bff56),
            "RP2350", Set.of(0xe48bff57, 0xe48bff58, 0xe48bff59, 0xe48bff5a, 0xe48bff5b));

    /** A volume and what its INFO_UF2.TXT says. */
    record Volume(@NotNull Path path, @Nullable String source, @NotNull Map<String, String> info) {

        @Nullable
        String boardId() {
            return info.get("board-id");
        }

        /** The families the bootloader takes, from a {@code Family-ID} line or a known Board-ID; empty when unknown. */
        @NotNull
        Set<Integer> families() {
            final String family = info.getOrDefault("family-id", info.get("family"));
            if (family != null) {
                final OptionalInt parsed = parseFamily(family);
                if (parsed.isPresent()) {
                    return Set.of(parsed.getAsInt());
                }
            }
            final String board = boardId();
            if (board != null) {
                for (final Map.Entry<String, Set<Integer>> known : FAMILIES_BY_BOARD.entrySet()) {
                    if (board.startsWith(known.getKey())) {
                        return known.getValue();
                    }
                }
            }
            return Set.of();
        }
    }

    private Uf2Volumes() {}

    /** Whether {@code directory} is (still) a UF2 bootloader volume. */
    static boolean isVolume(final @NotNull Path directory) {
        return Files.isRegularFile(directory.resolve(INFO_FILE));
    }

    /** Reads the volume at {@code directory}; empty when it has no INFO_UF2.TXT. */
    static @NotNull Optional<Volume> read(final @NotNull Path directory, final @Nullable String source) {
        final Path info = directory.resolve(INFO_FILE);
        if (!Files.isRegularFile(info)) {
            return Optional.empty();
        }
        final Map<String, String> fields = new LinkedHashMap<>();
        try {
            final byte[] bytes = Files.readAllBytes(info);
            if (bytes.length > 64 * 1024) {
                return Optional.of(new Volume(directory, source, Map.of()));
            }
            for (final String line : new String(bytes, StandardCharsets.ISO_8859_1).split("\r?\n")) {
                final int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.putIfAbsent(
                            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).trim());
                }
            }
        } catch (final IOException e) {
            // A volume going away as it is read (a reboot) is not a volume any more.
            return Optional.empty();
        }
        return Optional.of(new Volume(directory, source, Map.copyOf(fields)));
    }

    /** The UF2 volumes below {@code roots}, from {@code mounts} (a /proc/mounts file) and the roots' directories. */
    static @NotNull List<Volume> find(final @NotNull List<Path> roots, final @NotNull Path mounts) {
        final Map<Path, String> candidates = new TreeMap<>();
        for (final Map.Entry<Path, String> mount : mountPoints(mounts).entrySet()) {
            if (roots.stream().anyMatch(root -> mount.getKey().startsWith(root))) {
                candidates.put(mount.getKey(), mount.getValue());
            }
        }
        for (final Path root : roots) {
            for (final Path child : children(root)) {
                candidates.putIfAbsent(child, null);
                for (final Path grandchild : children(child)) {
                    candidates.putIfAbsent(grandchild, null);
                }
            }
        }
        final List<Volume> out = new ArrayList<>();
        candidates.forEach((path, source) -> read(path, source).ifPresent(out::add));
        return out;
    }

    /** Mount point to source device, from a /proc/mounts file (octal escapes such as {@code \040} decoded). */
    static @NotNull Map<Path, String> mountPoints(final @NotNull Path mounts) {
        final Map<Path, String> out = new LinkedHashMap<>();
        final List<String> lines;
        try {
            lines = Files.readAllLines(mounts, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            return out; // not Linux, or no /proc: the roots' directories are searched all the same
        }
        for (final String line : lines) {
            final String[] fields = line.split(" ");
            if (fields.length >= 2) {
                out.put(Path.of(unescape(fields[1])), unescape(fields[0]));
            }
        }
        return out;
    }

    static OptionalInt parseFamily(final String text) {
        final String digits = text.trim().toLowerCase(Locale.ROOT);
        try {
            return OptionalInt.of(
                    digits.startsWith("0x")
                            ? (int) Long.parseLong(digits.substring(2), 16)
                            : (int) Long.parseLong(digits));
        } catch (final NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static List<Path> children(final Path directory) {
        final List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, Files::isDirectory)) {
            for (final Path entry : entries) {
                out.add(entry);
                if (out.size() >= 256) {
                    break;
                }
            }
        } catch (final IOException e) {
            // An unreadable directory (another user's media folder) holds no volume we may write to.
        }
        return out;
    }

    private static String unescape(final String field) {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            final char c = field.charAt(i);
            if (c == '\\'
                    && i + 3 < field.length()
                    && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
