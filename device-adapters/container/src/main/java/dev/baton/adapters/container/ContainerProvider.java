package dev.baton.adapters.container;

import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ComponentProvider;
import dev.baton.adapters.api.Observation;
import dev.baton.adapters.api.ProviderContext;
import dev.baton.adapters.container.internal.ContainerInspection;
import dev.baton.adapters.container.internal.EngineApi;
import dev.baton.adapters.container.internal.EngineException;
import dev.baton.adapters.container.internal.EngineHttpClient;
import dev.baton.adapters.container.internal.EngineTransport;
import dev.baton.adapters.container.internal.MisconfiguredEngine;
import dev.baton.protocol.ComponentSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code container} components through the Docker Engine API (Docker, or Podman's {@code podman system
 * service}): one container per component, named {@link #containerName(String, String) baton-{node}_{component}}
 * and carrying the {@link ContainerLabels}.
 *
 * <h2>Lifecycle</h2>
 *
 * <ul>
 *   <li>{@link #apply} looks the container up by name. None: it makes sure the image is there (see
 *       {@link PullPolicy}), creates the container and starts it. One whose {@link ContainerLabels#SPEC_HASH} is the
 *       spec's {@link ComponentSpec#specHash()}: it is left alone while it runs and is healthy, so that a restarted
 *       agent adopts it; started when it exited; restarted when its health check says unhealthy. One with another
 *       hash: the image for the new spec is made ready first, then the old container is stopped (SIGTERM, SIGKILL
 *       after {@link #STOP_GRACE}) and removed, and the new one created and started.
 *   <li>{@link #observe} reports drift when the container is missing, runs another spec, is not running (with its
 *       exit code and the last lines of its output), or is unhealthy.
 *   <li>{@link #remove} stops and removes the container; one already gone is success.
 *   <li>A container without {@link ContainerLabels#MANAGED}, or labelled for another node or component, is never
 *       stopped, replaced or removed: apply fails saying so, observe reports it, remove leaves it.
 * </ul>
 *
 * <p>All state lives in the engine (names and labels), none in the provider or the component's state directory,
 * which is why adoption after a restart needs no record of its own.
 *
 * <h2>Threading</h2>
 *
 * The reconciler thread calls every method, as {@link ComponentProvider} promises; each blocks it for the engine
 * calls it makes: a stop up to {@link #STOP_GRACE} plus 30 s, a pull up to {@link EngineApi#PULL_TIMEOUT}. The
 * provider starts no threads; its only mutable state is the API version its {@link EngineApi} negotiated, kept in a
 * volatile field.
 */
public final class ContainerProvider implements ComponentProvider {

    /** The component kind this provider applies. */
    public static final String KIND = "container";

    /** How long a container may take to exit after SIGTERM (or its image's stop signal) before it gets SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** Lines of a container's output shown when it is not running. */
    static final int OUTPUT_LINES = 20;

    /** Characters of those lines shown at most, the last ones kept. */
    static final int MAX_OUTPUT_CHARS = 600;

    private static final Logger log = LoggerFactory.getLogger(ContainerProvider.class);

    private final EngineApi engine;
    private final Duration stopGrace;

    /** A provider talking to the engine at {@code endpoint}. */
    public ContainerProvider(final @NotNull EngineEndpoint endpoint) {
        this(new EngineHttpClient(endpoint), STOP_GRACE);
    }

    ContainerProvider(final @NotNull EngineEndpoint endpoint, final @NotNull Duration stopGrace) {
        this(new EngineHttpClient(endpoint), stopGrace);
    }

    ContainerProvider(final @NotNull EngineTransport transport, final @NotNull Duration stopGrace) {
        this.engine = new EngineApi(Objects.requireNonNull(transport, "transport"));
        this.stopGrace = Objects.requireNonNull(stopGrace, "stopGrace");
    }

    /**
     * A provider whose engine cannot be reached because its configuration is wrong; every apply fails with
     * {@code problem}, so that the agent runs and reports it for each container component.
     */
    static @NotNull ContainerProvider misconfigured(final @NotNull String problem) {
        return new ContainerProvider(new MisconfiguredEngine(problem), STOP_GRACE);
    }

    /**
     * The name of a component's container. Node and component names are DNS labels, which never hold '_', so no two
     * (node, component) pairs share a name, and agents of two nodes may share one engine.
     */
    public static @NotNull String containerName(final @NotNull String node, final @NotNull String component) {
        return "baton-" + node + "_" + component;
    }

    @Override
    public @NotNull String kind() {
        return KIND;
    }

    @Override
    public void validate(final @NotNull ComponentSpec spec) {
        ContainerConfig.decode(spec);
    }

    @Override
    public @NotNull String apply(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        final ContainerConfig config = ContainerConfig.decode(spec);
        final String name = containerName(context);
        final String specHash = spec.specHash();
        try {
            final Optional<ContainerInspection> existing = engine.inspectContainer(name);
            if (existing.isEmpty()) {
                final String pulled = prepareImage(config);
                return pulled + createAndStart(config, name, specHash, context);
            }
            final ContainerInspection container = existing.get();
            final String notOurs = notOurs(container, context);
            if (notOurs != null) {
                throw new ComponentException(ComponentException.Reason.APPLY_FAILED, notOurs);
            }
            if (specHash.equals(container.label(ContainerLabels.SPEC_HASH))) {
                return bringUp(container, config, specHash, context);
            }
            // Image first: when it cannot be had, the old container keeps running.
            final String pulled = prepareImage(config);
            stopAndRemove(container, ComponentException.Reason.APPLY_FAILED);
            log.info(
                    "Component {}: removed container {} ({}) to recreate it for the changed spec",
                    context.componentName(),
                    name,
                    container.shortId());
            return "replaced container " + container.shortId() + " (spec changed): " + pulled
                    + createAndStart(config, name, specHash, context);
        } catch (final EngineException e) {
            throw failure(ComponentException.Reason.APPLY_FAILED, e);
        }
    }

    @Override
    public @NotNull Observation observe(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        ContainerConfig.decode(spec);
        final String name = containerName(context);
        final ContainerInspection container;
        try {
            final Optional<ContainerInspection> existing = engine.inspectContainer(name);
            if (existing.isEmpty()) {
                return Observation.drifted("container " + name + " does not exist");
            }
            container = existing.get();
        } catch (final EngineException e) {
            return Observation.drifted(e.getMessage());
        }
        final String notOurs = notOurs(container, context);
        if (notOurs != null) {
            return Observation.drifted(notOurs);
        }
        final String runningHash = container.label(ContainerLabels.SPEC_HASH);
        if (!spec.specHash().equals(runningHash)) {
            return Observation.drifted("container " + name + " runs another spec (hash " + shortHash(runningHash)
                    + "…, the spec " + shortHash(spec.specHash()) + "…)");
        }
        if (container.running()) {
            return container.health().equals("unhealthy")
                    ? Observation.drifted("container " + name + " " + describeUnhealthy(container))
                    : Observation.inSync();
        }
        return Observation.drifted("container " + name + " " + describeNotRunning(container));
    }

    /**
     * Does not decode the spec: a container is removed the same way whatever its spec, even one no longer valid.
     */
    @Override
    public void remove(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        final String name = containerName(context);
        try {
            final Optional<ContainerInspection> existing = engine.inspectContainer(name);
            if (existing.isEmpty()) {
                return;
            }
            final String notOurs = notOurs(existing.get(), context);
            if (notOurs != null) {
                log.warn("Component {}: nothing of Baton's to remove: {}", context.componentName(), notOurs);
                return;
            }
            stopAndRemove(existing.get(), ComponentException.Reason.REMOVE_FAILED);
            log.info(
                    "Component {}: removed container {} ({})",
                    context.componentName(),
                    name,
                    existing.get().shortId());
        } catch (final EngineException e) {
            throw failure(ComponentException.Reason.REMOVE_FAILED, e);
        }
    }

    /** Brings a container of the right spec to running and healthy. */
    private String bringUp(
            final ContainerInspection container,
            final ContainerConfig config,
            final String specHash,
            final ProviderContext context) {
        final String name = container.name();
        switch (container.status()) {
            case "running" -> {
                if (container.health().equals("unhealthy")) {
                    final String why = describeUnhealthy(container);
                    engine.restartContainer(container.id(), stopGrace);
                    log.info("Component {}: restarted container {}, which {}", context.componentName(), name, why);
                    return "restarted container " + name + " (" + container.shortId() + "), which " + why;
                }
                return "running as container " + name + " (" + container.shortId() + ")";
            }
            case "created", "exited" -> {
                final String before = describeNotRunning(container);
                start(container.id(), name);
                log.info("Component {}: started container {}, which {}", context.componentName(), name, before);
                return "started container " + name + " (" + container.shortId() + "), which " + before;
            }
            case "paused" -> {
                engine.unpauseContainer(container.id());
                return "unpaused container " + name + " (" + container.shortId() + ")";
            }
            case "restarting" -> throw new ComponentException(
                    ComponentException.Reason.APPLY_FAILED,
                    "container " + name + " " + describeNotRunning(container) + "; the engine restarts it under"
                            + " its restart policy, so the agent leaves it be until the next retry");
            default -> {
                // dead, removing: past starting again.
                final String before = describeNotRunning(container);
                final String pulled = prepareImage(config);
                stopAndRemove(container, ComponentException.Reason.APPLY_FAILED);
                return "recreated container " + name + ", which " + before + ": " + pulled
                        + createAndStart(config, name, specHash, context);
            }
        }
    }

    private String createAndStart(
            final ContainerConfig config, final String name, final String specHash, final ProviderContext context) {
        final Map<String, String> labels = Map.of(
                ContainerLabels.MANAGED,
                "true",
                ContainerLabels.NODE,
                context.node(),
                ContainerLabels.COMPONENT,
                context.componentName(),
                ContainerLabels.SPEC_HASH,
                specHash);
        final String id;
        try {
            id = engine.createContainer(name, ContainerCreateBody.of(config, labels));
        } catch (final EngineException e) {
            if (e.reason() == EngineException.Reason.CONFLICT) {
                throw new ComponentException(
                        ComponentException.Reason.APPLY_FAILED,
                        "cannot create container " + name + ": the name is taken (" + e.getMessage() + "); another"
                                + " process created it meanwhile; the agent looks again at its next retry",
                        e);
            }
            throw e;
        }
        start(id, name);
        log.info(
                "Component {}: created and started container {} ({}) from {}",
                context.componentName(),
                name,
                shortId(id),
                config.image());
        return "created and started container " + name + " (" + shortId(id) + ") from " + config.image();
    }

    private void start(final String id, final String name) {
        try {
            engine.startContainer(id);
        } catch (final EngineException e) {
            if (e.reason() == EngineException.Reason.UNREACHABLE) {
                throw e;
            }
            throw new ComponentException(
                    ComponentException.Reason.APPLY_FAILED,
                    "container " + name + " (" + shortId(id) + ") could not be started: " + e.getMessage()
                            + lastOutput(id) + "; check the command, ports and devices of the spec",
                    e);
        }
    }

    /**
     * Makes sure the engine holds the image, pulling it as the config's {@link PullPolicy} says.
     *
     * @return "pulled image …; " when it pulled, else empty, as the start of the apply's message
     */
    private String prepareImage(final ContainerConfig config) {
        final ImageReference image = config.image();
        switch (config.pull()) {
            case NEVER -> {
                if (!engine.imageExists(image.toString())) {
                    throw new ComponentException(
                            ComponentException.Reason.APPLY_FAILED,
                            "image " + image + " is not present on the engine at " + engine.endpoint() + ", and"
                                    + " property 'pull' is \"never\": load it (docker load, podman load) or allow"
                                    + " pulling");
                }
                return "";
            }
            case IF_MISSING -> {
                if (engine.imageExists(image.toString())) {
                    return "";
                }
                pullOrExplain(image);
                return "pulled image " + image + "; ";
            }
            default -> {
                try {
                    engine.pullImage(image.name(), image.pullTag());
                    return "pulled image " + image + "; ";
                } catch (final EngineException e) {
                    if (e.reason() == EngineException.Reason.UNREACHABLE || !engine.imageExists(image.toString())) {
                        throw notPulled(image, e);
                    }
                    log.warn("Could not pull image {} ({}); using the copy the engine holds", image, e.getMessage());
                    return "could not pull image " + image + " (" + e.getMessage() + "), so used the local copy; ";
                }
            }
        }
    }

    private void pullOrExplain(final ImageReference image) {
        try {
            engine.pullImage(image.name(), image.pullTag());
        } catch (final EngineException e) {
            throw notPulled(image, e);
        }
    }

    private EngineException notPulled(final ImageReference image, final EngineException failure) {
        if (failure.reason() == EngineException.Reason.UNREACHABLE) {
            return failure;
        }
        return new EngineException(
                failure.reason(),
                failure.status(),
                "image " + image + " is not present on the engine at " + engine.endpoint() + " and could not be"
                        + " pulled: the registry is not reachable or refused it (" + failure.getMessage() + "); check"
                        + " that this host reaches the registry and the reference is right, or load the image"
                        + " (docker load, podman load)",
                failure);
    }

    private void stopAndRemove(final ContainerInspection container, final ComponentException.Reason reason) {
        try {
            if (!container.status().equals("exited") && !container.status().equals("created")) {
                engine.stopContainer(container.id(), stopGrace);
            }
            engine.removeContainer(container.id());
        } catch (final EngineException e) {
            if (e.reason() == EngineException.Reason.NOT_FOUND) {
                return; // removed meanwhile, which is what was wanted
            }
            if (e.reason() == EngineException.Reason.UNREACHABLE) {
                throw e;
            }
            throw new ComponentException(
                    reason, "could not stop and remove container " + container.name() + ": " + e.getMessage(), e);
        }
    }

    /** Why the container is not this component's to touch, or null when it is. */
    private static String notOurs(final ContainerInspection container, final ProviderContext context) {
        if (!"true".equals(container.label(ContainerLabels.MANAGED))) {
            return "a container named " + container.name() + " exists that Baton does not manage (it lacks label "
                    + ContainerLabels.MANAGED + "=true), so the agent leaves it alone: remove or rename it (docker rm,"
                    + " podman rm) to let the component create its own";
        }
        if (!context.node().equals(container.label(ContainerLabels.NODE))
                || !context.componentName().equals(container.label(ContainerLabels.COMPONENT))) {
            return "container " + container.name() + " is labelled for component '"
                    + container.label(ContainerLabels.COMPONENT) + "' of node '"
                    + container.label(ContainerLabels.NODE) + "', not for this one, so the agent leaves it alone:"
                    + " remove it to let the component create its own";
        }
        return null;
    }

    /** "exited with code 137 at …; last output: …", as the rest of a sentence about the container. */
    private String describeNotRunning(final ContainerInspection container) {
        final StringBuilder out = new StringBuilder();
        switch (container.status()) {
            case "exited" -> out.append("exited with code ")
                    .append(container.exitCode())
                    .append(container.finishedAt().isEmpty() ? "" : " at " + container.finishedAt());
            case "created" -> out.append("was created but never started");
            case "restarting" -> out.append("is restarting after exiting with code ")
                    .append(container.exitCode())
                    .append(" (restarted ")
                    .append(container.restartCount())
                    .append(" times)");
            default -> out.append("is ")
                    .append(container.status().isEmpty() ? "in an unknown state" : container.status());
        }
        if (container.oomKilled()) {
            out.append(", killed for lack of memory");
        }
        if (!container.error().isEmpty()) {
            out.append(" (engine: ").append(oneLine(container.error(), 200)).append(')');
        }
        out.append(lastOutput(container.id()));
        return out.toString();
    }

    private static String describeUnhealthy(final ContainerInspection container) {
        return "is unhealthy: its health check failed " + container.failingStreak() + " time"
                + (container.failingStreak() == 1 ? "" : "s") + " in a row"
                + (container.lastHealthOutput().isBlank()
                        ? ""
                        : "; last check said \"" + oneLine(container.lastHealthOutput(), 200) + '"');
    }

    /** "; last output: …" with the container's last lines, or empty when it wrote none or they cannot be read. */
    private String lastOutput(final String id) {
        final String text;
        try {
            text = engine.logTail(id, OUTPUT_LINES);
        } catch (final EngineException e) {
            log.debug("Could not read the log of container {}: {}", id, e.getMessage());
            return "";
        }
        final String lines = Arrays.stream(text.split("\r?\n"))
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .collect(Collectors.joining(" | "));
        if (lines.isEmpty()) {
            return "";
        }
        final String shown = lines.replaceAll("\\p{Cntrl}", "?");
        return "; last output: \""
                + (shown.length() <= MAX_OUTPUT_CHARS
                        ? shown
                        : "…" + shown.substring(shown.length() - (MAX_OUTPUT_CHARS - 1)))
                + '"';
    }

    private static ComponentException failure(final ComponentException.Reason reason, final EngineException e) {
        final String remedy = e.reason() == EngineException.Reason.TIMEOUT
                ? "; the engine may be overloaded or stuck, and the agent retries"
                : "";
        return new ComponentException(reason, e.getMessage() + remedy, e);
    }

    private static String containerName(final ProviderContext context) {
        return containerName(context.node(), context.componentName());
    }

    private static String oneLine(final String text, final int maxChars) {
        final String line = text.strip().replaceAll("\\p{Cntrl}+", " ");
        return line.length() <= maxChars ? line : line.substring(0, maxChars - 1) + "…";
    }

    private static String shortId(final String id) {
        return id.substring(0, Math.min(12, id.length()));
    }

    private static String shortHash(final String hash) {
        return hash == null ? "(none)" : hash.substring(0, Math.min(12, hash.length()));
    }
}
