package dev.baton.adapters.container;

import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ComponentProperties;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.Names;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jetbrains.annotations.NotNull;

/**
 * The typed configuration of a {@code container} component.
 *
 * @param image what the container runs
 * @param command replaces the image's {@code CMD} (the entrypoint stays); the image's own when empty
 * @param env variables added to the image's environment
 * @param ports container ports published on the host
 * @param devices host devices made available in the container
 * @param volumes host paths or named volumes mounted into the container
 * @param restartPolicy what the engine does when the container exits
 * @param labels added to the provider's own {@link ContainerLabels}
 * @param pull when to pull the image
 */
record ContainerConfig(
        @NotNull ImageReference image,
        @NotNull List<String> command,
        @NotNull Map<String, String> env,
        @NotNull List<PortBinding> ports,
        @NotNull List<DeviceMapping> devices,
        @NotNull List<VolumeMount> volumes,
        @NotNull RestartPolicy restartPolicy,
        @NotNull Map<String, String> labels,
        @NotNull PullPolicy pull) {

    static final String IMAGE = "image";
    static final String COMMAND = "command";
    static final String ENV = "env";
    static final String PORTS = "ports";
    static final String DEVICES = "devices";
    static final String VOLUMES = "volumes";
    static final String RESTART_POLICY = "restartPolicy";
    static final String LABELS = "labels";
    static final String PULL = "pull";
    static final Set<String> PROPERTIES =
            Set.of(IMAGE, COMMAND, ENV, PORTS, DEVICES, VOLUMES, RESTART_POLICY, LABELS, PULL);

    private static final int MAX_PREDICATE_CHARS = 300;

    ContainerConfig {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        ports = List.copyOf(ports);
        devices = List.copyOf(devices);
        volumes = List.copyOf(volumes);
        labels = Map.copyOf(labels);
    }

    /**
     * Decodes and checks {@code spec}'s properties, touching neither the host nor the engine: whether the image,
     * the devices and the host paths exist is found out when the container is created.
     *
     * @throws ComponentException with {@link ComponentException.Reason#INVALID_SPEC}, naming the property and value
     */
    static @NotNull ContainerConfig decode(final @NotNull ComponentSpec spec) {
        final ComponentProperties properties = ComponentProperties.of(spec, PROPERTIES);
        final String imageText = properties
                .optionalString(IMAGE)
                .orElseThrow(() -> properties.invalid(
                        "needs property '" + IMAGE + "' (a string, the image reference, e.g. \"localhost/app:1\")"));
        final ImageReference image = parse(properties, IMAGE, imageText, ImageReference::parse);

        final List<String> command = properties.stringList(COMMAND);
        if (spec.properties().has(COMMAND) && !spec.properties().get(COMMAND).isNull() && command.isEmpty()) {
            throw properties.invalid("property '" + COMMAND
                    + "' must hold at least 1 string, but was empty; leave it out to run the image's own command");
        }
        for (int i = 0; i < command.size(); i++) {
            noNul(properties, COMMAND + "[" + i + "]", command.get(i));
        }

        final Map<String, String> env = properties.stringMap(ENV);
        env.forEach((name, value) -> {
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw properties.invalid("property '" + ENV + "' has variable name \"" + Names.printable(name)
                        + "\"; a name must be non-empty and hold neither '=' nor NUL");
            }
            noNul(properties, ENV + "." + Names.printable(name), value);
        });

        final List<PortBinding> ports = list(properties, PORTS, PortBinding::parse);
        final Set<String> hostSides = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            final PortBinding port = ports.get(i);
            if (!hostSides.add(port.hostIp() + "|" + port.hostPort() + "|" + port.protocol())) {
                throw properties.invalid("property '" + PORTS + "[" + i + "]' publishes host port " + port.hostPort()
                        + "/" + port.protocol() + (port.hostIp().isEmpty() ? "" : " on " + port.hostIp())
                        + " a second time");
            }
        }

        final List<DeviceMapping> devices = list(properties, DEVICES, DeviceMapping::parse);
        final List<VolumeMount> volumes = list(properties, VOLUMES, VolumeMount::parse);

        final RestartPolicy restartPolicy = properties
                .optionalString(RESTART_POLICY)
                .map(text -> RestartPolicy.fromJson(text)
                        .orElseThrow(() -> properties.invalid("property '" + RESTART_POLICY + "' must be \"no\","
                                + " \"always\", \"unless-stopped\" or \"on-failure\", but was \""
                                + Names.printable(text) + '"')))
                .orElse(RestartPolicy.NO);

        final Map<String, String> labels = properties.stringMap(LABELS);
        labels.forEach((key, value) -> {
            if (key.isEmpty() || key.chars().anyMatch(Character::isISOControl)) {
                throw properties.invalid("property '" + LABELS + "' has key \"" + Names.printable(key)
                        + "\"; a key must be non-empty and hold no control characters");
            }
            if (key.startsWith(ContainerLabels.RESERVED_PREFIX)) {
                throw properties.invalid("property '" + LABELS + "' has key \"" + Names.printable(key) + "\"; keys"
                        + " starting with " + ContainerLabels.RESERVED_PREFIX + " are reserved for Baton's own labels");
            }
            noNul(properties, LABELS + "." + Names.printable(key), value);
        });

        final PullPolicy pull = properties
                .optionalString(PULL)
                .map(text -> PullPolicy.fromJson(text)
                        .orElseThrow(() -> properties.invalid("property '" + PULL + "' must be \"if-missing\","
                                + " \"always\" or \"never\", but was \"" + Names.printable(text) + '"')))
                .orElse(PullPolicy.IF_MISSING);

        return new ContainerConfig(image, command, env, ports, devices, volumes, restartPolicy, labels, pull);
    }

    private static <T> List<T> list(
            final ComponentProperties properties, final String name, final Function<String, T> parser) {
        final List<String> texts = properties.stringList(name);
        final List<T> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            out.add(parse(properties, name + "[" + i + "]", texts.get(i), parser));
        }
        return out;
    }

    /** Runs a value parser, whose {@link IllegalArgumentException} message is a predicate about the value. */
    private static <T> T parse(
            final ComponentProperties properties,
            final String property,
            final String text,
            final Function<String, T> parser) {
        noNul(properties, property, text);
        try {
            return parser.apply(text);
        } catch (final IllegalArgumentException e) {
            throw properties.invalid("property '" + property + "' " + shown(e.getMessage()) + ", but was \""
                    + Names.printable(text) + '"');
        }
    }

    /**
     * A parser's predicate, which may quote part of the value: control characters escaped, as {@link Names#printable}
     * does, and bounded, since the value is quoted in full (shortened) after it.
     */
    private static String shown(final String predicate) {
        final String escaped = predicate
                .codePoints()
                .mapToObj(c -> Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c))
                .collect(java.util.stream.Collectors.joining());
        return escaped.length() <= MAX_PREDICATE_CHARS ? escaped : escaped.substring(0, MAX_PREDICATE_CHARS) + "…";
    }

    private static void noNul(final ComponentProperties properties, final String property, final String value) {
        if (value.indexOf('\0') >= 0) {
            throw properties.invalid("property '" + property + "' must not contain a NUL character");
        }
    }
}
