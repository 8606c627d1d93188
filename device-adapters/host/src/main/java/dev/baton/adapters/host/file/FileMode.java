package dev.baton.adapters.host.file;

import dev.baton.protocol.Names;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.jetbrains.annotations.NotNull;

/**
 * The nine POSIX permission bits of a file, written in octal as in {@code chmod 0644}. The setuid, setgid and sticky
 * bits are outside what {@link PosixFilePermission} can set, so a mode that asks for them is refused rather than
 * applied without them.
 *
 * @param bits between {@code 0} and {@code 0777}
 */
record FileMode(int bits) {

    /** The mode of a file whose spec names none: owner writes, everyone reads. */
    static final FileMode DEFAULT = new FileMode(0644);

    /** {@code PosixFilePermission}'s declaration order, matched to bits 8 (owner read) down to 0 (others execute). */
    private static final PosixFilePermission[] BY_BIT = PosixFilePermission.values();

    FileMode {
        if (bits < 0 || bits > 0777) {
            throw new IllegalArgumentException(
                    "bits must be between 0 and 0777, but was 0" + Integer.toOctalString(bits));
        }
    }

    /**
     * Parses 3 or 4 octal digits ({@code "644"}, {@code "0644"}).
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}, to be prefixed with the property name
     */
    static @NotNull FileMode parse(final @NotNull String text) {
        if (text.length() < 3 || text.length() > 4 || !text.chars().allMatch(c -> c >= '0' && c <= '7')) {
            throw new IllegalArgumentException(
                    "must be 3 or 4 octal digits such as \"0644\", but was \"" + Names.printable(text) + '"');
        }
        final int bits = Integer.parseInt(text, 8);
        if (bits > 0777) {
            throw new IllegalArgumentException(
                    "must not set the setuid, setgid or sticky bit (they cannot be applied), but was \""
                            + Names.printable(text) + '"');
        }
        return new FileMode(bits);
    }

    static @NotNull FileMode of(final @NotNull Set<PosixFilePermission> permissions) {
        int bits = 0;
        for (final PosixFilePermission permission : permissions) {
            bits |= 1 << (8 - permission.ordinal());
        }
        return new FileMode(bits);
    }

    @NotNull
    Set<PosixFilePermission> permissions() {
        final Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < 9; bit++) {
            if ((bits & (1 << (8 - bit))) != 0) {
                permissions.add(BY_BIT[bit]);
            }
        }
        return permissions;
    }

    /** Four octal digits, as the spec writes it: {@code 0644}. */
    @Override
    public @NotNull String toString() {
        return String.format("%04o", bits);
    }
}
