package dev.baton.adapters.mcu.component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A directory acting as a UF2 bootloader's mass-storage volume (no USB mass storage exists on the build machine): it
 * holds {@code INFO_UF2.TXT}, and a "bootloader" thread takes the first complete {@code .uf2} file written to it, keeps
 * its bytes, and removes the whole directory, as a board that rebooted into its application.
 */
final class Uf2Volume implements AutoCloseable {

    static final int RP2040 = 0xe48bff56;
    static final int SAMD21 = 0x68ed2b88;

    private final Path path;
    private final AtomicReference<byte[]> taken = new AtomicReference<>();
    private final Thread bootloader;
    private volatile boolean closed;

    private Uf2Volume(final Path path, final boolean reboots, final int expectedSize) {
        this.path = path;
        this.bootloader = new Thread(() -> serve(reboots, expectedSize), "uf2-volume-" + path.getFileName());
        bootloader.setDaemon(true);
        bootloader.start();
    }

    /** A volume with Board-ID {@code boardId} that reboots once a file of {@code expectedSize} bytes is complete. */
    static Uf2Volume mount(final Path path, final String boardId, final int expectedSize, final boolean reboots) {
        try {
            Files.createDirectories(path);
            Files.writeString(
                    path.resolve("INFO_UF2.TXT"),
                    "UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: " + boardId + "\n",
                    StandardCharsets.US_ASCII);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Uf2Volume(path, reboots, expectedSize);
    }

    Path path() {
        return path;
    }

    /** The bytes of the file the bootloader took, or null. */
    byte[] taken() {
        return taken.get();
    }

    private void serve(final boolean reboots, final int expectedSize) {
        while (!closed) {
            try (Stream<Path> files = Files.list(path)) {
                final Path uf2 = files.filter(f -> f.toString().endsWith(".uf2"))
                        .findFirst()
                        .orElse(null);
                if (uf2 != null && Files.size(uf2) == expectedSize) {
                    taken.set(Files.readAllBytes(uf2));
                    if (reboots) {
                        delete(path);
                    }
                    return;
                }
            } catch (final IOException e) {
                return; // the directory went away
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    private static void delete(final Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            for (final Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        bootloader.join(5_000);
    }

    /** A UF2 file of {@code blocks} 256-byte blocks of family {@code family} from {@code address}, seeded content. */
    static byte[] file(final int family, final long address, final int blocks, final int seed) {
        final ByteBuffer out = ByteBuffer.allocate(512 * blocks).order(ByteOrder.LITTLE_ENDIAN);
        final java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < blocks; i++) {
            final int at = 512 * i;
            out.putInt(at, 0x0A324655);
            out.putInt(at + 4, 0x9E5D5157);
            out.putInt(at + 8, 0x00002000); // family ID present
            out.putInt(at + 12, (int) (address + 256L * i));
            out.putInt(at + 16, 256);
            out.putInt(at + 20, i);
            out.putInt(at + 24, blocks);
            out.putInt(at + 28, family);
            final byte[] payload = new byte[256];
            random.nextBytes(payload);
            out.put(at + 32, payload);
            out.putInt(at + 508, 0x0AB16F30);
        }
        return out.array();
    }
}
