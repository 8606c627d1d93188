package dev.baton.adapters.host.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a file so that a reader, or the host after a power cut, sees either the old content or the new content,
 * never a mix: write a temporary file in the same directory, force it to disk, rename it over the target (an atomic
 * {@code rename(2)} on POSIX file systems), then force the directory so that the rename itself survives a crash.
 *
 * <p>The replaced file is a new inode owned by the agent's user; hard links to the old file keep the old content.
 */
public final class AtomicFiles {

    private static final Logger log = LoggerFactory.getLogger(AtomicFiles.class);

    /** Suffix of the temporary file; a fixed name, so that a write interrupted by a crash is cleaned up by the next. */
    private static final String TEMPORARY_SUFFIX = ".baton-tmp";

    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private AtomicFiles() {}

    /**
     * Writes {@code content} to {@code target}, which must have a parent directory that exists.
     *
     * @param permissions set on the file before it becomes visible, or {@code null} on a file system without POSIX
     *     permissions
     */
    public static void write(
            final @NotNull Path target,
            final byte @NotNull [] content,
            final @Nullable Set<PosixFilePermission> permissions)
            throws IOException {
        final Path directory = target.toAbsolutePath().getParent();
        final Path temporary = temporaryFileOf(target);
        Files.deleteIfExists(temporary);
        boolean moved = false;
        try {
            // CREATE_NEW refuses an existing file, and so a symbolic link someone planted at the temporary name.
            final Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            final FileAttribute<?>[] attributes = permissions == null
                    ? new FileAttribute<?>[0]
                    : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)};
            try (FileChannel channel = FileChannel.open(temporary, options, attributes)) {
                final ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (permissions != null) {
                    // Set explicitly: the creation attribute is filtered by the umask, setting it afterwards is not.
                    // Not through a link: one swapped in for the temporary file after its creation is refused.
                    LinkSafePermissions.set(temporary, permissions);
                }
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                deleteAfterFailure(temporary);
            }
        }
        forceDirectory(directory);
    }

    /** The temporary file {@link #write} uses for {@code target}; a crash may leave it behind. */
    public static @NotNull Path temporaryFileOf(final @NotNull Path target) {
        return target.resolveSibling("." + target.getFileName() + TEMPORARY_SUFFIX);
    }

    /**
     * Forces a directory's entries to disk, so that a file created, renamed or deleted in it stays so after a power
     * cut. Not every platform can open a directory (Windows cannot); there the file system's own journal has to do.
     */
    public static void forceDirectory(final @NotNull Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (final IOException e) {
            log.debug("Could not force directory {} to disk; relying on the file system", directory, e);
        }
    }

    private static void deleteAfterFailure(final Path temporary) {
        try {
            Files.deleteIfExists(temporary);
        } catch (final IOException e) {
            log.warn("Could not delete temporary file {} after a failed write: {}", temporary, IoFailures.describe(e));
        }
    }
}
