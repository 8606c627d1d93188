package dev.baton.adapters.host.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ComponentException.Reason;
import dev.baton.adapters.api.ComponentProvider;
import dev.baton.adapters.api.Observation;
import dev.baton.adapters.api.ProviderContext;
import dev.baton.adapters.host.internal.ArchiveFormat;
import dev.baton.adapters.host.internal.ArchiveRefusedException;
import dev.baton.adapters.host.internal.ArchiveUnpacker;
import dev.baton.adapters.host.internal.AtomicFiles;
import dev.baton.adapters.host.internal.IoFailures;
import dev.baton.adapters.host.internal.ProcessSupervisor;
import dev.baton.adapters.host.internal.RestartBackoff;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.Names;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code service} components: a native program shipped as an artifact (a tar.gz, a zip or a single file),
 * unpacked into a directory per version and run supervised like a {@code process} component by the same
 * {@link ProcessSupervisor}: restarted with back-off, adopted by a restarted agent, stopped with its descendants.
 *
 * <h2>Versions</h2>
 *
 * Each artifact unpacks once into {@code versions/<sha256>/} in the component's state directory: into a temporary
 * sibling first, renamed into place when complete, so that a crash never leaves a half-unpacked version that looks
 * whole. An upgrade fetches and unpacks the new version while the old one still runs, then stops the old process and
 * starts the new one. {@code versions.json} names the current version and the one before it; both directories are
 * kept, so that going back to the previous spec (a rollback) needs no download, and every older one is deleted.
 *
 * <h2>Threading</h2>
 *
 * Every method runs on the reconciler's thread; {@link #apply} blocks it while the artifact downloads and unpacks.
 */
public final class ServiceProvider implements ComponentProvider {

    /** The component kind this provider applies. */
    public static final String KIND = "service";

    /** How long a service may take to exit after SIGTERM before it gets SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(10);

    static final String VERSIONS_DIRECTORY = "versions";
    static final String VERSIONS_FILE = "versions.json";

    /** Prefix of a version directory being unpacked; any found at an apply are left over from a crash. */
    private static final String UNPACKING_PREFIX = ".unpacking-";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(ServiceProvider.class);

    private final ProcessSupervisor supervisor;
    private final ArchiveUnpacker.Limits limits;

    /**
     * @param scheduler the agent's shared scheduler; restart delays are scheduled on it, and nothing blocks it
     */
    public ServiceProvider(final @NotNull ScheduledExecutorService scheduler) {
        this(scheduler, RestartBackoff.DEFAULT, STOP_GRACE, ArchiveUnpacker.Limits.DEFAULT);
    }

    ServiceProvider(
            final @NotNull ScheduledExecutorService scheduler,
            final @NotNull RestartBackoff backoff,
            final @NotNull Duration stopGrace,
            final @NotNull ArchiveUnpacker.Limits limits) {
        this.supervisor = new ProcessSupervisor(scheduler, backoff, stopGrace, ProcessSupervisor.LOG_CHECK_PERIOD);
        this.limits = limits;
    }

    @Override
    public @NotNull String kind() {
        return KIND;
    }

    @Override
    public void validate(final @NotNull ComponentSpec spec) {
        ServiceConfig.decode(spec);
    }

    @Override
    public @NotNull String apply(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        final ServiceConfig config = ServiceConfig.decode(spec);
        final Path versionDirectory = install(config, context);
        final List<String> command = new ArrayList<>(config.command());
        if (config.commandInVersionDirectory()) {
            final Path executable = versionDirectory.resolve(command.get(0)).normalize();
            if (!Files.isRegularFile(executable)) {
                throw new ComponentException(
                        Reason.INVALID_SPEC,
                        "service component '" + Names.printable(context.componentName()) + "': command[0] '"
                                + Names.printable(command.get(0)) + "' is not a file in artifact "
                                + shortSha(config.sha256()) + " (unpacked in " + versionDirectory
                                + "); fix 'command' or the artifact");
            }
            command.set(0, executable.toString());
        }
        final Path workingDir = config.workingDir() != null ? config.workingDir() : versionDirectory;
        final String previous = currentVersion(context);
        final String started = supervisor.ensureRunning(
                new ProcessSupervisor.Launch(command, config.env(), workingDir, spec.specHash()), context);
        recordVersion(context, config.sha256(), previous);
        publishOutputs(context, config);
        return label(config) + ": " + started;
    }

    @Override
    public @NotNull Observation observe(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        final ServiceConfig config = ServiceConfig.decode(spec);
        if (!Files.isDirectory(versionDirectory(context, config.sha256()))) {
            return Observation.drifted(label(config) + " is not unpacked");
        }
        return supervisor.observe(spec.specHash(), context);
    }

    /** Does not decode the spec: a service is stopped and its versions deleted whatever its spec. */
    @Override
    public void remove(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        supervisor.remove(context);
        try {
            deleteTree(versionsDirectory(context));
            Files.deleteIfExists(context.stateDirectory().resolve(VERSIONS_FILE));
        } catch (final IOException e) {
            throw new ComponentException(
                    Reason.REMOVE_FAILED,
                    "stopped the service but could not delete its versions in " + versionsDirectory(context) + ": "
                            + IoFailures.describe(e) + "; check that the agent's data directory is writable",
                    e);
        }
    }

    /** Stops watching; the services keep running so that the next agent adopts them. */
    @Override
    public void close() {
        supervisor.close();
    }

