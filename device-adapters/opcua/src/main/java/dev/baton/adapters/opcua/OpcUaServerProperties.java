package dev.baton.adapters.opcua;

/**
 * The properties of an {@code opcua-server} device, as documented in docs/hardware/opcua.md. Values come from the
 * server's ApplicationDescription (OPC UA Part 4 §7.2), its EndpointDescriptions (§7.14), its ServerStatus BuildInfo
 * (Part 5 §12.4) and its NamespaceArray (Part 5 §8.3.2). Arrays are sorted, except {@link #NAMESPACES} whose order is
 * the namespace index, so that an unchanged server yields an identical device.
 */
public final class OpcUaServerProperties {

    public static final String APPLICATION_URI = "applicationUri";
    public static final String APPLICATION_NAME = "applicationName";
    public static final String APPLICATION_TYPE = "applicationType";
    public static final String PRODUCT_URI = "productUri";
    public static final String DISCOVERY_URLS = "discoveryUrls";
    /** [{url, securityPolicy, securityMode, userTokenTypes [..], certificateThumbprint}], by url, policy, mode. */
    public static final String ENDPOINTS = "endpoints";
    /** [{sha1, sha256, subject, notBefore, notAfter, trusted}], one per distinct server certificate. */
    public static final String CERTIFICATES = "certificates";

    public static final String PRODUCT_NAME = "productName";
    public static final String MANUFACTURER_NAME = "manufacturerName";
    public static final String SOFTWARE_VERSION = "softwareVersion";
    public static final String BUILD_NUMBER = "buildNumber";
    public static final String BUILD_DATE = "buildDate";
    public static final String NAMESPACES = "namespaces";
    /** {nodes, objects, variables, methods, truncated, depth, maxNodes, topLevelObjects [..]}, when enabled. */
    public static final String BROWSE = "browse";
    /** {@link #STATUS_OK}, {@link #STATUS_ENDPOINTS_ONLY} or {@link #STATUS_UNREACHABLE}. */
    public static final String STATUS = "status";
    /** The security policy URI of the session that read the server's facts, when one was opened. */
    public static final String SESSION_SECURITY_POLICY = "sessionSecurityPolicy";
    /** The host name the server advertised, when the handler had to reach it under another. */
    public static final String ADVERTISED_HOST = "advertisedHost";
    /** The host the handler reached the server at instead of {@link #ADVERTISED_HOST}. */
    public static final String REACHED_HOST = "reachedHost";
    /** True when lists were shortened to keep the device within the protocol's size limit. */
    public static final String PROPERTIES_TRIMMED = "propertiesTrimmed";

    /** A session was opened and the build info and namespaces were read. */
    public static final String STATUS_OK = "ok";
    /** The endpoints were read, but no session was opened (policy or failure; see the scan's problems). */
    public static final String STATUS_ENDPOINTS_ONLY = "endpoints-only";
    /** A Local Discovery Server listed the server, but none of its discovery URLs answered. */
    public static final String STATUS_UNREACHABLE = "unreachable";

    private OpcUaServerProperties() {}
}
