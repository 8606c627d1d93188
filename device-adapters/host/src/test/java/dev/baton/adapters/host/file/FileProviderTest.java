package dev.baton.adapters.host.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.Observation;
import dev.baton.adapters.api.testing.RecordingContext;
import dev.baton.adapters.host.testing.Specs;
import dev.baton.protocol.ComponentSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileProviderTest {

    @TempDir
    Path dir;

    private final FileProvider provider = new FileProvider();
    private RecordingContext context;

    @BeforeEach
    void createContext() {
        context = new RecordingContext("motd", dir.resolve("state"));
    }

    @Test
    void applyWritesContentAsUtf8WithTheRequestedModeAndLeavesNoTemporaryFile() throws IOException {
        final Path target = dir.resolve("etc/baton/motd");

        final String result = provider.apply(file(target, "grüße\n", "0600"), context);

        assertThat(target).hasBinaryContent("grüße\n".getBytes(StandardCharsets.UTF_8));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo("rw-------");
        assertThat(result).contains("wrote 8 bytes", target.toString(), "mode 0600");
        try (Stream<Path> siblings = Files.list(target.getParent())) {
            assertThat(siblings).containsExactly(target);
        }
    }

    @Test
    void applyWithoutContentOrModeWritesAnEmptyFileWithMode0644() throws IOException {
        final Path target = dir.resolve("empty");
        final ObjectNode properties = Specs.properties().put("path", target.toString());

        provider.apply(Specs.component("motd", "file", properties), context);

        assertThat(target).isEmptyFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo("rw-r--r--");
    }

    @Test
    void secondApplyOfTheSameSpecDoesNotRewriteTheFile() throws IOException {
        final Path target = dir.resolve("motd");
        final ComponentSpec spec = file(target, "hello\n", "0644");
        provider.apply(spec, context);
        // An old timestamp makes a rewrite visible even within the file system's timestamp granularity.
        Files.setLastModifiedTime(target, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        final Object inode = attributes(target).fileKey();

        final String result = provider.apply(spec, context);

        assertThat(result).startsWith("unchanged");
        assertThat(attributes(target).fileKey()).isEqualTo(inode);
        assertThat(attributes(target).lastModifiedTime())
                .isEqualTo(FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    }

    @Test
    void changedContentReplacesTheFileWithANewInode() throws IOException {
        final Path target = dir.resolve("motd");
        provider.apply(file(target, "old\n", "0644"), context);
        final Object oldInode = attributes(target).fileKey();

        provider.apply(file(target, "new\n", "0644"), context);

        assertThat(target).hasContent("new");
        // A new inode shows that the file was renamed into place rather than overwritten in place.
        assertThat(attributes(target).fileKey()).isNotEqualTo(oldInode);
    }

    @Test
    void changedModeAloneIsAppliedWithoutRewritingTheFile() throws IOException {
        final Path target = dir.resolve("motd");
        provider.apply(file(target, "hello\n", "0644"), context);
        final Object inode = attributes(target).fileKey();

        final String result = provider.apply(file(target, "hello\n", "0640"), context);

        assertThat(result).isEqualTo("set mode 0640 on " + target);
        assertThat(attributes(target).fileKey()).isEqualTo(inode);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo("rw-r-----");
    }

    @Test
    void observeIsInSyncRightAfterApply() {
        final ComponentSpec spec = file(dir.resolve("motd"), "hello\n", "0600");
        provider.apply(spec, context);

        assertThat(provider.observe(spec, context)).isEqualTo(Observation.inSync());
    }

    @Test
    void observeReportsADeletedFileAsMissing() throws IOException {
        final Path target = dir.resolve("motd");
        final ComponentSpec spec = file(target, "hello\n", "0644");
        provider.apply(spec, context);
        Files.delete(target);

        assertThat(provider.observe(spec, context)).isEqualTo(Observation.drifted(target + " is missing"));
    }

    @Test
    void observeReportsChangedContentOfTheSameLengthByItsHash() throws IOException {
        final Path target = dir.resolve("motd");
        final ComponentSpec spec = file(target, "hello\n", "0644");
        provider.apply(spec, context);
        Files.writeString(target, "HELLO\n");

        final Observation observation = provider.observe(spec, context);

        assertThat(observation.synced()).isFalse();
        assertThat(observation.detail()).startsWith(target + " has other content (SHA-256 ");
    }

    @Test
    void observeReportsChangedLength() throws IOException {
        final Path target = dir.resolve("motd");
        final ComponentSpec spec = file(target, "hello\n", "0644");
        provider.apply(spec, context);
        Files.writeString(target, "hello, world\n");

        assertThat(provider.observe(spec, context))
                .isEqualTo(Observation.drifted(target + " has 13 bytes, the spec 6"));
    }

    @Test
    void observeReportsAChangedModeAndApplyRestoresIt() throws IOException {
        final Path target = dir.resolve("motd");
        final ComponentSpec spec = file(target, "hello\n", "0644");
        provider.apply(spec, context);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw-rw-"));

        assertThat(provider.observe(spec, context))
                .isEqualTo(Observation.drifted(target + " has mode 0666, the spec 0644"));

        provider.apply(spec, context);
        assertThat(provider.observe(spec, context)).isEqualTo(Observation.inSync());
    }

    @Test
    void observeReportsADirectoryInPlaceOfTheFile() throws IOException {
        final Path target = dir.resolve("motd");
        final ComponentSpec spec = file(target, "hello\n", "0644");
        provider.apply(spec, context);
        Files.delete(target);
        Files.createDirectory(target);

        assertThat(provider.observe(spec, context))
                .isEqualTo(Observation.drifted(target + " is a directory, not a regular file"));
    }

    @Test
    void applyAfterDriftRestoresContent() throws IOException {
        final Path target = dir.resolve("motd");
        final ComponentSpec spec = file(target, "hello\n", "0644");
        provider.apply(spec, context);
        Files.writeString(target, "tampered\n");

        provider.apply(spec, context);

        assertThat(target).hasContent("hello");
        assertThat(provider.observe(spec, context).synced()).isTrue();
    }

    @Test
    void applyRefusesAPathThatIsAnExistingDirectoryAndLeavesItAlone() throws IOException {
        final Path target = Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(target.resolve("keep"), "x");

        assertThatThrownBy(() -> provider.apply(file(target, "hello\n", "0644"), context))
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComponentException.Reason.APPLY_FAILED))
                .hasMessageContaining("refusing to write " + target + ": it is a directory")
                .hasMessageContaining(target.resolve("name").toString());
        assertThat(target.resolve("keep")).hasContent("x");
    }

    @Test
    void applyRefusesToWriteThroughASymbolicLink() throws IOException {
        final Path outside = Files.writeString(dir.resolve("outside"), "precious");
        final Path link = Files.createSymbolicLink(dir.resolve("link"), outside);

        assertThatThrownBy(() -> provider.apply(file(link, "overwritten", "0644"), context))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("it is a symbolic link");
        assertThat(outside).hasContent("precious");
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void applyLeavesTheModeOfASymbolicLinksTargetAloneEvenWhenTheContentMatches() throws IOException {
        // Content equal to the spec's: only the mode differs, the case in which apply would change just the mode.
        final Path outside = Files.writeString(dir.resolve("outside"), "precious");
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-------"));
        final Path link = Files.createSymbolicLink(dir.resolve("link"), outside);

        assertThatThrownBy(() -> provider.apply(file(link, "precious", "0777"), context))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("it is a symbolic link");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outside)))
                .isEqualTo("rw-------");
    }

    @Test
    void applyFailureSaysWhatFailedWhyAndWhatToDo() throws IOException {
        // A regular file where a parent directory should be fails even for root, unlike a permission test.
        final Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
        final Path target = blocker.resolve("motd");

        assertThatThrownBy(() -> provider.apply(file(target, "hello\n", "0644"), context))
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComponentException.Reason.APPLY_FAILED))
                .hasMessageStartingWith("could not write " + target + ": ")
                .hasMessageContaining("check that the agent's user may create and write files in " + blocker);
    }

    @Test
    void removeDeletesTheFileButNotItsDirectory() {
        final Path target = dir.resolve("etc/motd");
        final ComponentSpec spec = file(target, "hello\n", "0644");
        provider.apply(spec, context);

        provider.remove(spec, context);

        assertThat(target).doesNotExist();
        assertThat(target.getParent()).isDirectory();
    }

    @Test
    void removeOfAMissingFileSucceeds() {
        final Path target = dir.resolve("never-written");

        provider.remove(file(target, "hello\n", "0644"), context);

        assertThat(target).doesNotExist();
    }

    @Test
    void removeLeavesADirectoryAtThePathInPlace() throws IOException {
        final Path target = Files.createDirectory(dir.resolve("conf.d"));

        provider.remove(file(target, "hello\n", "0644"), context);

        assertThat(target).isDirectory();
    }

    @Test
    void removeCleansUpATemporaryFileLeftByACrashDuringWrite() throws IOException {
        final Path target = dir.resolve("motd");
        final Path leftover = Files.writeString(dir.resolve(".motd.baton-tmp"), "half");

        provider.remove(file(target, "hello\n", "0644"), context);

        assertThat(leftover).doesNotExist();
    }

    private static ComponentSpec file(final Path path, final String content, final String mode) {
        return Specs.component(
                "motd",
                "file",
                Specs.properties()
                        .put("path", path.toString())
                        .put("content", content)
                        .put("mode", mode));
    }

    private static BasicFileAttributes attributes(final Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }
}