    /** The version directory of {@code config}'s artifact, fetching and unpacking it unless it is there already. */
    private Path install(final ServiceConfig config, final ProviderContext context) {
        final Path target = versionDirectory(context, config.sha256());
        if (Files.isDirectory(target)) {
            return target;
        }
        final Path artifact = config.url() != null
                ? context.artifacts().fetch(config.url(), config.sha256())
                : context.artifacts().fetch(config.sha256());
        final Path versions = versionsDirectory(context);
        final Path unpacking = versions.resolve(UNPACKING_PREFIX + config.sha256());
        try {
            deleteLeftovers(versions);
            final ArchiveFormat format = config.format() != null ? config.format() : ArchiveFormat.sniff(artifact);
            ArchiveUnpacker.unpack(artifact, format, config.fileName(), unpacking, limits);
            Files.move(unpacking, target, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.forceDirectory(versions);
            log.info(
                    "Component {}: unpacked artifact {} ({}) into {}",
                    context.componentName(),
                    config.sha256(),
                    format.property(),
                    target);
            return target;
        } catch (final ArchiveRefusedException e) {
            deleteQuietly(unpacking);
            // The artifact is named by its content: retrying the same one cannot help.
            throw new ComponentException(
                    Reason.INVALID_SPEC,
                    "artifact " + shortSha(config.sha256()) + " refused: " + e.getMessage() + "; rebuild the artifact",
                    e);
        } catch (final IOException e) {
            deleteQuietly(unpacking);
            throw new ComponentException(
                    Reason.APPLY_FAILED,
                    "could not unpack artifact " + shortSha(config.sha256()) + " into " + target + ": "
                            + IoFailures.describe(e) + "; check that the agent's data directory is writable and"
                            + " not full",
                    e);
        }
    }

    /**
     * Notes {@code sha256} as the current version and {@code previous} as the one before it (unless it is the same),
     * and deletes every other version directory.
     */
    private void recordVersion(final ProviderContext context, final String sha256, final @Nullable String previous) {
        final String before = sha256.equals(previous) ? previousVersion(context) : previous;
        final ObjectNode versions =
                JSON.createObjectNode().put("current", sha256).put("previous", before);
        try {
            AtomicFiles.write(context.stateDirectory().resolve(VERSIONS_FILE), JSON.writeValueAsBytes(versions), null);
        } catch (final IOException e) {
            log.warn(
                    "Component {}: could not record its versions; older versions are kept until the next apply: {}",
                    context.componentName(),
                    IoFailures.describe(e));
            return;
        }
        final Set<String> keep = before == null ? Set.of(sha256) : Set.of(sha256, before);
        try (Stream<Path> entries = Files.list(versionsDirectory(context))) {
            for (final Path entry : entries.toList()) {
                if (!keep.contains(entry.getFileName().toString())) {
                    log.info("Component {}: deleting old version {}", context.componentName(), entry.getFileName());
                    deleteTree(entry);
                }
            }
        } catch (final IOException e) {
            log.warn(
                    "Component {}: could not delete old versions in {}: {}",
                    context.componentName(),
                    versionsDirectory(context),
                    IoFailures.describe(e));
        }
    }

    /** Reports {@code {"version", "sha256", "pid"}}; {@code version} and {@code pid} are null when unknown. */
    private void publishOutputs(final ProviderContext context, final ServiceConfig config) {
        final ObjectNode outputs = JSON.createObjectNode();
        outputs.put("version", config.version());
        outputs.put("sha256", config.sha256());
        outputs.put(
                "pid",
                supervisor
                        .running(context)
                        .map(ProcessSupervisor.RunningProcess::pid)
                        .orElse(null));
        context.outputs(outputs);
    }

    private @Nullable String currentVersion(final ProviderContext context) {
        return versionsRecord(context).path("current").textValue();
    }

    private @Nullable String previousVersion(final ProviderContext context) {
        return versionsRecord(context).path("previous").textValue();
    }

    private static JsonNode versionsRecord(final ProviderContext context) {
        final Path file = context.stateDirectory().resolve(VERSIONS_FILE);
        try {
            final JsonNode node = JSON.readTree(Files.readAllBytes(file));
            return node == null ? JSON.createObjectNode() : node;
        } catch (final NoSuchFileException e) {
            return JSON.createObjectNode();
        } catch (final IOException e) {
            log.warn("Component {}: ignoring unreadable {}: {}", context.componentName(), file, IoFailures.describe(e));
            return JSON.createObjectNode();
        }
    }

    private static String label(final ServiceConfig config) {
        return (config.version() != null ? "version " + config.version() + " (" : "(") + "sha256 "
                + shortSha(config.sha256()) + "…)";
    }

    private static String shortSha(final String sha256) {
        return sha256.substring(0, 12);
    }

    private static Path versionsDirectory(final ProviderContext context) {
        return context.stateDirectory().resolve(VERSIONS_DIRECTORY);
    }

    private static Path versionDirectory(final ProviderContext context, final String sha256) {
        return versionsDirectory(context).resolve(sha256);
    }

    private static void deleteLeftovers(final Path versions) throws IOException {
        if (!Files.isDirectory(versions)) {
            return;
        }
        try (Stream<Path> entries = Files.list(versions)) {
            for (final Path entry : entries.toList()) {
                if (entry.getFileName().toString().startsWith(UNPACKING_PREFIX)) {
                    deleteTree(entry);
                }
            }
        }
    }

    private static void deleteQuietly(final Path directory) {
        try {
            deleteTree(directory);
        } catch (final IOException e) {
            log.warn("Could not delete {}: {}; the next apply tries again", directory, IoFailures.describe(e));
        }
    }

    /** Deletes a tree without following symbolic links (a link inside is deleted, not its target). */
    static void deleteTree(final Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(final Path directory, final IOException failure)
                    throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
