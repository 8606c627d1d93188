package dev.baton.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/**
 * The settings every discovery handler takes, read from its object in the desired document's {@code discovery}
 * (e.g. {@code "discovery": {"onvif": {"intervalSeconds": 30, "unicast": ["10.0.0.5:80"]}}}). Keys not listed in
 * {@link #COMMON_KEYS} belong to the handler, which checks them on the agent.
 *
 * @param enabled {@code enabled}, default true
 * @param interval {@code intervalSeconds} between scans, 1 s to 1 day, default 60 s
 * @param timeout {@code timeoutMs} a scan may take, 100 ms to 10 min, default 5 s
 * @param grace {@code graceSeconds} a device stays in the inventory after the last scan that found it, 0 to 7 days,
 *     default three intervals, so one missed probe never drops a device
 * @param maxDevices {@code maxDevices} kept from one scan, 1 to {@link Limits#MAX_DEVICES}, default 256
 * @param include {@code include}: when not empty, a device is kept only if one of these filters matches
 * @param exclude {@code exclude}: a device is dropped if one of these filters matches
 */
public record DiscoverySettings(
        boolean enabled,
        @NotNull Duration interval,
        @NotNull Duration timeout,
        @NotNull Duration grace,
        int maxDevices,
        @NotNull List<DeviceFilter> include,
        @NotNull List<DeviceFilter> exclude) {

    public static final Set<String> COMMON_KEYS =
            Set.of("enabled", "intervalSeconds", "timeoutMs", "graceSeconds", "maxDevices", "include", "exclude");

    private static final Pattern HANDLER = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final int MAX_FILTERS = 32;
    private static final int MAX_FILTER_ENTRIES = 8;
    private static final int MAX_GLOB_CHARS = 256;

    public DiscoverySettings {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    /** True when {@code device} passes the include and exclude filters. */
    public boolean accepts(final @NotNull Device device) {
        if (!include.isEmpty() && include.stream().noneMatch(f -> f.matches(device))) {
            return false;
        }
        return exclude.stream().noneMatch(f -> f.matches(device));
    }

    /**
     * Reads the common settings of handler {@code handler}.
     *
     * @throws ProtocolException naming the field (e.g. {@code discovery.onvif.intervalSeconds}) and the rule
     */
    public static @NotNull DiscoverySettings parse(final @NotNull String handler, final @NotNull ObjectNode config) {
        final String path = "discovery." + handler;
        final boolean enabled = bool(config, "enabled", path, true);
        final int interval = integer(config, "intervalSeconds", path, 1, 86_400, 60);
        final int timeout = integer(config, "timeoutMs", path, 100, 600_000, 5_000);
        final int grace = integer(config, "graceSeconds", path, 0, 7 * 86_400, Math.min(3 * interval, 7 * 86_400));
        final int maxDevices = integer(config, "maxDevices", path, 1, Limits.MAX_DEVICES, 256);
        return new DiscoverySettings(
                enabled,
                Duration.ofSeconds(interval),
                Duration.ofMillis(timeout),
                Duration.ofSeconds(grace),
                maxDevices,
                filters(config, "include", path),
                filters(config, "exclude", path));
    }

    /**
     * Checks the whole {@code discovery} object of a desired document: handler names and their common settings.
     */
    public static void validate(final @NotNull Map<String, ObjectNode> discovery) {
        if (discovery.size() > Limits.MAX_DISCOVERY_HANDLERS) {
            throw invalid("discovery must not configure more than " + Limits.MAX_DISCOVERY_HANDLERS
                    + " handlers, but had " + discovery.size());
        }
        discovery.forEach((handler, config) -> {
            if (handler == null || !HANDLER.matcher(handler).matches()) {
                throw invalid("discovery has a handler name that must be 1 to 32 lower-case letters, digits or '-',"
                        + " starting with a letter, but was '" + Names.printable(handler) + "'");
            }
            if (config == null) {
                throw invalid("discovery." + handler + " must be an object");
            }
            parse(handler, config);
        });
    }

    private static boolean bool(final ObjectNode config, final String key, final String path, final boolean fallback) {
        final JsonNode value = config.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw invalid(path + "." + key + " must be true or false, but was " + value);
        }
        return value.booleanValue();
    }

    private static int integer(
            final ObjectNode config,
            final String key,
            final String path,
            final int min,
            final int max,
            final int fallback) {
        final JsonNode value = config.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw invalid(path + "." + key + " must be a whole number from " + min + " to " + max + ", but was "
                    + Names.printable(value.toString()));
        }
        return value.intValue();
    }

    private static List<DeviceFilter> filters(final ObjectNode config, final String key, final String path) {
        final JsonNode value = config.get(key);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray() || value.size() > MAX_FILTERS) {
            throw invalid(path + "." + key + " must be an array of at most " + MAX_FILTERS
                    + " filter objects such as {\"ip\": \"10.0.0.*\"}");
        }
        final List<DeviceFilter> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            final String at = path + "." + key + "[" + i + "]";
            final JsonNode filter = value.get(i);
            if (!filter.isObject() || filter.isEmpty() || filter.size() > MAX_FILTER_ENTRIES) {
                throw invalid(at + " must be an object of 1 to " + MAX_FILTER_ENTRIES
                        + " property globs such as {\"ip\": \"10.0.0.*\"}");
            }
            final Map<String, String> match = new LinkedHashMap<>();
            final var fields = filter.fields();
            while (fields.hasNext()) {
                final var entry = fields.next();
                if (!entry.getValue().isTextual()
                        || entry.getValue().textValue().isEmpty()
                        || entry.getValue().textValue().length() > MAX_GLOB_CHARS) {
                    throw invalid(at + "." + Names.printable(entry.getKey()) + " must be a glob of 1 to "
                            + MAX_GLOB_CHARS + " characters");
                }
                match.put(entry.getKey(), entry.getValue().textValue());
            }
            out.add(new DeviceFilter(match));
        }
        return out;
    }

    private static ProtocolException invalid(final String message) {
        return new ProtocolException(ProtocolException.Reason.INVALID_FIELD, message);
    }
}
