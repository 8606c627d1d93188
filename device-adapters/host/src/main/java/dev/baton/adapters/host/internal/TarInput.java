package dev.baton.adapters.host.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Reads a tar stream entry by entry: POSIX ustar headers (POSIX.1-1988, with the 155-byte name prefix), GNU long
 * names and link names ({@code L}, {@code K}), PAX extended headers ({@code x}: {@code path}, {@code linkpath},
 * {@code size}; global {@code g} headers are skipped) and GNU base-256 sizes. Header checksums are verified, so that
 * a stream that is no tar is refused at its first block rather than unpacked as garbage.
 *
 * <p>Not thread-safe; one reader per stream.
 */
final class TarInput {

    private static final int BLOCK = 512;

    /** Bounds a GNU long name or a PAX header, which are held in memory. */
    private static final int MAX_META_BYTES = 64 * 1024;

    /**
     * One entry.
     *
     * @param type the typeflag: {@code '0'} file, {@code '5'} directory, {@code '2'} symbolic link, {@code '1'} hard
     *     link, and others
     */
    record Entry(@NotNull String name, char type, long size, int mode, @NotNull String linkName) {}

    private final InputStream in;
    private final byte[] header = new byte[BLOCK];

    /** Bytes of the current entry's data (and padding) not yet consumed. */
    private long remaining;

    private long padding;

    TarInput(final @NotNull InputStream in) {
        this.in = in;
    }

    /** The next entry, with its data ready for {@link #read}; {@code null} at the end of the archive. */
    @Nullable
    Entry next() throws IOException {
        skipRest();
        String longName = null;
        String longLink = null;
        Map<String, String> pax = Map.of();
        while (true) {
            if (!readHeader()) {
                return null;
            }
            final char type = (char) header[156];
            final long size = size();
            final String name = ustarName();
            final String linkName = string(157, 100);
            final int mode = (int) octal(100, 8);
            switch (type) {
                case 'L' -> longName = nulTerminated(meta(size));
                case 'K' -> longLink = nulTerminated(meta(size));
                case 'x' -> pax = pax(meta(size));
                case 'g' -> meta(size);
                default -> {
                    final long actualSize = pax.containsKey("size") ? paxSize(pax.get("size")) : size;
                    start(actualSize);
                    return new Entry(
                            pax.getOrDefault("path", longName != null ? longName : name),
                            type == '\0' ? '0' : type,
                            actualSize,
                            mode,
                            pax.getOrDefault("linkpath", longLink != null ? longLink : linkName));
                }
            }
        }
    }

    /** Reads the current entry's data; -1 at its end. */
    int read(final byte @NotNull [] buffer) throws IOException {
        if (remaining - padding <= 0) {
            return -1;
        }
        final int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining - padding));
        if (n < 0) {
            throw new EOFException("the tar archive ends inside an entry's data");
        }
        remaining -= n;
        return n;
    }

    private void start(final long size) {
        padding = (BLOCK - size % BLOCK) % BLOCK;
        remaining = size + padding;
    }

    private void skipRest() throws IOException {
        while (remaining > 0) {
            final long skipped = in.skip(remaining);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("the tar archive ends inside an entry's data");
                }
                remaining--;
            } else {
                remaining -= skipped;
            }
        }
        remaining = 0;
        padding = 0;
    }

    /** Reads a header block; false at the end-of-archive marker (a zero block) or a clean end of stream. */
    private boolean readHeader() throws IOException {
        final int n = in.readNBytes(header, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new EOFException("the tar archive ends inside a header");
        }
        boolean zero = true;
        for (final byte b : header) {
            if (b != 0) {
                zero = false;
                break;
            }
        }
        if (zero) {
            return false;
        }
        final long recorded = octal(148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
        }
        if (sum != recorded) {
            throw new ArchiveRefusedException("it is not a tar archive (header checksum " + recorded
                    + " does not match " + sum + "); check the artifact and its 'format'");
        }
        return true;
    }

    private byte[] meta(final long size) throws IOException {
        if (size > MAX_META_BYTES) {
            throw new ArchiveRefusedException(
                    "it has an extended header of " + size + " bytes, more than " + MAX_META_BYTES + " allowed");
        }
        start(size);
        final byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new EOFException("the tar archive ends inside an extended header");
        }
        remaining = padding;
        skipRest();
        return data;
    }

    /** PAX records: {@code "<length> <key>=<value>\n"}, the length counting the whole record. */
    private static Map<String, String> pax(final byte[] data) throws ArchiveRefusedException {
        final Map<String, String> records = new HashMap<>();
        int at = 0;
        while (at < data.length) {
            int space = at;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            final int length;
            try {
                length = Integer.parseInt(new String(data, at, space - at, StandardCharsets.US_ASCII));
            } catch (final NumberFormatException e) {
                throw new ArchiveRefusedException("it has a malformed PAX header record at byte " + at);
            }
            if (length <= space - at + 1 || at + length > data.length) {
                throw new ArchiveRefusedException("it has a malformed PAX header record at byte " + at);
            }
            final String record = new String(data, space + 1, at + length - space - 2, StandardCharsets.UTF_8);
            final int equals = record.indexOf('=');
            if (equals > 0) {
                records.put(record.substring(0, equals), record.substring(equals + 1));
            }
            at += length;
        }
        return records;
    }

    private static long paxSize(final String value) throws ArchiveRefusedException {
        try {
            final long size = Long.parseLong(value);
            if (size < 0) {
                throw new NumberFormatException();
            }
            return size;
        } catch (final NumberFormatException e) {
            throw new ArchiveRefusedException("it has a PAX size that is not a number: " + value);
        }
    }

    private String ustarName() {
        final String name = string(0, 100);
        final boolean ustar = header[257] == 'u'
                && header[258] == 's'
                && header[259] == 't'
                && header[260] == 'a'
                && header[261] == 'r';
        final String prefix = ustar ? string(345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private long size() throws ArchiveRefusedException {
        if ((header[124] & 0x80) != 0) {
            // GNU base-256: big-endian two's complement in the remaining bits of the field.
            long value = header[124] & 0x7f;
            for (int i = 125; i < 136; i++) {
                if (value > (Long.MAX_VALUE >> 8)) {
                    throw new ArchiveRefusedException("it has an entry size that does not fit 63 bits");
                }
                value = (value << 8) | (header[i] & 0xff);
            }
            return value;
        }
        return octal(124, 12);
    }

    private long octal(final int offset, final int length) {
        long value = 0;
        for (int i = offset; i < offset + length; i++) {
            final byte b = header[i];
            if (b == 0 || b == ' ') {
                if (value != 0) {
                    break;
                }
                continue;
            }
            if (b < '0' || b > '7') {
                break;
            }
            value = (value << 3) + (b - '0');
        }
        return value;
    }

    private String string(final int offset, final int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String nulTerminated(final byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }
}
