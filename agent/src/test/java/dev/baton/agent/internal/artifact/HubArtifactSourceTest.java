package dev.baton.agent.internal.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.baton.adapters.api.ComponentException;
import dev.baton.agent.internal.artifact.RangeServer.CutAfter;
import dev.baton.agent.internal.artifact.RangeServer.Serve;
import dev.baton.agent.internal.artifact.RangeServer.StallAfter;
import dev.baton.agent.internal.artifact.RangeServer.Status;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubArtifactSourceTest {

    private static final byte[] CONTENT = randomBytes(300_000);
    private static final String SHA = sha256(CONTENT);

    @TempDir
    Path dir;

    private ScheduledExecutorService scheduler;
    private RangeServer server;

    @BeforeEach
    void setUp() throws IOException {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        server = new RangeServer(CONTENT);
    }

    @AfterEach
    void tearDown() throws IOException {
        server.close();
        scheduler.shutdownNow();
    }

    @Test
    void downloadCutMidwayResumesWithARangeRequestAndEndsComplete() throws IOException {
        server.then(new CutAfter(100_000), new Serve(true));
        final HubArtifactSource source = source(Duration.ofSeconds(30));

        assertThatThrownBy(() -> source.fetch(SHA)).isInstanceOfSatisfying(ComponentException.class, e -> {
            assertThat(e.reason()).isEqualTo(ComponentException.Reason.APPLY_FAILED);
            assertThat(e.getMessage())
                    .startsWith("artifact " + SHA + " from the hub failed: ")
                    .endsWith("; the next attempt resumes where this one stopped");
        });
        final long kept = Files.size(cache().resolve(SHA + ".part"));
        assertThat(kept).isPositive().isLessThanOrEqualTo(100_000);

        final Path file = source.fetch(SHA);

        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(0).headers()).doesNotContainKey("range");
        assertThat(server.requests().get(1).headers()).containsEntry("range", "bytes=" + kept + "-");
        assertThat(server.requests().get(1).path()).isEqualTo("/api/v1/tenants/default/artifacts/" + SHA);
        assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);
        assertThat(file).isEqualTo(cache().resolve(SHA));
        assertThat(cache().resolve(SHA + ".part")).doesNotExist();
    }

    @Test
    void serverThatIgnoresTheRangeAndSendsTheWholeFileRestartsThePartCleanly() throws IOException {
        server.then(new CutAfter(50_000), new Serve(false));
        final HubArtifactSource source = source(Duration.ofSeconds(30));
        assertThatThrownBy(() -> source.fetch(SHA)).isInstanceOf(ComponentException.class);

        final Path file = source.fetch(SHA);

        assertThat(server.requests().get(1).headers()).containsKey("range");
        assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);
    }

    @Test
    void contentWithAnotherChecksumIsRefusedAndThePartDeleted() {
        final String expected = sha256("something else".getBytes(StandardCharsets.UTF_8));
        final HubArtifactSource source = source(Duration.ofSeconds(30));

        assertThatThrownBy(() -> source.fetch(expected)).isInstanceOfSatisfying(ComponentException.class, e -> {
            assertThat(e.reason()).isEqualTo(ComponentException.Reason.APPLY_FAILED);
            assertThat(e.getMessage())
                    .isEqualTo("artifact " + expected + " from the hub: the downloaded " + CONTENT.length
                            + " bytes have SHA-256 " + SHA + ", not the expected one; discarded them. Check"
                            + " that the desired document names the right artifact");
        });
        assertThat(cache().resolve(expected + ".part")).doesNotExist();
        assertThat(cache().resolve(expected)).doesNotExist();
    }

    @Test
    void notFoundAndUnauthorisedSayWhatToDo() {
        server.then(new Status(404), new Status(401));
        final HubArtifactSource source = source(Duration.ofSeconds(30));

        assertThatThrownBy(() -> source.fetch(SHA))
                .hasMessage("artifact " + SHA + " from the hub: not found (HTTP 404); upload it first (baton artifact"
                        + " upload FILE, or POST …/artifacts)");
        assertThatThrownBy(() -> source.fetch(SHA))
                .hasMessage("artifact " + SHA + " from the hub: the hub refused the download (HTTP 401); the node's"
                        + " credentials may be revoked: enroll it again");
    }

    @Test
    void stalledTransferIsCutByTheIdleTimeoutAndResumedLater() throws IOException {
        server.then(new StallAfter(20_000));
        final HubArtifactSource source = source(Duration.ofMillis(500));

        // The guard only keeps a broken idle timeout from hanging the build; it asserts nothing about speed.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThatThrownBy(() -> source.fetch(SHA))
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.getMessage())
                        .startsWith("artifact " + SHA + " from the hub failed: ")));

        final Path file = source.fetch(SHA);
        assertThat(server.requests().get(1).headers().get("range")).startsWith("bytes=");
        assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);
    }

    @Test
    void nodeCredentialsGoToTheHubButNeverToAnArtifactUrl() throws IOException {
        final HubArtifactSource source = source(Duration.ofSeconds(30));
        final byte[] other = "from elsewhere".getBytes(StandardCharsets.UTF_8);
        try (RangeServer elsewhere = new RangeServer(other)) {
            source.fetch(URI.create("http://127.0.0.1:" + elsewhere.port() + "/downloads/tool.bin"), sha256(other));

            assertThat(elsewhere.requests()).hasSize(1);
            assertThat(elsewhere.requests().get(0).headers()).doesNotContainKey("authorization");
        }
        source.fetch(SHA);

        assertThat(server.requests().get(0).headers())
                .containsEntry(
                        "authorization",
                        "Basic "
                                + Base64.getEncoder().encodeToString("node-1:secret".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void cachedArtifactIsReturnedWithoutAnyRequest() throws IOException {
        final HubArtifactSource source = source(Duration.ofSeconds(30));
        final Path first = source.fetch(SHA);

        final Path again = source(Duration.ofSeconds(30)).fetch(SHA);

        assertThat(again).isEqualTo(first);
        assertThat(server.requests()).hasSize(1);
        assertThat(Files.getPosixFilePermissions(again))
                .as("read-only, so that no provider changes a verified artifact by mistake")
                .doesNotContain(
                        PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.GROUP_WRITE,
                        PosixFilePermission.OTHERS_WRITE);
    }

    @Test
    void artifactUrlThatIsNotHttpIsRefusedAsAnInvalidSpec() {
        assertThatThrownBy(() -> source(Duration.ofSeconds(30)).fetch(URI.create("file:///etc/passwd"), SHA))
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComponentException.Reason.INVALID_SPEC));
        assertThat(server.requests()).isEmpty();
    }

    private HubArtifactSource source(final Duration idleTimeout) {
        return new HubArtifactSource(
                URI.create("http://127.0.0.1:" + server.port()),
                "default",
                "node-1",
                "secret",
                cache(),
                10L << 20,
                idleTimeout,
                scheduler);
    }

    private Path cache() {
        return dir.resolve("artifacts");
    }

    private static byte[] randomBytes(final int size) {
        final byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(final byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
