package dev.baton.protocol.internal;

import dev.baton.protocol.CommandRequest;
import dev.baton.protocol.CommandResponse;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.ComponentStatus;
import dev.baton.protocol.Condition;
import dev.baton.protocol.DesiredDocument;
import dev.baton.protocol.DesiredSpec;
import dev.baton.protocol.Device;
import dev.baton.protocol.DiscoverySettings;
import dev.baton.protocol.EnrollmentRequest;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.Event;
import dev.baton.protocol.HealthCheck;
import dev.baton.protocol.InventoryReport;
import dev.baton.protocol.Limits;
import dev.baton.protocol.Names;
import dev.baton.protocol.NodeStatus;
import dev.baton.protocol.Plan;
import dev.baton.protocol.ProtocolException;
import dev.baton.protocol.ReconcilePolicy;
import dev.baton.protocol.ReportedState;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jetbrains.annotations.Nullable;

/**
 * The rules of each message type of protocol v1. Every error names the field by its JSON path, the rule and the
 * value that broke it.
 */
public final class MessageValidator {

    private static final Pattern BOOT_ID = Pattern.compile("[A-Za-z0-9-]{8,64}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9-]{0,31}(\\.[a-z][a-z0-9-]{0,31}){0,3}");
    private static final Pattern PLAN_ACTION = Pattern.compile("create|update|repair|retry|remove");
    private static final Pattern CONDITION_TYPE = Pattern.compile("[A-Z][A-Za-z0-9]{0,63}");
    private static final Pattern REASON = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final Pattern COMMAND_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern COMMAND = Pattern.compile("[a-z][a-z0-9-]{0,31}(\\.[a-z][a-z0-9-]{0,31}){0,3}");
    private static final Pattern PROTOCOL = Pattern.compile("baton/v[1-9][0-9]{0,2}");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_DEVICE_NAME_CHARS = 256;
    private static final int MAX_VERSION_CHARS = 64;
    private static final int MAX_TOKEN_CHARS = 256;
    private static final int MAX_SECRET_CHARS = 256;

    private MessageValidator() {}

    public static void desired(final DesiredDocument document) {
        Names.checkName(document.tenant(), "tenant");
        Names.checkName(document.node(), "node");
        if (document.generation() < 1) {
            throw invalid("generation must be at least 1, but was " + document.generation());
        }
        components(document.components());
        DiscoverySettings.validate(document.discovery());
        reconcile(document.reconcile());
    }

    public static void desiredSpec(final DesiredSpec spec) {
        components(spec.components());
        DiscoverySettings.validate(spec.discovery());
        if (spec.reconcile() != null) {
            reconcile(spec.reconcile());
        }
    }

