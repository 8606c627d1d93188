package dev.baton.adapters.opcua.internal;

import static dev.baton.adapters.opcua.OpcUaServerProperties.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.discovery.DeviceKinds;
import dev.baton.adapters.opcua.OpcUaDiscoveryConfig;
import dev.baton.protocol.Device;
import dev.baton.protocol.Limits;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Turns a {@link ServerReport} into the {@code opcua-server} device the agent reports. Everything is ordered (arrays
 * sorted, except the namespace array whose order is its index), so an unchanged server gives an identical device and
 * the agent's content hash does not change between scans. Lists and texts are capped, and the whole stays below the
 * protocol's {@link Limits#MAX_DEVICE_PROPERTY_BYTES}; when anything was cut, {@code propertiesTrimmed} is true.
 */
final class DeviceAssembler {

    static final String SOURCE = "opcua";

    static final int MAX_TEXT_CHARS = 512;
    static final int MAX_DISCOVERY_URLS = 16;
    static final int MAX_ENDPOINTS = 32;
    static final int MAX_CERTIFICATES = 8;
    static final int MAX_NAMESPACES = 64;
    static final int MAX_TOP_LEVEL_OBJECTS = 32;
    /** Room left for the agent's own additions and for encoding differences. */
    static final int MAX_PROPERTY_BYTES = Limits.MAX_DEVICE_PROPERTY_BYTES - 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<EndpointFacts> ENDPOINT_ORDER = Comparator.comparing(EndpointFacts::url)
            .thenComparing(EndpointFacts::securityPolicyUri)
            .thenComparing(EndpointFacts::securityMode)
            .thenComparing(endpoint ->
                    endpoint.certificate().map(CertificateFacts::sha256).orElse(""));

    private final OpcUaDiscoveryConfig config;
    private boolean trimmed;

    private DeviceAssembler(final OpcUaDiscoveryConfig config) {
        this.config = config;
    }

    /**
     * The device for {@code report}.
     *
     * @param discoveryUrls the server's advertised discovery URLs, from every discovery URL that listed it
     * @param fallbackId the id to use when the server has no application URI (the discovery URL it was found at)
     */
    static @NotNull Device assemble(
            final @NotNull ServerReport report,
            final @NotNull Collection<String> discoveryUrls,
            final @NotNull String fallbackId,
            final @NotNull OpcUaDiscoveryConfig config) {
        return new DeviceAssembler(config).device(report, discoveryUrls, fallbackId);
    }

    private Device device(final ServerReport report, final Collection<String> discoveryUrls, final String fallbackId) {
        final ApplicationFacts application = report.application();
        final ObjectNode properties = JsonNodeFactory.instance.objectNode();
        putText(properties, APPLICATION_URI, application.applicationUri());
        putText(properties, APPLICATION_NAME, application.applicationName());
        final String productUri = application.productUri().isEmpty()
                ? report.facts().map(ServerFacts::productUri).orElse(null)
                : application.productUri();
        putText(properties, PRODUCT_URI, productUri);
        putText(properties, APPLICATION_TYPE, application.applicationType());
        properties.set(DISCOVERY_URLS, texts(new TreeSet<>(discoveryUrls), MAX_DISCOVERY_URLS));
        properties.set(ENDPOINTS, endpoints(report.endpoints()));
        properties.set(CERTIFICATES, certificates(report.endpoints()));
        properties.put(STATUS, report.status());
        report.facts().ifPresent(facts -> {
            putText(properties, PRODUCT_NAME, facts.productName());
            putText(properties, MANUFACTURER_NAME, facts.manufacturerName());
            putText(properties, SOFTWARE_VERSION, facts.softwareVersion());
            putText(properties, BUILD_NUMBER, facts.buildNumber());
            if (facts.buildDate() != null) {
                properties.put(BUILD_DATE, facts.buildDate().toString());
            }
            properties.set(NAMESPACES, texts(facts.namespaces(), MAX_NAMESPACES));
        });
        report.browse().ifPresent(browse -> properties.set(BROWSE, browse(browse)));
        report.sessionSecurityPolicy().ifPresent(policy -> putText(properties, SESSION_SECURITY_POLICY, policy));
        report.substitution().ifPresent(substitution -> {
            putText(properties, ADVERTISED_HOST, substitution.advertisedHost());
            putText(properties, REACHED_HOST, substitution.reachedHost());
        });
        fitWithinLimit(properties);
        if (trimmed) {
            properties.put(PROPERTIES_TRIMMED, true);
        }
        final String id =
                application.applicationUri().isEmpty() ? fallbackId : DeviceIds.of(application.applicationUri());
        final String name =
                application.applicationName().isEmpty() ? application.applicationUri() : application.applicationName();
        return new Device(id, DeviceKinds.OPCUA_SERVER, SOURCE, cap(name), properties);
    }

