package dev.baton.adapters.host.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkSafePermissionsTest {

    @TempDir
    Path dir;

    @Test
    void setsTheModeOfARegularFile() throws IOException {
        final Path file = Files.writeString(dir.resolve("file"), "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        LinkSafePermissions.set(file, PosixFilePermissions.fromString("rw-r-----"));

        assertThat(modeOf(file)).isEqualTo("rw-r-----");
    }

    @Test
    void refusesASymbolicLinkAndLeavesTheModeOfItsTargetAlone() throws IOException {
        // As the agent runs as root, a followed link would let it chmod any file, /etc/shadow say.
        final Path target = Files.writeString(dir.resolve("shadow"), "secret");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        final Path link = Files.createSymbolicLink(dir.resolve("link"), target);

        assertThatThrownBy(() -> LinkSafePermissions.set(link, PosixFilePermissions.fromString("rwxrwxrwx")))
                .isInstanceOf(FileSystemException.class)
                .hasMessage(link + ": is a symbolic link; its mode is not set, nor its target's");

        assertThat(modeOf(target)).isEqualTo("rw-------");
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    private static String modeOf(final Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
