package dev.baton.hub.internal.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <dataDir>/admin.token}: the admin API token in plain text, readable by the hub's user only (mode 0600). It
 * is written on first start and kept afterwards; the store holds only its hash.
 */
public final class AdminTokenFile {

    private static final Logger log = LoggerFactory.getLogger(AdminTokenFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AdminTokenFile() {}

    /**
     * Reads the token, or creates the file with a new random token when it does not exist or is empty.
     *
     * @throws UncheckedIOException when the file cannot be read or written
     */
    public static @NotNull String loadOrCreate(final @NotNull Path file) {
        try {
            if (Files.exists(file)) {
                final String token =
                        Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!token.isEmpty()) {
                    tightenPermissions(file);
                    return token;
                }
                log.warn("{} is empty; writing a new admin token", file);
                Files.delete(file);
            }
            final String token = SecretTokens.newSecret();
            create(file, token);
            log.info("wrote a new admin API token to {} (mode 0600)", file);
            return token;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read or write the admin token file " + file + ": " + e, e);
        }
    }

    private static void create(final Path file, final String token) throws IOException {
        if (isPosix(file)) {
            // Created with 0600 from the first byte, so the token is never readable by others, not even briefly.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, token + '\n', StandardCharsets.UTF_8);
    }

    private static void tightenPermissions(final Path file) throws IOException {
        if (!isPosix(file)) {
            return;
        }
        final Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (!permissions.equals(OWNER_ONLY)) {
            log.warn(
                    "{} had mode {}; setting it to rw------- so that only the hub's user can read the admin token",
                    file,
                    PosixFilePermissions.toString(permissions));
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static boolean isPosix(final Path file) {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