    private ArrayNode endpoints(final List<EndpointFacts> endpoints) {
        final ArrayNode out = JsonNodeFactory.instance.arrayNode();
        final List<EndpointFacts> sorted =
                endpoints.stream().sorted(ENDPOINT_ORDER).toList();
        for (final EndpointFacts endpoint : limit(sorted, MAX_ENDPOINTS)) {
            final ObjectNode node = out.addObject();
            node.put("url", cap(endpoint.url()));
            node.put("securityPolicy", cap(endpoint.securityPolicyUri()));
            node.put("securityMode", endpoint.securityMode());
            node.set("userTokenTypes", texts(endpoint.userTokenTypes(), Integer.MAX_VALUE));
            endpoint.certificate().ifPresent(certificate -> node.put("certificateThumbprint", certificate.sha256()));
        }
        return out;
    }

    private ArrayNode certificates(final List<EndpointFacts> endpoints) {
        final Map<String, CertificateFacts> distinct = new TreeMap<>();
        endpoints.forEach(endpoint -> endpoint.certificate().ifPresent(c -> distinct.putIfAbsent(c.sha256(), c)));
        final ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (final CertificateFacts certificate : limit(List.copyOf(distinct.values()), MAX_CERTIFICATES)) {
            final ObjectNode node = out.addObject();
            node.put("sha1", certificate.sha1());
            node.put("sha256", certificate.sha256());
            putText(node, "subject", certificate.subject());
            putInstant(node, "notBefore", certificate.notBefore());
            putInstant(node, "notAfter", certificate.notAfter());
            node.put("trusted", config.trusts(certificate.sha1()) || config.trusts(certificate.sha256()));
        }
        return out;
    }

    private ObjectNode browse(final BrowseSummary browse) {
        final ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("nodes", browse.nodes());
        node.put("objects", browse.objects());
        node.put("variables", browse.variables());
        node.put("methods", browse.methods());
        node.put("truncated", browse.truncated());
        node.put("depth", browse.depth());
        node.put("maxNodes", browse.maxNodes());
        node.set("topLevelObjects", texts(browse.topLevelObjects(), MAX_TOP_LEVEL_OBJECTS));
        return node;
    }

    /** Cuts the least important lists until the properties fit; marks the device trimmed when it had to. */
    private void fitWithinLimit(final ObjectNode properties) {
        final List<Runnable> cuts = List.of(
                () -> shorten(properties.path(BROWSE).path("topLevelObjects"), 8),
                () -> shorten(properties.get(NAMESPACES), 16),
                () -> shorten(properties.get(ENDPOINTS), 8),
                () -> shorten(properties.get(DISCOVERY_URLS), 4),
                () -> shorten(properties.get(CERTIFICATES), 2),
                () -> shorten(properties.path(BROWSE).path("topLevelObjects"), 0),
                () -> shorten(properties.get(NAMESPACES), 0),
                () -> shorten(properties.get(ENDPOINTS), 1));
        for (int i = 0; i < cuts.size() && size(properties) > MAX_PROPERTY_BYTES; i++) {
            cuts.get(i).run();
            trimmed = true;
        }
    }

    private static void shorten(final com.fasterxml.jackson.databind.JsonNode node, final int keep) {
        if (node instanceof ArrayNode array) {
            while (array.size() > keep) {
                array.remove(array.size() - 1);
            }
        }
    }

    private static int size(final ObjectNode properties) {
        try {
            return JSON.writeValueAsBytes(properties).length;
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always encodes", e);
        }
    }

    private ArrayNode texts(final Collection<String> values, final int max) {
        final ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (final String value : limit(List.copyOf(values), max)) {
            out.add(cap(value));
        }
        return out;
    }

    private <T> List<T> limit(final List<T> values, final int max) {
        if (values.size() <= max) {
            return values;
        }
        trimmed = true;
        return values.subList(0, max);
    }

    private void putText(final ObjectNode node, final String key, final @Nullable String value) {
        if (value != null && !value.isEmpty()) {
            node.put(key, cap(value));
        }
    }

    private static void putInstant(final ObjectNode node, final String key, final @Nullable Instant value) {
        if (value != null) {
            node.put(key, value.toString());
        }
    }

    private String cap(final String value) {
        if (value.length() <= MAX_TEXT_CHARS) {
            return value;
        }
        trimmed = true;
        return value.substring(0, MAX_TEXT_CHARS - 1) + "…";
    }
}
