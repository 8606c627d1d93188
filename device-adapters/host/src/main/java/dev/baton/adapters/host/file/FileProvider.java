package dev.baton.adapters.host.file;

import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ComponentProvider;
import dev.baton.adapters.api.Observation;
import dev.baton.adapters.api.ProviderContext;
import dev.baton.adapters.host.internal.AtomicFiles;
import dev.baton.adapters.host.internal.IoFailures;
import dev.baton.adapters.host.internal.LinkSafePermissions;
import dev.baton.protocol.ComponentSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code file} components: a file at an absolute {@code path} with UTF-8 {@code content} and an octal
 * {@code mode}.
 *
 * <p>Writes are atomic (see {@link AtomicFiles}) and skipped when the file already has the content and mode, so that
 * the reconciler may apply as often as it likes. The provider never follows or replaces a symbolic link at
 * {@code path}, never writes into a directory that {@code path} names, and never deletes a directory: those are
 * refused with a message, because they are the operator's mistake rather than drift to repair.
 *
 * <p>Threading: the provider keeps no state, so any thread may call it; the reconciler calls it from its own.
 */
public final class FileProvider implements ComponentProvider {

    /** The component kind this provider applies. */
    public static final String KIND = "file";

    private static final Logger log = LoggerFactory.getLogger(FileProvider.class);

    private static final int SHOWN_HASH_CHARS = 12;

    @Override
    public @NotNull String kind() {
        return KIND;
    }

    @Override
    public void validate(final @NotNull ComponentSpec spec) {
        FileConfig.decode(spec);
    }

    @Override
    public @NotNull String apply(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        final FileConfig config = FileConfig.decode(spec);
        final Path path = config.path();
        final Path directory = path.getParent();
        final byte[] content = config.contentBytes();
        try {
            final BasicFileAttributes existing = attributesOrNull(path);
            if (existing != null && !existing.isRegularFile()) {
                throw new ComponentException(ComponentException.Reason.APPLY_FAILED, refusal(path, existing));
            }
            Files.createDirectories(directory);
            final boolean posix = supportsPosix(path);
            final String modeNote =
                    posix ? "" : "; mode " + config.mode() + " ignored: the file system has no POSIX permissions";
            final boolean contentMatches = existing != null
                    && existing.size() == content.length
                    && Arrays.equals(sha256(path), sha256(content));
            final boolean modeMatches =
                    !posix || (existing != null && modeOf(path).equals(config.mode()));
            if (contentMatches && modeMatches) {
                return "unchanged: " + path + " already has the content" + (posix ? " and mode " + config.mode() : "")
                        + modeNote;
            }
            if (contentMatches) {
                LinkSafePermissions.set(path, config.mode().permissions());
                return "set mode " + config.mode() + " on " + path;
            }
            AtomicFiles.write(path, content, posix ? config.mode().permissions() : null);
            return "wrote " + content.length + " bytes to " + path + (posix ? " with mode " + config.mode() : "")
                    + modeNote;
        } catch (final IOException e) {
            throw new ComponentException(
                    ComponentException.Reason.APPLY_FAILED,
                    "could not write " + path + ": " + IoFailures.describe(e)
                            + "; check that the agent's user may create and write files in " + directory
                            + " and that its file system is writable and not full",
                    e);
        }
    }

    @Override
    public @NotNull Observation observe(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        final FileConfig config = FileConfig.decode(spec);
        final Path path = config.path();
        try {
            final BasicFileAttributes existing = attributesOrNull(path);
            if (existing == null) {
                return Observation.drifted(path + " is missing");
            }
            if (!existing.isRegularFile()) {
                return Observation.drifted(path + " is " + typeOf(existing) + ", not a regular file");
            }
            final byte[] content = config.contentBytes();
            if (existing.size() != content.length) {
                return Observation.drifted(path + " has " + existing.size() + " bytes, the spec " + content.length);
            }
            final byte[] actualHash = sha256(path);
            final byte[] wantedHash = sha256(content);
            if (!Arrays.equals(actualHash, wantedHash)) {
                return Observation.drifted(path + " has other content (SHA-256 " + shortHex(actualHash) + "…, the spec "
                        + shortHex(wantedHash) + "…)");
            }
            if (supportsPosix(path)) {
                final FileMode mode = modeOf(path);
                if (!mode.equals(config.mode())) {
                    return Observation.drifted(path + " has mode " + mode + ", the spec " + config.mode());
                }
            }
            return Observation.inSync();
        } catch (final IOException e) {
            // Drift rather than an error: observe must not fail, and apply will report the cause with what to do.
            return Observation.drifted("could not read " + path + ": " + IoFailures.describe(e));
        }
    }

    @Override
    public void remove(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        final FileConfig config = FileConfig.decode(spec);
        final Path path = config.path();
        try {
            Files.deleteIfExists(AtomicFiles.temporaryFileOf(path));
            final BasicFileAttributes existing = attributesOrNull(path);
            if (existing == null) {
                return;
            }
            if (!existing.isRegularFile()) {
                log.warn(
                        "Component {}: left {} in place: it is {}, not the file this component wrote",
                        context.componentName(),
                        path,
                        typeOf(existing));
                return;
            }
            Files.deleteIfExists(path);
            AtomicFiles.forceDirectory(path.getParent());
        } catch (final IOException e) {
            throw new ComponentException(
                    ComponentException.Reason.REMOVE_FAILED,
                    "could not delete " + path + ": " + IoFailures.describe(e)
                            + "; check that the agent's user may delete files in " + path.getParent(),
                    e);
        }
    }

    private static @Nullable BasicFileAttributes attributesOrNull(final Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (final NoSuchFileException e) {
            return null;
        }
    }

    private static String refusal(final Path path, final BasicFileAttributes existing) {
        if (existing.isDirectory()) {
            return "refusing to write " + path + ": it is a directory; make 'path' name a file, e.g. "
                    + path.resolve("name");
        }
        if (existing.isSymbolicLink()) {
            return "refusing to write " + path + ": it is a symbolic link, which a file component neither follows"
                    + " nor replaces; make 'path' name the link's target, or delete the link";
        }
        return "refusing to write " + path + ": it is " + typeOf(existing) + "; make 'path' name a regular file";
    }

    private static String typeOf(final BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        if (attributes.isSymbolicLink()) {
            return "a symbolic link";
        }
        return "a special file (device, FIFO or socket)";
    }

    private static boolean supportsPosix(final Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileMode modeOf(final Path path) throws IOException {
        return FileMode.of(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static byte[] sha256(final byte[] content) {
        return newSha256().digest(content);
    }

    private static byte[] sha256(final Path path) throws IOException {
        final MessageDigest digest = newSha256();
        try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
            final byte[] buffer = new byte[16 * 1024];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
            }
        }
        return digest.digest();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    private static String shortHex(final byte[] hash) {
        return HexFormat.of().formatHex(hash).substring(0, SHOWN_HASH_CHARS);
    }
}
