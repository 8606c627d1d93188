package dev.baton.adapters.host.facts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Bounded reads of /proc, /etc and /sys files. Files in /proc report size 0 and are generated on read, so they are
 * read as streams up to a cap; anything that is not a regular file (a FIFO would block), or cannot be read, is
 * absent.
 */
final class FactFiles {

    /** Enough for /proc/cpuinfo of a few hundred cores; more means something is wrong with the file. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    static final int MAX_VALUE_CHARS = 256;

    private FactFiles() {}

    static Optional<String> read(final Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            try (InputStream in = Files.newInputStream(file)) {
                final byte[] bytes = in.readNBytes(MAX_FILE_BYTES);
                return Optional.of(new String(bytes, StandardCharsets.UTF_8));
            }
        } catch (final IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The first line, stripped, without NUL terminators (device-tree strings end in NUL), cut to a value's length. */
    static Optional<String> firstLine(final Path file) {
        return read(file)
                .map(text -> {
                    final int end = text.indexOf('\n');
                    return value(end < 0 ? text : text.substring(0, end));
                })
                .filter(text -> !text.isEmpty());
    }

    /** A value fit for the facts: no control characters or NULs, stripped, at most {@value #MAX_VALUE_CHARS}. */
    static String value(final String text) {
        final StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_VALUE_CHARS));
        text.codePoints().filter(c -> !Character.isISOControl(c)).forEach(out::appendCodePoint);
        final String clean = out.toString().strip();
        return clean.length() > MAX_VALUE_CHARS ? clean.substring(0, MAX_VALUE_CHARS) : clean;
    }
}
