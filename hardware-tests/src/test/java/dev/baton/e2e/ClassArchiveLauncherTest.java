package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.Launchers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers' class-data archive (bin/lib/class-archive.sh): a run dumps one at exit, the next start promotes it
 * and the JVM maps it; a dump that never completed is thrown away, and help never makes one.
 */
class ClassArchiveLauncherTest {

    /** Unreachable: the CLI fails fast, after loading what talking to a hub needs. */
    private static final String NO_HUB = "http://127.0.0.1:9";

    @TempDir
    Path tmp;

    @Test
    void aFinishedRunLeavesAnArchiveThatTheNextStartMaps() throws Exception {
        final Path dir = tmp.resolve("cds");

        final Launchers.Result first = Launchers.run(env(dir, false), "baton", "--hub", NO_HUB, "nodes");
        assertThat(first.exitCode()).as(first.toString()).isEqualTo(2);
        assertThat(first.stdout())
                .as("the dump's warnings (it skips picocli's Java 5 classes) stay out of the CLI's answer")
                .isEmpty();
        assertThat(files(dir))
                .as("the dump and the JVM's log of it, named after the run's pid")
                .anyMatch(name -> name.matches("baton-cli-.*\\.jsa\\.\\d+"))
                .anyMatch(name -> name.matches("baton-cli-.*\\.jsa\\.\\d+\\.log"));

        final Launchers.Result second = Launchers.run(env(dir, true), "baton", "--hub", NO_HUB, "nodes");
        assertThat(second.exitCode()).as(second.toString()).isEqualTo(2);
        assertThat(files(dir)).singleElement().asString().matches("baton-cli-.*\\.jsa");
        final String archive = dir.resolve(files(dir).get(0)).toString();
        assertThat(second.stdout()).contains("Opened archive " + archive);
    }

    @Test
    void aDumpWhoseRunEndedBeforeItWasWrittenIsDeletedNotUsed() throws Exception {
        final Path dir = tmp.resolve("cds");
        Launchers.run(env(dir, false), "baton", "--hub", NO_HUB, "nodes");
        final Path dump = single(dir, "\\.jsa\\.\\d+");
        final Path log = single(dir, "\\.jsa\\.\\d+\\.log");
        // As if the run was killed while dumping: half the archive, and a log without the final line.
        final byte[] bytes = Files.readAllBytes(dump);
        dump.toFile().setWritable(true);
        Files.write(dump, Arrays.copyOf(bytes, bytes.length / 2));
        Files.write(
                log,
                Files.readAllLines(log).stream()
                        .filter(line -> !line.contains("Written dynamic archive"))
                        .toList());

        final Launchers.Result next = Launchers.run(env(dir, true), "baton", "--hub", NO_HUB, "nodes");

        assertThat(next.exitCode()).as(next.toString()).isEqualTo(2);
        assertThat(next.stdout()).doesNotContain("Opened archive " + dir);
        assertThat(files(dir))
                .as("the broken dump is gone; this run dumps anew")
                .doesNotContain(dump.getFileName().toString())
                .noneMatch(name -> name.endsWith(".jsa"))
                .anyMatch(name -> name.matches("baton-cli-.*\\.jsa\\.\\d+"));
    }

    @Test
    void helpNeverDumpsAnArchive() throws Exception {
        final Path dir = tmp.resolve("cds");

        final Launchers.Result help = Launchers.run(env(dir, false), "baton", "--help");

        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(files(dir)).isEmpty();
    }

    private static Map<String, String> env(final Path dir, final boolean logArchives) {
        return logArchives
                ? Map.of("BATON_CDS_DIR", dir.toString(), "JAVA_TOOL_OPTIONS", "-Xlog:cds=info:stdout")
                : Map.of("BATON_CDS_DIR", dir.toString());
    }

    private static List<String> files(final Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    private static Path single(final Path dir, final String suffixPattern) throws IOException {
        final List<String> matching = files(dir).stream()
                .filter(name -> name.matches("baton-cli-.*" + suffixPattern))
                .toList();
        assertThat(matching).hasSize(1);
        return dir.resolve(matching.get(0));
    }
}