    public static void reported(final ReportedState reported) {
        sequence(reported.seq());
        bootId(reported.bootId());
        required(reported.timestamp(), "timestamp");
        if (reported.observedGeneration() < 0) {
            throw invalid("observedGeneration must not be negative, but was " + reported.observedGeneration());
        }
        if (reported.components().size() > Limits.MAX_COMPONENTS) {
            throw invalid("components must not exceed " + Limits.MAX_COMPONENTS + " entries, but was "
                    + reported.components().size());
        }
        final Set<String> names = new HashSet<>();
        for (int i = 0; i < reported.components().size(); i++) {
            final String path = "components[" + i + "]";
            final ComponentStatus status = required(reported.components().get(i), path);
            Names.checkName(status.name(), path + ".name");
            Names.checkKind(status.kind(), path + ".kind");
            required(status.state(), path + ".state");
            required(status.lastTransition(), path + ".lastTransition");
            if (status.generation() < 0) {
                throw invalid(path + ".generation must not be negative, but was " + status.generation());
            }
            if (!names.add(status.name())) {
                throw invalid(path + ".name '" + status.name() + "' appears more than once");
            }
            final int outputBytes = CanonicalJson.bytes(status.outputs()).length;
            if (outputBytes > Limits.MAX_OUTPUTS_BYTES) {
                throw invalid(path + ".outputs must not exceed " + Limits.MAX_OUTPUTS_BYTES + " bytes as JSON, but was "
                        + outputBytes);
            }
        }
        if (reported.plan() != null) {
            final Plan plan = reported.plan();
            if (plan.steps().size() > Limits.MAX_COMPONENTS * 2) {
                throw invalid("plan.steps must not exceed " + Limits.MAX_COMPONENTS * 2 + " entries, but was "
                        + plan.steps().size());
            }
            for (int i = 0; i < plan.steps().size(); i++) {
                final Plan.Step step = required(plan.steps().get(i), "plan.steps[" + i + "]");
                Names.checkName(step.component(), "plan.steps[" + i + "].component");
                Names.checkKind(step.kind(), "plan.steps[" + i + "].kind");
                matches(
                        step.action(),
                        PLAN_ACTION,
                        "plan.steps[" + i + "].action",
                        "one of create, update, repair, retry, remove");
            }
        }
        if (reported.conditions().size() > Limits.MAX_CONDITIONS) {
            throw invalid("conditions must not exceed " + Limits.MAX_CONDITIONS + " entries, but was "
                    + reported.conditions().size());
        }
        for (int i = 0; i < reported.conditions().size(); i++) {
            final String path = "conditions[" + i + "]";
            final Condition condition = required(reported.conditions().get(i), path);
            matches(condition.type(), CONDITION_TYPE, path + ".type", "an UpperCamelCase word");
            matches(condition.reason(), REASON, path + ".reason", "a word of letters, digits, '_' or '-'");
            required(condition.lastTransition(), path + ".lastTransition");
        }
    }

    public static void status(final NodeStatus status) {
        bootId(status.bootId());
        required(status.timestamp(), "timestamp");
        text(status.agentVersion(), "agentVersion", MAX_VERSION_CHARS);
        if (status.observedGeneration() < 0) {
            throw invalid("observedGeneration must not be negative, but was " + status.observedGeneration());
        }
        if (status.protocols().isEmpty() || status.protocols().size() > 8) {
            throw invalid("protocols must list 1 to 8 versions, but had "
                    + status.protocols().size());
        }
        for (int i = 0; i < status.protocols().size(); i++) {
            matches(status.protocols().get(i), PROTOCOL, "protocols[" + i + "]", "of the form baton/vN");
        }
    }

    public static void event(final Event event) {
        sequence(event.seq());
        bootId(event.bootId());
        required(event.timestamp(), "timestamp");
        matches(event.type(), EVENT_TYPE, "type", "dotted lower-case words such as component.failed");
        required(event.severity(), "severity");
        if (event.component() != null) {
            Names.checkName(event.component(), "component");
        }
    }

