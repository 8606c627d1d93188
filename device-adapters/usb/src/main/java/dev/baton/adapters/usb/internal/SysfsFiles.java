package dev.baton.adapters.usb.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * Bounded, link-safe reads of a sysfs-shaped tree. sysfs attributes are regular files of at most a page; anything
 * else (a directory where a file belongs, a FIFO, a dangling link, a file the agent may not read, an attribute far
 * longer than a page) is treated as absent, since one broken entry must not stop a scan. Nothing here follows a
 * symbolic link except {@link #linkTargetName}, which reads the link's own text.
 */
public final class SysfsFiles {

    /** sysfs attributes fit in one page; more means this is not an attribute. */
    static final int MAX_FILE_BYTES = 4096;

    /** Longer values are not identifiers or names anyone filters on; they are cut to this length. */
    static final int MAX_VALUE_CHARS = 256;

    private SysfsFiles() {}

    /**
     * The text of attribute {@code name} in {@code dir}, with surrounding white space removed (sysfs ends values
     * with a newline, and pads some numbers with a space), control characters dropped, and cut to
     * {@value #MAX_VALUE_CHARS} characters; empty when absent, unreadable, not a regular file, over
     * {@value #MAX_FILE_BYTES} bytes or not UTF-8.
     */
    public static @NotNull Optional<String> attribute(final @NotNull Path dir, final @NotNull String name) {
        final Path file = dir.resolve(name);
        try {
            final BasicFileAttributes attributes =
                    Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            final byte[] bytes;
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_FILE_BYTES) {
                return Optional.empty();
            }
            final String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
            final String clean = withoutControls(text.strip());
            return clean.isEmpty()
                    ? Optional.empty()
                    : Optional.of(clean.length() > MAX_VALUE_CHARS ? clean.substring(0, MAX_VALUE_CHARS) : clean);
        } catch (final CharacterCodingException e) {
            return Optional.empty();
        } catch (final IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * The last name element of symbolic link {@code name} in {@code dir}, read without following it ({@code driver
     * -> ../../bus/usb/drivers/ftdi_sio} gives {@code ftdi_sio}); empty when it is not a link.
     */
    public static @NotNull Optional<String> linkTargetName(final @NotNull Path dir, final @NotNull String name) {
        final Path link = dir.resolve(name);
        try {
            if (!Files.isSymbolicLink(link)) {
                return Optional.empty();
            }
            final Path target = Files.readSymbolicLink(link).getFileName();
            return target == null ? Optional.empty() : Optional.of(withoutControls(target.toString()));
        } catch (final IOException | SecurityException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /**
     * The real directories directly inside {@code dir} (links not followed), sorted by name, at most {@code cap}
     * of them; empty when {@code dir} cannot be listed.
     */
    public static @NotNull List<Path> subdirectories(final @NotNull Path dir, final int cap) {
        final List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (final Path entry : entries) {
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(entry);
                    if (out.size() >= cap) {
                        break;
                    }
                }
            }
        } catch (final IOException | SecurityException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }

    /**
     * Every entry name inside {@code dir}, links included and not followed, sorted, at most {@code cap}; empty when
     * {@code dir} cannot be listed.
     */
    public static @NotNull List<String> entryNames(final @NotNull Path dir, final int cap) {
        final List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (final Path entry : entries) {
                out.add(entry.getFileName().toString());
                if (out.size() >= cap) {
                    break;
                }
            }
        } catch (final IOException | SecurityException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }

    /**
     * The value of {@code key} in a {@code uevent} file ({@code KEY=value} lines), e.g. {@code DEVNAME}.
     */
    public static @NotNull Optional<String> ueventValue(final @NotNull Path dir, final @NotNull String key) {
        final Path file = dir.resolve("uevent");
        try {
            final BasicFileAttributes attributes =
                    Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            final byte[] bytes;
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_FILE_BYTES) {
                return Optional.empty();
            }
            final String prefix = key + "=";
            for (final String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith(prefix)) {
                    final String value =
                            withoutControls(line.substring(prefix.length()).strip());
                    return value.isEmpty() || value.length() > MAX_VALUE_CHARS ? Optional.empty() : Optional.of(value);
                }
            }
            return Optional.empty();
        } catch (final IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    static String withoutControls(final String text) {
        if (text.chars().noneMatch(Character::isISOControl)) {
            return text;
        }
        final StringBuilder out = new StringBuilder(text.length());
        text.codePoints().filter(c -> !Character.isISOControl(c)).forEach(out::appendCodePoint);
        return out.toString();
    }
}
