package dev.baton.adapters.opcua;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.PropertyReader;
import dev.baton.adapters.api.discovery.DiscoveryConfig;
import dev.baton.adapters.api.discovery.DiscoveryException;
import dev.baton.protocol.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jetbrains.annotations.NotNull;

/**
 * The {@code opcua} handler's own keys, read from {@code discovery.opcua} of a desired document (the common keys
 * are {@link dev.baton.protocol.DiscoverySettings}).
 *
 * @param discoveryUrls {@code discoveryUrls}: 1 to {@value #MAX_DISCOVERY_URLS} distinct URLs of OPC UA servers or
 *     of a Local Discovery Server; required when the handler is enabled
 * @param browse {@code browse}
 * @param certificatePolicy {@code certificatePolicy}, default {@code record}
 * @param trustedThumbprints {@code trustedThumbprints}: lower-case hex SHA-1 (40 digits) or SHA-256 (64 digits)
 *     thumbprints of server certificates; only with {@link CertificatePolicy#TRUSTED_THUMBPRINTS}, which needs at
 *     least one
 */
public record OpcUaDiscoveryConfig(
        @NotNull List<OpcTcpUrl> discoveryUrls,
        @NotNull BrowseSettings browse,
        @NotNull CertificatePolicy certificatePolicy,
        @NotNull Set<String> trustedThumbprints) {

    public static final String DISCOVERY_URLS = "discoveryUrls";
    public static final String BROWSE = "browse";
    public static final String CERTIFICATE_POLICY = "certificatePolicy";
    public static final String TRUSTED_THUMBPRINTS = "trustedThumbprints";
    public static final Set<String> KEYS = Set.of(DISCOVERY_URLS, BROWSE, CERTIFICATE_POLICY, TRUSTED_THUMBPRINTS);

    public static final int MAX_DISCOVERY_URLS = 64;
    public static final int MAX_TRUSTED_THUMBPRINTS = 64;

    private static final String BROWSE_ENABLED = "browse.enabled";
    private static final String BROWSE_DEPTH = "browse.depth";
    private static final String BROWSE_MAX_NODES = "browse.maxNodes";

    public OpcUaDiscoveryConfig {
        discoveryUrls = List.copyOf(discoveryUrls);
        trustedThumbprints = Set.copyOf(new TreeSet<>(trustedThumbprints));
    }

    /**
     * Reads and checks the handler's keys of {@code config}, refusing unknown keys, touching no network.
     *
     * @throws DiscoveryException with {@link DiscoveryException.Reason#INVALID_CONFIG}, naming the key, the rule and
     *     the value
     */
    public static @NotNull OpcUaDiscoveryConfig parse(final @NotNull DiscoveryConfig config) {
        config.allowOnly(KEYS);
        final List<OpcTcpUrl> urls = discoveryUrls(config);
        final BrowseSettings browse = browse(config);
        final CertificatePolicy policy = config.optionalString(CERTIFICATE_POLICY)
                .map(key -> CertificatePolicy.ofKey(key)
                        .orElseThrow(() -> config.invalid("property '" + CERTIFICATE_POLICY + "' must be 'record' or"
                                + " 'trusted-thumbprints', but was '" + Names.printable(key) + "'")))
                .orElse(CertificatePolicy.RECORD);
        final Set<String> thumbprints = thumbprints(config, policy);
        return new OpcUaDiscoveryConfig(urls, browse, policy, thumbprints);
    }

    /** True when {@code thumbprint} (lower-case hex SHA-1 or SHA-256) is trusted under this configuration. */
    public boolean trusts(final @NotNull String thumbprint) {
        return certificatePolicy == CertificatePolicy.TRUSTED_THUMBPRINTS && trustedThumbprints.contains(thumbprint);
    }

    private static List<OpcTcpUrl> discoveryUrls(final DiscoveryConfig config) {
        final List<String> texts = config.stringList(DISCOVERY_URLS);
        if (texts.isEmpty() && config.settings().enabled()) {
            throw config.invalid("needs property '" + DISCOVERY_URLS + "' (an array of opc.tcp:// URLs of OPC UA"
                    + " servers or of a Local Discovery Server, e.g. [\"opc.tcp://10.0.0.5:4840\"]) when enabled");
        }
        if (texts.size() > MAX_DISCOVERY_URLS) {
            throw config.invalid("property '" + DISCOVERY_URLS + "' must hold at most " + MAX_DISCOVERY_URLS
                    + " URLs, but had " + texts.size());
        }
        final List<OpcTcpUrl> urls = new ArrayList<>(texts.size());
        final Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            final OpcTcpUrl url;
            try {
                url = OpcTcpUrl.parse(texts.get(i));
            } catch (final IllegalArgumentException e) {
                throw config.invalid("property '" + DISCOVERY_URLS + "[" + i + "]' " + e.getMessage() + ", but was '"
                        + Names.printable(texts.get(i)) + "'");
            }
            final Integer earlier = seen.putIfAbsent(url.toString().toLowerCase(Locale.ROOT), i);
            if (earlier != null) {
                throw config.invalid("property '" + DISCOVERY_URLS + "[" + i + "]' repeats " + DISCOVERY_URLS + "["
                        + earlier + "] ('" + Names.printable(texts.get(i)) + "')");
            }
            urls.add(url);
        }
        return urls;
    }

    private static BrowseSettings browse(final DiscoveryConfig config) {
        final JsonNode browse = config.raw(BROWSE);
        if (browse == null || browse.isNull()) {
            return BrowseSettings.DISABLED;
        }
        if (!browse.isObject()) {
            throw config.invalid("property '" + BROWSE + "' must be an object such as {\"enabled\": true, \"depth\": 3,"
                    + " \"maxNodes\": 1000}, but was " + PropertyReader.describe(browse));
        }
        // The nested keys are read under their dotted names, so that every message names 'browse.depth' and not
        // 'depth'.
        final ObjectNode flat = JsonNodeFactory.instance.objectNode();
        browse.properties().forEach(entry -> flat.set(BROWSE + "." + entry.getKey(), entry.getValue()));
        final NestedReader reader = new NestedReader(flat, config);
        reader.refuseUnknownKeys(Set.of(BROWSE_ENABLED, BROWSE_DEPTH, BROWSE_MAX_NODES));
        final boolean enabled = reader.optionalBoolean(BROWSE_ENABLED).orElse(false);
        final int depth = (int) reader.optionalLong(BROWSE_DEPTH, BrowseSettings.MIN_DEPTH, BrowseSettings.MAX_DEPTH)
                .orElse(BrowseSettings.DEFAULT_DEPTH);
        final int maxNodes =
                (int) reader.optionalLong(BROWSE_MAX_NODES, BrowseSettings.MIN_NODES, BrowseSettings.MAX_NODES)
                        .orElse(BrowseSettings.DEFAULT_MAX_NODES);
        return new BrowseSettings(enabled, depth, maxNodes);
    }

    private static Set<String> thumbprints(final DiscoveryConfig config, final CertificatePolicy policy) {
        final List<String> texts = config.stringList(TRUSTED_THUMBPRINTS);
        if (policy == CertificatePolicy.RECORD && config.raw(TRUSTED_THUMBPRINTS) != null) {
            throw config.invalid("property '" + TRUSTED_THUMBPRINTS + "' takes effect only with '" + CERTIFICATE_POLICY
                    + "': 'trusted-thumbprints'; set that too, or remove the thumbprints");
        }
        if (policy == CertificatePolicy.TRUSTED_THUMBPRINTS && texts.isEmpty()) {
            throw config.invalid("needs property '" + TRUSTED_THUMBPRINTS + "' (an array of SHA-1 or SHA-256"
                    + " certificate thumbprints in hex) with '" + CERTIFICATE_POLICY + "': 'trusted-thumbprints'");
        }
        if (texts.size() > MAX_TRUSTED_THUMBPRINTS) {
            throw config.invalid("property '" + TRUSTED_THUMBPRINTS + "' must hold at most " + MAX_TRUSTED_THUMBPRINTS
                    + " thumbprints, but had " + texts.size());
        }
        final Set<String> out = new TreeSet<>();
        for (int i = 0; i < texts.size(); i++) {
            final java.util.Optional<String> hex = CertificatePolicy.normaliseThumbprint(texts.get(i));
            if (hex.isEmpty()) {
                throw config.invalid("property '" + TRUSTED_THUMBPRINTS + "[" + i + "]' must be a SHA-1 (40 hex digits)"
                        + " or SHA-256 (64 hex digits) thumbprint, optionally with ':' between bytes, but was '"
                        + Names.printable(texts.get(i)) + "'");
            }
            out.add(hex.get());
        }
        return out;
    }

    /** Reads the {@code browse} object's keys, reporting errors as the handler's configuration errors. */
    private static final class NestedReader extends PropertyReader {

        private final DiscoveryConfig parent;

        NestedReader(final ObjectNode properties, final DiscoveryConfig parent) {
            super(properties);
            this.parent = parent;
        }

        void refuseUnknownKeys(final Set<String> known) {
            refuseUnknown(known, "'" + BROWSE + "'");
        }

        @Override
        public @NotNull DiscoveryException invalid(final @NotNull String problem) {
            return parent.invalid(problem);
        }
    }
}