    public static void inventory(final InventoryReport report) {
        sequence(report.seq());
        bootId(report.bootId());
        required(report.timestamp(), "timestamp");
        required(report.mode(), "mode");
        matches(report.hash(), HASH, "hash", "64 lower-case hex digits");
        if (report.mode() == InventoryReport.Mode.SNAPSHOT) {
            if (report.baseHash() != null || !report.removed().isEmpty()) {
                throw invalid("a snapshot carries neither baseHash nor removed; it replaces the whole inventory");
            }
        } else {
            matches(report.baseHash(), HASH, "baseHash", "64 lower-case hex digits");
        }
        if (report.devices().size() > Limits.MAX_DEVICES || report.removed().size() > Limits.MAX_DEVICES) {
            throw invalid("devices and removed must each not exceed " + Limits.MAX_DEVICES + " entries, but had "
                    + report.devices().size() + " and " + report.removed().size());
        }
        final Set<String> ids = new HashSet<>();
        for (int i = 0; i < report.devices().size(); i++) {
            final String path = "devices[" + i + "]";
            final Device device = required(report.devices().get(i), path);
            deviceId(device.id(), path + ".id");
            Names.checkKind(device.kind(), path + ".kind");
            Names.checkKind(device.source(), path + ".source");
            if (device.name().length() > MAX_DEVICE_NAME_CHARS
                    || device.name().chars().anyMatch(Character::isISOControl)) {
                throw invalid(path + ".name must be at most " + MAX_DEVICE_NAME_CHARS
                        + " characters without control characters");
            }
            final int size = device.properties().toString().getBytes(StandardCharsets.UTF_8).length;
            if (size > Limits.MAX_DEVICE_PROPERTY_BYTES) {
                throw invalid(path + ".properties must not exceed " + Limits.MAX_DEVICE_PROPERTY_BYTES
                        + " bytes encoded, but had " + size);
            }
            if (!ids.add(device.id())) {
                throw invalid(path + ".id '" + Names.printable(device.id()) + "' appears more than once");
            }
        }
        for (int i = 0; i < report.removed().size(); i++) {
            final String id = deviceId(report.removed().get(i), "removed[" + i + "]");
            if (ids.contains(id)) {
                throw invalid("removed[" + i + "] '" + Names.printable(id) + "' is also in devices");
            }
        }
        if (report.host() != null) {
            final int size = report.host().toString().getBytes(StandardCharsets.UTF_8).length;
            if (size > Limits.MAX_HOST_FACTS_BYTES) {
                throw invalid(
                        "host must not exceed " + Limits.MAX_HOST_FACTS_BYTES + " bytes encoded, but had " + size);
            }
        }
    }

    private static String deviceId(final @Nullable String id, final String field) {
        return Names.checkDeviceId(id, field);
    }

    public static void commandRequest(final CommandRequest request) {
        matches(request.id(), COMMAND_ID, "id", "1 to 64 letters, digits or '-'");
        matches(request.command(), COMMAND, "command", "dotted lower-case words such as reconcile.now");
        required(request.deadline(), "deadline");
    }

    public static void commandResponse(final CommandResponse response) {
        matches(response.id(), COMMAND_ID, "id", "1 to 64 letters, digits or '-'");
        required(response.outcome(), "outcome");
    }

    public static void enrollmentRequest(final EnrollmentRequest request) {
        text(request.token(), "token", MAX_TOKEN_CHARS);
        if (request.node() != null) {
            Names.checkName(request.node(), "node");
        }
        labels(request.labels(), "labels");
        if (request.hostname() != null) {
            text(request.hostname(), "hostname", 253);
        }
    }

    public static void enrollmentResponse(final EnrollmentResponse response) {
        Names.checkName(response.tenant(), "tenant");
        Names.checkName(response.node(), "node");
        required(response.mqtt(), "mqtt");
        final String uri = text(response.mqtt().serverUri(), "mqtt.serverUri", 1024);
        try {
            final URI parsed = new URI(uri);
            if (!"tcp".equals(parsed.getScheme()) && !"ssl".equals(parsed.getScheme())
                    || parsed.getHost() == null
                    || parsed.getPort() < 1) {
                throw invalid("mqtt.serverUri must be tcp://host:port or ssl://host:port, but was '"
                        + Names.printable(uri) + "'");
            }
        } catch (final URISyntaxException e) {
            throw invalid("mqtt.serverUri is not a URI: " + e.getMessage());
        }
        text(response.mqtt().clientId(), "mqtt.clientId", 128);
        text(response.mqtt().username(), "mqtt.username", 128);
        text(response.mqtt().password(), "mqtt.password", MAX_SECRET_CHARS);
    }

    /** Checks labels on a node or token. */
    public static void labels(final @Nullable Map<String, String> labels, final String field) {
        if (labels == null) {
            return;
        }
        if (labels.size() > Limits.MAX_LABELS) {
            throw invalid(field + " must not exceed " + Limits.MAX_LABELS + " entries, but had " + labels.size());
        }
        labels.forEach((key, value) -> Names.checkLabel(key, value, field));
    }

