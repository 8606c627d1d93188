package dev.baton.adapters.container.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.adapters.container.EngineEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Podman serving the Docker Engine API on a socket of its own: {@code podman system service --time=0
 * unix://<tmp>/podman.sock}, started once per test JVM as a child process, with a tiny local image built from
 * Debian's static busybox ({@code podman import}), since no registry is reachable.
 *
 * <p>Use with {@code @ExtendWith(PodmanExtension.class)} and a {@code PodmanEngine} parameter. Each test takes fresh
 * node names from {@link #newNode()}, so container names never collide across tests or runs; after each test the
 * containers labelled with its nodes are removed, and when the JVM's tests are done every container of every node
 * handed out is removed and the service stopped, whether the tests passed or not.
 *
 * <p>In CI ({@code CI=true}) a missing {@code podman} fails the tests; elsewhere they are skipped.
 */
public final class PodmanEngine implements AutoCloseable {

    /** The image every test container runs: busybox, its applets linked in /bin, a default command. */
    public static final String BUSYBOX_IMAGE = "localhost/baton-test-busybox:1";

    /** {@link #BUSYBOX_IMAGE} plus a health check that passes while {@code /tmp/healthy} exists. */
    public static final String HEALTH_CHECKED_IMAGE = "localhost/baton-test-busybox-health:1";

    /** What a container of {@link #BUSYBOX_IMAGE} prints first when run without a command. */
    public static final String IMAGE_DEFAULT_OUTPUT = "image-default-command";

    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path directory;
    private Process service;
    private final Set<String> allNodes = ConcurrentHashMap.newKeySet();
    private final List<String> testNodes = new ArrayList<>();
    private boolean healthImageBuilt;
    private boolean closed;

    /** Starts the service and builds the image; skips (or, in CI, fails) when podman is missing. */
    static PodmanEngine start() {
        if (!onPath("podman")) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("podman is not installed, and CI=true requires the container tests"
                        + " to run: apt-get install -y podman runc, and write /etc/containers/containers.conf as"
                        + " docs/hardware/container.md shows");
            }
            Assumptions.abort("podman is not installed; the container provider's engine tests need it");
        }
        final PodmanEngine engine = new PodmanEngine();
        // JUnit closes the engine when the tests end; the hook covers a JVM told to stop before that (SIGTERM).
        Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "podman-engine-cleanup"));
        try {
            engine.directory = Files.createTempDirectory("baton-podman");
            engine.startService();
            engine.buildBusyboxImage();
        } catch (final IOException e) {
            engine.close();
            throw new UncheckedIOException(e);
        } catch (final RuntimeException e) {
            engine.close();
            throw e;
        }
        return engine;
    }

    /** The service's socket. */
    public @NotNull Path socket() {
        return directory.resolve("podman.sock");
    }

    public @NotNull EngineEndpoint endpoint() {
        return new EngineEndpoint.Unix(socket());
    }

    /** The value of {@code DOCKER_HOST} that points a Docker client at this service. */
    public @NotNull String dockerHost() {
        return "unix://" + socket();
    }

    /** A directory for the test's files, deleted with the fixture. */
    public @NotNull Path directory() {
        return directory;
    }

    /** A node name nobody used before, whose containers are removed after the test. */
    public synchronized @NotNull String newNode() {
        final String node = "t" + HexFormat.of().formatHex(randomBytes());
        allNodes.add(node);
        testNodes.add(node);
        return node;
    }

    /** {@link #HEALTH_CHECKED_IMAGE}, built on first use. */
    public synchronized @NotNull String healthCheckedImage() {
        if (!healthImageBuilt) {
            if (!run("image", "exists", HEALTH_CHECKED_IMAGE).succeeded()) {
                try {
                    final Path build = Files.createDirectories(directory.resolve("health-image"));
                    Files.writeString(
                            build.resolve("Containerfile"),
                            "FROM " + BUSYBOX_IMAGE + "\n"
                                    // Podman without systemd never runs the check by itself: tests run it.
                                    + "HEALTHCHECK --interval=1h --retries=1 CMD [\"/bin/test\", \"-f\","
                                    + " \"/tmp/healthy\"]\n");
                    podman("build", "--format", "docker", "--pull=never", "-t", HEALTH_CHECKED_IMAGE, build.toString());
                } catch (final IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            healthImageBuilt = true;
        }
        return HEALTH_CHECKED_IMAGE;
    }

    /** Runs the podman CLI against the same storage as the service, and fails unless it succeeds. */
    public @NotNull String podman(final @NotNull String... arguments) {
        final CommandResult result = run(arguments);
        if (!result.succeeded()) {
            throw new IllegalStateException("podman " + String.join(" ", arguments) + " exited with "
                    + result.exitCode() + ": " + result.output());
        }
        return result.output();
    }

    /** Runs the podman CLI, whatever its outcome. */
    public @NotNull CommandResult run(final @NotNull String... arguments) {
        final List<String> command = new ArrayList<>();
        command.add("podman");
        command.addAll(List.of(arguments));
        try {
            final Path output = Files.createTempFile(directory, "podman", ".out");
            final Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", command) + " took longer than " + COMMAND_TIMEOUT);
            }
            final String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.delete(output);
            return new CommandResult(process.exitValue(), text);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** What {@code podman inspect} says about a container, or null when there is none. */
    public JsonNode inspect(final @NotNull String nameOrId) {
        final CommandResult result = run("container", "inspect", nameOrId);
        if (!result.succeeded()) {
            return null;
        }
        try {
            final JsonNode list = JSON.readTree(result.output());
            return list.isArray() && list.size() == 1 ? list.get(0) : null;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ids of all containers, running or not, labelled for {@code node}. */
    public @NotNull List<String> containersOf(final @NotNull String node) {
        return podman("ps", "-a", "--no-trunc", "--format", "{{.ID}}", "--filter", "label=dev.baton.node=" + node)
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .toList();
    }

    /** The exit code and merged stdout and stderr of a CLI call. */
    public record CommandResult(int exitCode, @NotNull String output) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** Removes the containers of the nodes handed out since the last call. */
    synchronized void removeTestContainers() {
        testNodes.forEach(this::removeContainersOf);
        testNodes.clear();
    }

    private void removeContainersOf(final String node) {
        final List<String> ids = containersOf(node);
        if (!ids.isEmpty()) {
            final List<String> arguments = new ArrayList<>(List.of("rm", "--force", "--time", "0"));
            arguments.addAll(ids);
            run(arguments.toArray(String[]::new));
        }
    }

    private void startService() throws IOException {
        final Path log = directory.resolve("service.log");
        service = new ProcessBuilder("podman", "system", "service", "--time=0", dockerHost())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        final long deadline = System.nanoTime() + SERVICE_START_TIMEOUT.toNanos();
        while (!accepts(socket())) {
            if (!service.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("podman system service did not come up on " + socket() + " within "
                        + SERVICE_START_TIMEOUT.toSeconds() + " s" + (service.isAlive() ? "" : " (it exited)")
                        + "; its log: " + Files.readString(log));
            }
            try {
                Thread.sleep(50);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for podman system service", e);
            }
        }
    }

    private void buildBusyboxImage() throws IOException {
        if (run("image", "exists", BUSYBOX_IMAGE).succeeded()) {
            return;
        }
        final Path busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox)) {
            throw new IllegalStateException("/bin/busybox is missing: apt-get install -y busybox-static");
        }
        final Path root = Files.createDirectories(directory.resolve("rootfs"));
        final Path bin = Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("tmp"));
        Files.copy(busybox, bin.resolve("busybox"));
        final CommandResult applets = runHost(List.of("/bin/busybox", "--list"));
        for (final String applet : applets.output().lines().map(String::strip).toList()) {
            if (!applet.isEmpty() && !applet.equals("busybox")) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
        }
        final Path tar = directory.resolve("rootfs.tar");
        final CommandResult packed = runHost(List.of("tar", "-C", root.toString(), "-cf", tar.toString(), "."));
        if (!packed.succeeded()) {
            throw new IllegalStateException("tar failed: " + packed.output());
        }
        podman(
                "import",
                "--change",
                "CMD [\"/bin/sh\", \"-c\", \"echo " + IMAGE_DEFAULT_OUTPUT + "; exec sleep 3600\"]",
                tar.toString(),
                BUSYBOX_IMAGE);
    }

    private CommandResult runHost(final List<String> command) throws IOException {
        final Process process =
                new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            return new CommandResult(process.waitFor(), output);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** Removes every container of every node handed out, stops the service and deletes the directory. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            if (service != null && service.isAlive()) {
                allNodes.forEach(this::removeContainersOf);
            }
        } finally {
            if (service != null) {
                service.destroy();
                try {
                    if (!service.waitFor(10, TimeUnit.SECONDS)) {
                        service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            deleteDirectory();
        }
    }

    private void deleteDirectory() {
        if (directory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (final IOException e) {
                    // Left in the temporary directory; nothing runs from it any more.
                }
            });
        } catch (final IOException e) {
            // As above.
        }
    }

    private static boolean accepts(final Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (final IOException e) {
            return false;
        }
    }

    private static boolean onPath(final String executable) {
        final String path = System.getenv("PATH");
        return path != null
                && Stream.of(path.split(java.io.File.pathSeparator))
                        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, executable)));
    }

    private static byte[] randomBytes() {
        final byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
