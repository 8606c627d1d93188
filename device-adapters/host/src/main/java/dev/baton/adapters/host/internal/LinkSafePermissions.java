package dev.baton.adapters.host.internal;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.jetbrains.annotations.NotNull;

/**
 * Sets POSIX permissions on a path itself and never on the target of a symbolic link there.
 * {@link Files#setPosixFilePermissions} follows links ({@code chmod(2)}): had someone swapped a link in after the
 * provider checked the path, the agent, often running as root, would change the mode of whatever file the link names.
 * This opens the path with {@code O_NOFOLLOW} and changes the mode through that descriptor instead, so a link makes
 * it fail.
 */
public final class LinkSafePermissions {

    private LinkSafePermissions() {}

    /**
     * Sets {@code permissions} on {@code path}, which must be a file or directory the agent's user may read.
     *
     * @throws FileSystemException when {@code path} is a symbolic link, which is left alone, as is its target
     * @throws UnsupportedOperationException on a file system without POSIX permissions
     */
    public static void set(final @NotNull Path path, final @NotNull Set<PosixFilePermission> permissions)
            throws IOException {
        final PosixFileAttributeView view =
                Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            throw new UnsupportedOperationException(path + " is on a file system without POSIX permissions");
        }
        try {
            view.setPermissions(permissions);
        } catch (final FileSystemException e) {
            if (!Files.isSymbolicLink(path)) {
                throw e;
            }
            // The JDK's reason for ELOOP ("Too many levels of symbolic links or …") would puzzle an operator.
            final FileSystemException refusal = new FileSystemException(
                    path.toString(), null, "is a symbolic link; its mode is not set, nor its target's");
            refusal.initCause(e);
            throw refusal;
        }
    }
}