    private static void components(final List<ComponentSpec> components) {
        if (components.size() > Limits.MAX_COMPONENTS) {
            throw invalid(
                    "components must not exceed " + Limits.MAX_COMPONENTS + " entries, but was " + components.size());
        }
        final Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < components.size(); i++) {
            final String path = "components[" + i + "]";
            final ComponentSpec component = required(components.get(i), path);
            Names.checkName(component.name(), path + ".name");
            Names.checkKind(component.kind(), path + ".kind");
            if (index.putIfAbsent(component.name(), i) != null) {
                throw invalid(path + ".name '" + component.name() + "' is already used by components["
                        + index.get(component.name()) + "]; component names must be unique");
            }
            if (component.health() != null) {
                health(component.health(), path + ".health");
            }
        }
        for (int i = 0; i < components.size(); i++) {
            final ComponentSpec component = components.get(i);
            final String path = "components[" + i + "].dependsOn";
            if (component.dependsOn().size() > Limits.MAX_DEPENDENCIES) {
                throw invalid(path + " must not exceed " + Limits.MAX_DEPENDENCIES + " entries, but was "
                        + component.dependsOn().size());
            }
            for (final String dependency : component.dependsOn()) {
                if (!index.containsKey(dependency)) {
                    throw invalid(path + " names '" + Names.printable(dependency)
                            + "', which is not a component of this document");
                }
                if (dependency.equals(component.name())) {
                    throw invalid(path + " of '" + component.name() + "' names the component itself");
                }
            }
        }
        final List<String> cycle = findCycle(components);
        if (!cycle.isEmpty()) {
            throw invalid("components depend on each other in a cycle: " + String.join(" -> ", cycle)
                    + "; remove one of these dependsOn entries");
        }
    }

    /** A dependency cycle as a path that starts and ends with the same name, or empty. */
    static List<String> findCycle(final List<ComponentSpec> components) {
        final Map<String, List<String>> edges = new HashMap<>();
        components.forEach(c -> edges.put(c.name(), c.dependsOn()));
        final Map<String, Integer> colour = new HashMap<>(); // absent: unvisited, 1: on the stack, 2: done
        for (final ComponentSpec start : components) {
            if (colour.containsKey(start.name())) {
                continue;
            }
            // Iterative depth-first search, so that a long dependency chain cannot overflow the stack.
            final Deque<String> path = new ArrayDeque<>();
            final Deque<Integer> next = new ArrayDeque<>();
            path.push(start.name());
            next.push(0);
            colour.put(start.name(), 1);
            while (!path.isEmpty()) {
                final String current = path.peek();
                final int i = next.pop();
                final List<String> out = edges.getOrDefault(current, List.of());
                if (i >= out.size()) {
                    colour.put(current, 2);
                    path.pop();
                    continue;
                }
                next.push(i + 1);
                final String target = out.get(i);
                final Integer state = colour.get(target);
                if (state == null) {
                    colour.put(target, 1);
                    path.push(target);
                    next.push(0);
                } else if (state == 1) {
                    final List<String> cycle = new ArrayList<>();
                    final List<String> stack = new ArrayList<>(path);
                    java.util.Collections.reverse(stack);
                    cycle.addAll(stack.subList(stack.indexOf(target), stack.size()));
                    cycle.add(target);
                    return cycle;
                }
            }
        }
        return List.of();
    }

    private static void reconcile(final ReconcilePolicy policy) {
        if (policy.intervalSeconds() < Limits.MIN_RECONCILE_INTERVAL_SECONDS
                || policy.intervalSeconds() > Limits.MAX_RECONCILE_INTERVAL_SECONDS) {
            throw invalid("reconcile.intervalSeconds must be between " + Limits.MIN_RECONCILE_INTERVAL_SECONDS + " and "
                    + Limits.MAX_RECONCILE_INTERVAL_SECONDS + ", but was " + policy.intervalSeconds());
        }
        if (policy.rollback() != null) {
            between(policy.rollback().afterFailures(), 1, 20, "reconcile.rollback.afterFailures");
        }
    }

    private static void health(final HealthCheck health, final String path) {
        final int probes =
                (health.tcp() != null ? 1 : 0) + (health.http() != null ? 1 : 0) + (health.command() != null ? 1 : 0);
        if (probes > 1) {
            throw invalid(path + " may have one of tcp, http or command, but has " + probes);
        }
        if (health.tcp() != null) {
            final String tcp = health.tcp();
            final int colon = tcp.lastIndexOf(':');
            final String port = colon < 0 ? "" : tcp.substring(colon + 1);
            if (colon < 1
                    || tcp.length() > 255
                    || !port.matches("[0-9]{1,5}")
                    || Integer.parseInt(port) < 1
                    || Integer.parseInt(port) > 65_535) {
                throw invalid(path + ".tcp must be host:port with a port from 1 to 65535, but was '"
                        + Names.printable(tcp) + "'");
            }
        }
        if (health.http() != null) {
            final String http = health.http();
            final java.net.URI uri;
            try {
                uri = new java.net.URI(http);
            } catch (final java.net.URISyntaxException e) {
                throw invalid(path + ".http is not a URL: " + e.getMessage());
            }
            if (http.length() > 2048
                    || uri.getHost() == null
                    || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw invalid(path + ".http must be an http:// or https:// URL with a host, but was '"
                        + Names.printable(http) + "'");
            }
        }
        if (health.command() != null) {
            final java.util.List<String> command = health.command();
            if (command.isEmpty() || command.size() > 64) {
                throw invalid(path + ".command must have 1 to 64 entries, but has " + command.size());
            }
            for (int i = 0; i < command.size(); i++) {
                if (command.get(i) == null
                        || command.get(i).isEmpty()
                        || command.get(i).length() > 4096) {
                    throw invalid(path + ".command[" + i + "] must be 1 to 4096 characters");
                }
            }
        }
        between(health.intervalSeconds(), 1, 3_600, path + ".intervalSeconds");
        between(health.timeoutMs(), 100, 60_000, path + ".timeoutMs");
        between(health.healthyForSeconds(), 0, 3_600, path + ".healthyForSeconds");
        between(health.startTimeoutSeconds(), 1, 3_600, path + ".startTimeoutSeconds");
        between(health.failureThreshold(), 1, 100, path + ".failureThreshold");
        if (health.startTimeoutSeconds() <= health.healthyForSeconds()) {
            throw invalid(path + ".startTimeoutSeconds (" + health.startTimeoutSeconds()
                    + ") must be more than healthyForSeconds (" + health.healthyForSeconds()
                    + "), or the component could never become healthy");
        }
    }

    private static void between(final int value, final int min, final int max, final String field) {
        if (value < min || value > max) {
            throw invalid(field + " must be between " + min + " and " + max + ", but was " + value);
        }
    }

    private static void sequence(final long seq) {
        if (seq < 1) {
            throw invalid("seq must be at least 1, but was " + seq);
        }
    }

    private static void bootId(final String bootId) {
        matches(bootId, BOOT_ID, "bootId", "8 to 64 letters, digits or '-'");
    }

    private static String text(final String value, final String field, final int maxChars) {
        required(value, field);
        if (value.isEmpty() || value.length() > maxChars) {
            throw invalid(field + " must be 1 to " + maxChars + " characters, but was " + value.length());
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw invalid(field + " must not contain control characters");
        }
        return value;
    }

    private static void matches(final String value, final Pattern pattern, final String field, final String rule) {
        required(value, field);
        if (!pattern.matcher(value).matches()) {
            throw invalid(field + " must be " + rule + ", but was '" + Names.printable(value) + "'");
        }
    }

    private static <T> T required(final @Nullable T value, final String field) {
        if (value == null) {
            throw invalid(field + " is required");
        }
        return value;
    }

    private static ProtocolException invalid(final String message) {
        return new ProtocolException(ProtocolException.Reason.INVALID_FIELD, message);
    }
}
