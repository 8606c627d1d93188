package dev.baton.adapters.host.internal;

import dev.baton.protocol.Names;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.jetbrains.annotations.NotNull;

/**
 * Unpacks an artifact into a new directory, refusing what could reach outside it or exhaust the disk:
 *
 * <ul>
 *   <li>an entry whose name is absolute ({@code /etc/x}, {@code C:\x}, {@code \\host\x}) or holds a {@code ..}
 *       segment;
 *   <li>a symbolic link whose target is absolute or leads out of the directory; links are created after every
 *       file, so that no file is ever written through one;
 *   <li>a hard link to anything but a file unpacked before it (it is unpacked as a copy);
 *   <li>device files, FIFOs and other special entries;
 *   <li>more than {@link Limits#maxBytes()} bytes in all, counted as they are written rather than trusted from the
 *       headers, and more than {@link Limits#maxEntries()} entries.
 * </ul>
 *
 * <p>Files get the owner's read/write permission plus the archive's execute bits (setuid, setgid and sticky bits and
 * group/other write are dropped); directories get {@code rwxr-xr-x}. Zip archives carry Unix modes only when made on
 * Unix ({@link ZipUnixModes}); elsewhere their files are not executable.
 */
public final class ArchiveUnpacker {

    /**
     * How much an archive may unpack to.
     *
     * @param maxBytes the total size of the files
     * @param maxEntries the number of entries of every kind
     */
    public record Limits(long maxBytes, int maxEntries) {

        /** 4 GiB in at most 100,000 entries. */
        public static final Limits DEFAULT = new Limits(4L << 30, 100_000);
    }

    private static final int MAX_LINK_TARGET_BYTES = 4096;

    private final Path root;
    private final Limits limits;
    private final List<Path[]> symlinks = new ArrayList<>();
    private final Set<Path> files = new HashSet<>();
    private long bytes;
    private int entries;

    private ArchiveUnpacker(final Path root, final Limits limits) {
        this.root = root;
        this.limits = limits;
    }

    /**
     * Unpacks {@code artifact} into {@code target}, which must not exist yet; on failure, {@code target} may hold part
     * of the archive and the caller deletes it.
     *
     * @param fileName the name of the single file for {@link ArchiveFormat#FILE}
     * @throws ArchiveRefusedException when the archive holds something refused above, or is not of {@code format}
     */
    public static void unpack(
            final @NotNull Path artifact,
            final @NotNull ArchiveFormat format,
            final @NotNull String fileName,
            final @NotNull Path target,
            final @NotNull Limits limits)
            throws IOException {
        Files.createDirectories(target.getParent());
        Files.createDirectory(target);
        final ArchiveUnpacker unpacker =
                new ArchiveUnpacker(target.toAbsolutePath().normalize(), limits);
        switch (format) {
            case TAR_GZ -> unpacker.tarGz(artifact);
            case ZIP -> unpacker.zip(artifact);
            case FILE -> unpacker.single(artifact, fileName);
        }
        unpacker.createSymlinks();
    }

    private void single(final Path artifact, final String fileName) throws IOException {
        final Path file = inside(fileName);
        try (InputStream in = Files.newInputStream(artifact)) {
            write(file, fileName, in::read, 0755);
        }
    }

