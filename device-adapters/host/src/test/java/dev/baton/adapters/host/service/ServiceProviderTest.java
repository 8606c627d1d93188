package dev.baton.adapters.host.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.Observation;
import dev.baton.adapters.api.testing.RecordingContext;
import dev.baton.adapters.host.internal.ArchiveUnpacker;
import dev.baton.adapters.host.internal.ProcessLiveness;
import dev.baton.adapters.host.internal.RestartBackoff;
import dev.baton.adapters.host.testing.Archives;
import dev.baton.adapters.host.testing.Archives.Entry;
import dev.baton.adapters.host.testing.Specs;
import dev.baton.protocol.ComponentSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceProviderTest {

    @TempDir
    Path dir;

    private ScheduledExecutorService scheduler;
    private RecordingContext context;
    private final List<ServiceProvider> providers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        context = new RecordingContext("web", dir.resolve("state/web"));
    }

    @AfterEach
    void killEverythingStarted() {
        providers.forEach(ServiceProvider::close);
        scheduler.shutdownNow();
        final List<ProcessHandle> everything =
                ProcessHandle.current().descendants().toList();
        everything.forEach(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(5)).until(() -> everything.stream().noneMatch(ProcessLiveness::isRunning));
    }

    @Test
    void applyUnpacksASystemTarGzAndRunsTheRelativeCommandInTheVersionDirectory() throws IOException {
        final String sha = context.addArtifact(serverTarGz("v1"));

        final String result = provider().apply(service(sha, "1.0"), context);

        final Path versionDirectory = versions().resolve(sha);
        final long pid = context.outputs().get("pid").longValue();
        assertThat(result)
                .isEqualTo("version 1.0 (sha256 " + sha.substring(0, 12) + "…): started pid " + pid + ": "
                        + versionDirectory.resolve("bin/server"));
        assertThat(context.outputs().get("version").textValue()).isEqualTo("1.0");
        assertThat(context.outputs().get("sha256").textValue()).isEqualTo(sha);
        await().untilAsserted(() -> assertThat(log()).contains("v1 running in " + versionDirectory));
        assertThat(provider().observe(service(sha, "1.0"), context)).isEqualTo(Observation.inSync());
        assertThat(versions())
                .isDirectoryNotContaining(path -> path.getFileName().toString().startsWith("."));
    }

    @Test
    void zipWithUnixModesUnpacksAnExecutableAndItsInternalSymlink() throws IOException {
        final String sha = context.addArtifact(Archives.zip(
                Entry.directory("bin"),
                Entry.file("bin/server-1.0", serverScript("zip"), 0755),
                Entry.symlink("bin/server", "server-1.0")));

        provider().apply(service(sha, null), context);

        assertThat(Files.readSymbolicLink(versions().resolve(sha).resolve("bin/server")))
                .isEqualTo(Path.of("server-1.0"));
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(versions().resolve(sha).resolve("bin/server-1.0"))))
                .isEqualTo("rwxr-xr-x");
        await().untilAsserted(() -> assertThat(log()).contains("zip running in"));
    }

    @Test
    void singleFileArtifactIsInstalledExecutableUnderItsFileName() throws IOException {
        final String sha = context.addArtifact(serverScript("single").getBytes(StandardCharsets.UTF_8));
        final ObjectNode properties = Specs.properties();
        properties.put("artifact", sha);
        properties.put("format", "file");
        properties.put("fileName", "server");
        properties.putArray("command").add("./server");

        provider().apply(Specs.component("web", "service", properties), context);

        assertThat(Files.isExecutable(versions().resolve(sha).resolve("server")))
                .isTrue();
        await().untilAsserted(() -> assertThat(log()).contains("single running in"));
    }

    @Test
    void entryThatClimbsOutWithDotDotIsRefusedAndNothingIsLeftBehind() {
        final String sha = context.addArtifact(
                Archives.tarGz(Entry.file("bin/server", "x", 0755), Entry.file("../../escaped", "owned", 0644)));

        assertRefused(sha, "entry '../../escaped' climbs out of the archive with '..'");
        assertThat(dir.resolve("state/escaped")).doesNotExist();
        assertThat(dir.resolve("escaped")).doesNotExist();
    }

    @Test
    void entryWithAnAbsolutePathIsRefused() {
        final String sha = context.addArtifact(Archives.tarGz(Entry.file("/tmp/baton-absolute-entry", "x", 0644)));

        assertRefused(sha, "entry '/tmp/baton-absolute-entry' has an absolute path");
        assertThat(Path.of("/tmp/baton-absolute-entry")).doesNotExist();
    }

    @Test
    void symlinksLeadingOutOfTheArchiveAreRefused() {
        assertRefused(
                context.addArtifact(Archives.tarGz(Entry.symlink("bin/passwd", "../../../../etc/passwd"))),
                "entry 'bin/passwd' is a symbolic link to '../../../../etc/passwd', which leads out of the archive");
        assertRefused(
                context.addArtifact(Archives.tarGz(Entry.symlink("passwd", "/etc/passwd"))),
                "entry 'passwd' is a symbolic link to the absolute path '/etc/passwd'");
        assertRefused(
                context.addArtifact(Archives.zip(Entry.symlink("etc", "../.."))),
                "entry 'etc' is a symbolic link to '../..', which leads out of the archive");
    }

    @Test
    void fileWrittenThroughAnEarlierSymlinkCannotEscapeBecauseLinksAreMadeLast() throws IOException {
        // A classic: a link inside the archive, then a file "through" it. The link may point anywhere inside, but the
        // file must land in a real directory of the archive, never where the link would take it.
        final String sha = context.addArtifact(Archives.tarGz(
                Entry.directory("data"),
                Entry.symlink("bin", "data"),
                Entry.file("bin/server", serverScript("through-link"), 0755)));

        assertRefused(sha, "entry 'bin' is a symbolic link where another entry of that name was unpacked");
    }

    @Test
    void fifoAndHardLinkOutsideAreRefused() {
        assertRefused(context.addArtifact(Archives.tarGz(Entry.fifo("pipe"))), "entry 'pipe' is a FIFO");
        assertRefused(
                context.addArtifact(Archives.tarGz(Entry.hardLink("shadow", "/etc/shadow"))),
                "entry '/etc/shadow' has an absolute path");
    }

    @Test
    void archiveThatUnpacksBeyondTheSizeLimitIsRefused() {
        final ServiceProvider small = provider(new ArchiveUnpacker.Limits(10_000, 100));
        final String sha = context.addArtifact(Archives.tarGz(
                Entry.file("bin/server", serverScript("big"), 0755), Entry.file("data/blob", new byte[20_000])));

        assertThatThrownBy(() -> small.apply(service(sha, null), context))
                .isInstanceOfSatisfying(ComponentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ComponentException.Reason.INVALID_SPEC);
                    assertThat(e.getMessage())
                            .isEqualTo("artifact " + sha.substring(0, 12) + " refused: it unpacks to more than 10000"
                                    + " bytes (the limit) at entry 'data/blob'; rebuild the artifact");
                });
        assertThat(versions()).isEmptyDirectory();
    }

    @Test
    void gzipThatHoldsNoTarIsRefusedAsNotATarArchive() throws IOException {
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(bytes)) {
            gzip.write("just a text file, gzipped, and long enough to fill a tar header block... "
                    .repeat(10)
                    .getBytes(StandardCharsets.UTF_8));
        }
        assertRefused(context.addArtifact(bytes.toByteArray()), "it is not a tar archive");
    }

    @Test
    void commandMissingFromTheArtifactFailsNamingIt() {
        final String sha = context.addArtifact(Archives.tarGz(Entry.file("README", "no server here", 0644)));

        assertThatThrownBy(() -> provider().apply(service(sha, null), context))
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.getMessage())
                        .startsWith("service component 'web': command[0] 'bin/server' is not a file in artifact "
                                + sha.substring(0, 12)));
    }

    @Test
    void upgradeStopsTheOldVersionKeepsExactlyOnePreviousAndARollbackNeedsNoDownload() throws IOException {
        final ServiceProvider provider = provider();
        final String v1 = context.addArtifact(serverTarGz("v1"));
        final String v2 = context.addArtifact(serverTarGz("v2"));
        final String v3 = context.addArtifact(serverTarGz("v3"));
        provider.apply(service(v1, "1"), context);
        final long pid1 = context.outputs().get("pid").longValue();
        provider.apply(service(v2, "2"), context);
        final long pid2 = context.outputs().get("pid").longValue();

        provider.apply(service(v3, "3"), context);

        assertThat(ProcessHandle.of(pid1).filter(ProcessLiveness::isRunning)).isEmpty();
        assertThat(ProcessHandle.of(pid2).filter(ProcessLiveness::isRunning)).isEmpty();
        assertThat(children(versions())).containsExactlyInAnyOrder(v3, v2);
        await().untilAsserted(() -> assertThat(log()).contains("v3 running in"));

        // A context without any artifact: fetching one would fail, so the rollback must use the kept directory.
        final RecordingContext noStore = new RecordingContext("web", context.stateDirectory());
        final String result = provider.apply(service(v2, "2"), noStore);

        assertThat(result).contains("version 2 (sha256 " + v2.substring(0, 12));
        assertThat(children(versions())).containsExactlyInAnyOrder(v3, v2);
        assertThat(provider.observe(service(v2, "2"), noStore)).isEqualTo(Observation.inSync());
        assertThat(provider.observe(service(v3, "3"), noStore).synced()).isFalse();
    }

    @Test
    void aNewProviderAdoptsTheRunningServiceInsteadOfStartingASecond() throws IOException {
        final String sha = context.addArtifact(serverTarGz("v1"));
        final ServiceProvider first = provider();
        first.apply(service(sha, "1"), context);
        final long pid = context.outputs().get("pid").longValue();
        first.close();

        final ServiceProvider second = provider();
        assertThat(second.observe(service(sha, "1"), context)).isEqualTo(Observation.inSync());
        final String result = second.apply(service(sha, "1"), context);

        assertThat(result).endsWith("running as pid " + pid);
        assertThat(context.outputs().get("pid").longValue()).isEqualTo(pid);
        assertThat(ProcessHandle.current()
                        .descendants()
                        .filter(ProcessLiveness::isRunning)
                        .filter(h -> h.info().commandLine().orElse("").contains("sleep 300")))
                .hasSize(1);
    }

    @Test
    void observeReportsAServiceThatDiedAsDrift() throws IOException {
        final String sha = context.addArtifact(serverTarGz("v1"));
        final ServiceProvider provider = provider();
        provider.apply(service(sha, "1"), context);
        final long pid = context.outputs().get("pid").longValue();

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        await().untilAsserted(() -> assertThat(
                        provider.observe(service(sha, "1"), context).detail())
                .startsWith("process is not running"));
    }

    @Test
    void removeStopsTheServiceAndDeletesEveryVersion() throws IOException {
        final String sha = context.addArtifact(serverTarGz("v1"));
        final ServiceProvider provider = provider();
        provider.apply(service(sha, "1"), context);
        final long pid = context.outputs().get("pid").longValue();

        provider.remove(service(sha, "1"), context);

        assertThat(ProcessHandle.of(pid).filter(ProcessLiveness::isRunning)).isEmpty();
        assertThat(versions()).doesNotExist();
        assertThat(provider.observe(service(sha, "1"), context).synced()).isFalse();
        provider.remove(service(sha, "1"), context);
    }

    @Test
    void validateNamesTheBadProperty() {
        final String sha = "a".repeat(64);
        for (final var bad : List.of(
                List.of("{\"command\": [\"x\"]}", "needs property 'artifact'"),
                List.of("{\"artifact\": \"abc\", \"command\": [\"x\"]}", "property 'artifact' must be a SHA-256"),
                List.of(
                        "{\"url\": \"https://example.org/a.tgz\", \"command\": [\"x\"]}",
                        "has property 'url' without 'sha256'"),
                List.of(
                        "{\"url\": \"ftp://example.org/a\", \"sha256\": \"" + sha + "\", \"command\": [\"x\"]}",
                        "property 'url' must be an https://"),
                List.of(
                        "{\"artifact\": \"" + sha + "\", \"url\": \"https://x/a\", \"command\": [\"x\"]}",
                        "has property 'artifact' and 'url'"),
                List.of(
                        "{\"artifact\": \"" + sha + "\", \"format\": \"rar\", \"command\": [\"x\"]}",
                        "property 'format' must be one of tar.gz, zip, file, but was \"rar\""),
                List.of("{\"artifact\": \"" + sha + "\"}", "needs property 'command'"),
                List.of(
                        "{\"artifact\": \"" + sha + "\", \"command\": [\"../bin/sh\"]}",
                        "property 'command[0]' must stay inside the unpacked artifact"),
                List.of(
                        "{\"artifact\": \"" + sha + "\", \"command\": [\"x\"], \"fileName\": \"a/b\"}",
                        "property 'fileName' must be a plain file name"))) {
            assertThatThrownBy(() -> provider().validate(Specs.component("web", "service", bad.get(0))))
                    .as(bad.get(0))
                    .isInstanceOfSatisfying(ComponentException.class, e -> {
                        assertThat(e.reason()).isEqualTo(ComponentException.Reason.INVALID_SPEC);
                        assertThat(e.getMessage())
                                .startsWith("service component 'web' ")
                                .contains(bad.get(1));
                    });
        }
    }

    private void assertRefused(final String sha, final String why) {
        assertThatThrownBy(() -> provider().apply(service(sha, null), context))
                .isInstanceOfSatisfying(ComponentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ComponentException.Reason.INVALID_SPEC);
                    assertThat(e.getMessage())
                            .startsWith("artifact " + sha.substring(0, 12) + " refused: ")
                            .contains(why);
                });
        assertThat(versions().resolve(sha)).doesNotExist();
        assertThat(children(versions())).noneMatch(name -> name.startsWith("."));
    }

    private ServiceProvider provider() {
        return provider(ArchiveUnpacker.Limits.DEFAULT);
    }

    private ServiceProvider provider(final ArchiveUnpacker.Limits limits) {
        final ServiceProvider provider =
                new ServiceProvider(scheduler, RestartBackoff.DEFAULT, Duration.ofSeconds(2), limits);
        providers.add(provider);
        return provider;
    }

    private byte[] serverTarGz(final String version) throws IOException {
        final Path source = Files.createDirectories(dir.resolve("build-" + version + "/bin"));
        final Path server = Files.writeString(source.resolve("server"), serverScript(version));
        Files.setPosixFilePermissions(server, PosixFilePermissions.fromString("rwxr-xr-x"));
        return Archives.systemTarGz(source.getParent());
    }

    private static String serverScript(final String version) {
        return "#!/bin/sh\necho \"" + version + " running in $(pwd)\"\nexec sleep 300\n";
    }

    private static ComponentSpec service(final String sha, final String version) {
        final ObjectNode properties = Specs.properties();
        properties.put("artifact", sha);
        properties.putArray("command").add("bin/server");
        if (version != null) {
            properties.put("version", version);
        }
        return Specs.component("web", "service", properties);
    }

    private Path versions() {
        return context.stateDirectory().resolve("versions");
    }

    private String log() throws IOException {
        final Path log = context.stateDirectory().resolve("output.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static List<String> children(final Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(path -> path.getFileName().toString()).toList();
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
