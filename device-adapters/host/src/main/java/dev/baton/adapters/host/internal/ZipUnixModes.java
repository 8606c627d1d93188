package dev.baton.adapters.host.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.jetbrains.annotations.NotNull;

/**
 * The Unix modes of a zip's entries (file type and permissions), which {@link java.util.zip.ZipEntry} does not expose:
 * the high 16 bits of a central directory header's external attributes, when the "version made by" says Unix (3)
 * (APPNOTE.TXT 4.3.12, 4.4.2, 4.4.15). Zip64 archives and entries made elsewhere get no mode.
 */
final class ZipUnixModes {

    private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
    private static final int CENTRAL_DIRECTORY_HEADER = 0x02014b50;
    private static final int END_RECORD_SIZE = 22;
    private static final int MAX_COMMENT = 0xffff;
    private static final int UNIX = 3;

    private ZipUnixModes() {}

    /** Entry name to mode; empty when the archive gives none. */
    static @NotNull Map<String, Integer> read(final @NotNull Path zip) throws IOException {
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
            final long size = channel.size();
            final int tailSize = (int) Math.min(size, END_RECORD_SIZE + MAX_COMMENT);
            final ByteBuffer tail = ByteBuffer.allocate(tailSize).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(tail, size - tailSize);
            int end = -1;
            for (int i = tailSize - END_RECORD_SIZE; i >= 0; i--) {
                if (tail.getInt(i) == END_OF_CENTRAL_DIRECTORY) {
                    end = i;
                    break;
                }
            }
            if (end < 0) {
                return Map.of();
            }
            final int count = Short.toUnsignedInt(tail.getShort(end + 10));
            final long directorySize = Integer.toUnsignedLong(tail.getInt(end + 12));
            final long directoryOffset = Integer.toUnsignedLong(tail.getInt(end + 16));
            if (count == 0xffff
                    || directoryOffset == 0xffffffffL
                    || directorySize > Integer.MAX_VALUE
                    || directoryOffset + directorySize > size) {
                return Map.of();
            }
            final ByteBuffer directory =
                    ByteBuffer.allocate((int) directorySize).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(directory, directoryOffset);
            final Map<String, Integer> modes = new HashMap<>();
            int at = 0;
            for (int i = 0; i < count && at + 46 <= directorySize; i++) {
                if (directory.getInt(at) != CENTRAL_DIRECTORY_HEADER) {
                    break;
                }
                final int madeBy = Short.toUnsignedInt(directory.getShort(at + 4)) >> 8;
                final int nameLength = Short.toUnsignedInt(directory.getShort(at + 28));
                final int extraLength = Short.toUnsignedInt(directory.getShort(at + 30));
                final int commentLength = Short.toUnsignedInt(directory.getShort(at + 32));
                final int external = directory.getInt(at + 38);
                if (at + 46 + nameLength > directorySize) {
                    break;
                }
                final byte[] name = new byte[nameLength];
                directory.get(at + 46, name);
                if (madeBy == UNIX) {
                    modes.put(new String(name, StandardCharsets.UTF_8), external >>> 16);
                }
                at += 46 + nameLength + extraLength + commentLength;
            }
            return modes;
        }
    }
}
