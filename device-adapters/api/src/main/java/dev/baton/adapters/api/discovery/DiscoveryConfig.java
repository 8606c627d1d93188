package dev.baton.adapters.api.discovery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.PropertyReader;
import dev.baton.protocol.DiscoverySettings;
import dev.baton.protocol.Names;
import java.util.HashSet;
import java.util.Set;
import org.jetbrains.annotations.NotNull;

/**
 * A discovery handler's configuration from the desired document: the {@linkplain #settings() common settings}
 * (enabled, interval, timeout, grace, filters), parsed and checked already, and the handler's own keys, read with
 * the typed accessors; errors are {@link DiscoveryException.Reason#INVALID_CONFIG} and name
 * {@code discovery.<handler>.<key>}.
 */
public final class DiscoveryConfig extends PropertyReader {

    private final String handler;
    private final DiscoverySettings settings;
    private final ObjectNode json;

    private DiscoveryConfig(final String handler, final ObjectNode json) {
        super(json);
        this.handler = handler;
        this.json = json.deepCopy();
        this.settings = DiscoverySettings.parse(handler, json);
    }

    /**
     * Reads {@code json} for {@code handler}.
     *
     * @throws dev.baton.protocol.ProtocolException when a common setting is wrong
     */
    public static @NotNull DiscoveryConfig of(final @NotNull String handler, final @NotNull ObjectNode json) {
        return new DiscoveryConfig(handler, json);
    }

    /**
     * Refuses any key that is neither a common setting nor in {@code handlerKeys}; call it first in
     * {@link DiscoveryHandler#validate}.
     */
    public @NotNull DiscoveryConfig allowOnly(final @NotNull Set<String> handlerKeys) {
        final Set<String> known = new HashSet<>(DiscoverySettings.COMMON_KEYS);
        known.addAll(handlerKeys);
        refuseUnknown(known, "discovery handler '" + handler + "'");
        return this;
    }

    public @NotNull String handler() {
        return handler;
    }

    public @NotNull DiscoverySettings settings() {
        return settings;
    }

    /** The configuration as given, as a copy. */
    public @NotNull ObjectNode json() {
        return json.deepCopy();
    }

    @Override
    public @NotNull DiscoveryException invalid(final @NotNull String problem) {
        return new DiscoveryException(
                DiscoveryException.Reason.INVALID_CONFIG, "discovery." + Names.printable(handler) + " " + problem);
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof DiscoveryConfig that && handler.equals(that.handler) && json.equals(that.json);
    }

    @Override
    public int hashCode() {
        return handler.hashCode() * 31 + json.hashCode();
    }
}
