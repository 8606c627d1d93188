package dev.baton.adapters.host.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jetbrains.annotations.NotNull;

/**
 * Archives for tests: well-formed ones made by the system's GNU tar, and hand-made ones with the entries a real tool
 * refuses to write (names with {@code ..}, links out of the archive, devices), written byte by byte as POSIX ustar
 * and APPNOTE zip lay them out.
 */
public final class Archives {

    private Archives() {}

    /** {@code tar -czf} of {@code directory}'s content, by the system's tar. */
    public static byte @NotNull [] systemTarGz(final @NotNull Path directory) {
        try {
            final Path out = Files.createTempFile("baton-test", ".tar.gz");
            try {
                final Process tar = new ProcessBuilder("tar", "-czf", out.toString(), "-C", directory.toString(), ".")
                        .redirectErrorStream(true)
                        .start();
                if (!tar.waitFor(30, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                    throw new IllegalStateException(
                            "tar failed: " + new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
                return Files.readAllBytes(out);
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One entry of a hand-made archive. */
    public record Entry(@NotNull String name, char type, int mode, byte @NotNull [] content, @NotNull String link) {

        public static @NotNull Entry file(final @NotNull String name, final @NotNull String content, final int mode) {
            return new Entry(name, '0', mode, content.getBytes(StandardCharsets.UTF_8), "");
        }

        public static @NotNull Entry file(final @NotNull String name, final byte @NotNull [] content) {
            return new Entry(name, '0', 0644, content, "");
        }

        public static @NotNull Entry directory(final @NotNull String name) {
            return new Entry(name.endsWith("/") ? name : name + "/", '5', 0755, new byte[0], "");
        }

        public static @NotNull Entry symlink(final @NotNull String name, final @NotNull String target) {
            return new Entry(name, '2', 0777, new byte[0], target);
        }

        public static @NotNull Entry hardLink(final @NotNull String name, final @NotNull String target) {
            return new Entry(name, '1', 0644, new byte[0], target);
        }

        public static @NotNull Entry fifo(final @NotNull String name) {
            return new Entry(name, '6', 0644, new byte[0], "");
        }
    }

    /** A gzip-compressed ustar archive of {@code entries}, in order. */
    public static byte @NotNull [] tarGz(final @NotNull Entry... entries) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            for (final Entry entry : entries) {
                gzip.write(ustarHeader(entry));
                gzip.write(entry.content());
                gzip.write(new byte[(512 - entry.content().length % 512) % 512]);
            }
            gzip.write(new byte[1024]);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] ustarHeader(final Entry entry) {
        final byte[] header = new byte[512];
        put(header, 0, 100, entry.name());
        put(header, 100, 8, String.format("%07o", entry.mode()));
        put(header, 108, 8, "0000000");
        put(header, 116, 8, "0000000");
        put(header, 124, 12, String.format("%011o", entry.content().length));
        put(header, 136, 12, String.format("%011o", 0));
        header[156] = (byte) entry.type();
        put(header, 157, 100, entry.link());
        put(header, 257, 6, "ustar");
        put(header, 263, 2, "00");
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        int sum = 0;
        for (final byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, 8, String.format("%06o", sum) + "\0 ");
        return header;
    }

    private static void put(final byte[] header, final int offset, final int length, final String value) {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > length) {
            throw new IllegalArgumentException(value + " does not fit " + length + " bytes");
        }
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    /**
     * A zip of {@code entries} ({@code '0'} files, {@code '5'} directories, {@code '2'} symbolic links whose content is
     * the target), with Unix modes in the central directory as Info-ZIP writes them on Unix.
     */
    public static byte @NotNull [] zip(final @NotNull Entry... entries) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> modes = new ArrayList<>();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (final Entry entry : entries) {
                zip.putNextEntry(new ZipEntry(entry.name()));
                zip.write(entry.type() == '2' ? entry.link().getBytes(StandardCharsets.UTF_8) : entry.content());
                zip.closeEntry();
                final int type =
                        switch (entry.type()) {
                            case '5' -> 0040000;
                            case '2' -> 0120000;
                            default -> 0100000;
                        };
                modes.add(type | entry.mode());
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final byte[] archive = bytes.toByteArray();
        // ZipOutputStream cannot set external attributes: patch "version made by" (Unix) and the mode into each
        // central directory header, found through the end-of-central-directory record (APPNOTE 4.3.12, 4.3.16).
        final ByteBuffer buffer = ByteBuffer.wrap(archive).order(ByteOrder.LITTLE_ENDIAN);
        final int end = archive.length - 22;
        int at = buffer.getInt(end + 16);
        for (final int mode : modes) {
            buffer.put(at + 5, (byte) 3);
            buffer.putInt(at + 38, mode << 16);
            at += 46
                    + Short.toUnsignedInt(buffer.getShort(at + 28))
                    + Short.toUnsignedInt(buffer.getShort(at + 30))
                    + Short.toUnsignedInt(buffer.getShort(at + 32));
        }
        return archive;
    }
}