    private void tarGz(final Path artifact) throws IOException {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(artifact)), 65536)) {
            final TarInput tar = new TarInput(in);
            TarInput.Entry entry;
            while ((entry = tar.next()) != null) {
                count(entry.name());
                final String name = entry.name();
                switch (entry.type()) {
                    case '0', '7' -> write(inside(name), name, tar::read, entry.mode());
                    case '5' -> directory(name);
                    case '2' -> symlink(name, entry.linkName());
                    case '1' -> hardLink(name, entry.linkName());
                    default -> throw new ArchiveRefusedException("entry '" + Names.printable(name) + "' is "
                            + describeType(entry.type()) + "; only files, directories and links are unpacked");
                }
            }
        } catch (final ZipException e) {
            // GZIPInputStream's way of saying "not gzip".
            throw new ArchiveRefusedException(
                    "it is not gzip-compressed (" + e.getMessage() + "); check the artifact and its 'format'");
        }
    }

    private void zip(final Path artifact) throws IOException {
        final Map<String, Integer> modes = ZipUnixModes.read(artifact);
        try (ZipFile zip = new ZipFile(artifact.toFile())) {
            final Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                final ZipEntry entry = all.nextElement();
                final String name = entry.getName();
                count(name);
                final int mode = modes.getOrDefault(name, 0644);
                if (entry.isDirectory()) {
                    directory(name);
                } else if ((mode & 0170000) == 0120000) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        final byte[] target = in.readNBytes(MAX_LINK_TARGET_BYTES + 1);
                        if (target.length > MAX_LINK_TARGET_BYTES) {
                            throw new ArchiveRefusedException("entry '" + Names.printable(name)
                                    + "' is a symbolic link with a target longer than " + MAX_LINK_TARGET_BYTES
                                    + " bytes");
                        }
                        symlink(name, new String(target, java.nio.charset.StandardCharsets.UTF_8));
                    }
                } else if ((mode & 0170000) != 0 && (mode & 0170000) != 0100000) {
                    throw new ArchiveRefusedException("entry '" + Names.printable(name)
                            + "' is a special file (mode " + Integer.toOctalString(mode)
                            + "); only files, directories and links are unpacked");
                } else {
                    try (InputStream in = zip.getInputStream(entry)) {
                        write(inside(name), name, in::read, mode);
                    }
                }
            }
        } catch (final ZipException e) {
            throw new ArchiveRefusedException(
                    "it is not a readable zip archive (" + e.getMessage() + "); check the artifact and its 'format'");
        }
    }

    /** Reads into a buffer; -1 at the end. */
    private interface Source {
        int read(byte[] buffer) throws IOException;
    }

    private void write(final Path file, final String name, final Source source, final int mode) throws IOException {
        Files.createDirectories(file.getParent());
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new ArchiveRefusedException(
                    "entry '" + Names.printable(name) + "' is a file where an earlier entry made a directory");
        }
        try (OutputStream out = Files.newOutputStream(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            final byte[] buffer = new byte[65536];
            int n;
            while ((n = source.read(buffer)) >= 0) {
                bytes += n;
                if (bytes > limits.maxBytes()) {
                    throw new ArchiveRefusedException("it unpacks to more than " + limits.maxBytes()
                            + " bytes (the limit) at entry '" + Names.printable(name) + "'");
                }
                out.write(buffer, 0, n);
            }
        }
        files.add(file);
        setPermissions(file, (mode & 0111) | 0644);
    }

    private void directory(final String name) throws IOException {
        final Path directory = inside(name);
        if (directory.equals(root)) {
            return;
        }
        Files.createDirectories(directory);
        setPermissions(directory, 0755);
    }

    private void symlink(final String name, final String target) throws IOException {
        final Path link = inside(name);
        if (target.isEmpty() || target.indexOf('\0') >= 0) {
            throw new ArchiveRefusedException(
                    "entry '" + Names.printable(name) + "' is a symbolic link without a usable target");
        }
        if (isAbsolute(target)) {
            throw new ArchiveRefusedException("entry '" + Names.printable(name) + "' is a symbolic link to the"
                    + " absolute path '" + Names.printable(target) + "'; only links within the archive are unpacked");
        }
        final Path resolved =
                link.getParent().resolve(target.replace('\\', '/')).normalize();
        if (!resolved.startsWith(root)) {
            throw new ArchiveRefusedException("entry '" + Names.printable(name) + "' is a symbolic link to '"
                    + Names.printable(target) + "', which leads out of the archive");
        }
        symlinks.add(new Path[] {link, Path.of(target)});
    }

    private void hardLink(final String name, final String target) throws IOException {
        final Path link = inside(name);
        final Path source = inside(target);
        if (!files.contains(source)) {
            throw new ArchiveRefusedException("entry '" + Names.printable(name) + "' is a hard link to '"
                    + Names.printable(target) + "', which is not a file unpacked before it");
        }
        try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS)) {
            write(link, name, in::read, 0644 | (isExecutable(source) ? 0111 : 0));
        }
    }

    private void createSymlinks() throws IOException {
        for (final Path[] symlink : symlinks) {
            Files.createDirectories(symlink[0].getParent());
            try {
                Files.createSymbolicLink(symlink[0], symlink[1]);
            } catch (final FileAlreadyExistsException e) {
                throw new ArchiveRefusedException("entry '" + root.relativize(symlink[0])
                        + "' is a symbolic link where another entry of that name was unpacked");
            }
        }
    }

    private void count(final String name) throws ArchiveRefusedException {
        entries++;
        if (entries > limits.maxEntries()) {
            throw new ArchiveRefusedException("it has more than " + limits.maxEntries() + " entries (the limit) at '"
                    + Names.printable(name) + "'");
        }
    }

    /** The path {@code name} unpacks to; refused when absolute or when it climbs out with {@code ..}. */
    private Path inside(final String name) throws ArchiveRefusedException {
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new ArchiveRefusedException("it has an entry without a usable name");
        }
        if (isAbsolute(name)) {
            throw new ArchiveRefusedException(
                    "entry '" + Names.printable(name) + "' has an absolute path; archive entries must be relative");
        }
        Path path = root;
        for (final String segment : name.replace('\\', '/').split("/")) {
            if (segment.equals("..")) {
                throw new ArchiveRefusedException("entry '" + Names.printable(name)
                        + "' climbs out of the archive with '..'; archive entries must stay inside it");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                path = path.resolve(segment);
            }
        }
        if (!path.normalize().startsWith(root)) {
            throw new ArchiveRefusedException("entry '" + Names.printable(name) + "' leads out of the archive");
        }
        return path;
    }

    private static boolean isAbsolute(final String name) {
        return name.startsWith("/")
                || name.startsWith("\\")
                || (name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0)));
    }

    private static String describeType(final char type) {
        return switch (type) {
            case '3' -> "a character device";
            case '4' -> "a block device";
            case '6' -> "a FIFO";
            default -> "of tar type '" + Names.printable(String.valueOf(type)) + "'";
        };
    }

    private static boolean isExecutable(final Path file) {
        return Files.isExecutable(file);
    }

    private static void setPermissions(final Path path, final int mode) throws IOException {
        if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        final Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        final PosixFilePermission[] bits = PosixFilePermission.values();
        // PosixFilePermission lists OWNER_READ first, which is bit 8 (0400), down to OTHERS_EXECUTE, bit 0.
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (bits.length - 1 - i))) != 0) {
                permissions.add(bits[i]);
            }
        }
        LinkSafePermissions.set(path, permissions);
    }
}
