package dev.baton.adapters.host.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/** How an artifact is laid out: a gzip-compressed tar, a zip, or a single file used as it is. */
public enum ArchiveFormat {
    TAR_GZ("tar.gz"),
    ZIP("zip"),
    FILE("file");

    private final String property;

    ArchiveFormat(final String property) {
        this.property = property;
    }

    /** The value of a component's {@code format} property. */
    public @NotNull String property() {
        return property;
    }

    public static @NotNull Optional<ArchiveFormat> ofProperty(final @NotNull String value) {
        return Arrays.stream(values()).filter(f -> f.property.equals(value)).findFirst();
    }

    /**
     * The format {@code file}'s first bytes announce: gzip's magic {@code 1f 8b} is taken for a tar.gz, a zip local
     * header or empty-archive record ({@code PK 03 04}, {@code PK 05 06}) for a zip, anything else for a single file.
     * A gzip that holds no tar is then refused by the unpacker, with a message that says to set {@code format}.
     */
    public static @NotNull ArchiveFormat sniff(final @NotNull Path file) throws IOException {
        final byte[] head = new byte[4];
        final int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return TAR_GZ;
        }
        if (n == 4
                && head[0] == 'P'
                && head[1] == 'K'
                && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6))) {
            return ZIP;
        }
        return FILE;
    }
}
