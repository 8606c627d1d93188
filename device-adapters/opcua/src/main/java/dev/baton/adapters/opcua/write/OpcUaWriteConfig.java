package dev.baton.adapters.opcua.write;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.adapters.api.ComponentProperties;
import dev.baton.adapters.api.PropertyReader;
import dev.baton.adapters.opcua.CertificatePolicy;
import dev.baton.adapters.opcua.OpcTcpUrl;
import dev.baton.adapters.opcua.write.internal.NodeIdText;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.Limits;
import dev.baton.protocol.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import org.jetbrains.annotations.NotNull;

/**
 * The properties of an {@code opcua-write} component, read and checked without touching the network. See
 * docs/components.md for how a user writes them.
 *
 * @param endpointUrl {@code endpointUrl}: the server's URL; exactly one of this and {@code device}
 * @param device {@code device}: the id of an {@code opcua-server} device in the node's inventory
 * @param securityPolicy {@code securityPolicy}: {@code None}, {@code Basic256Sha256}, {@code Aes128_Sha256_RsaOaep}
 *     or {@code Aes256_Sha256_RsaPss}; empty for the most secure endpoint the certificate policy allows
 * @param messageSecurityMode {@code messageSecurityMode}: {@code None}, {@code Sign} or {@code SignAndEncrypt}; empty
 *     for the most secure
 * @param certificatePolicy {@code certificatePolicy}, default {@code record}: as in discovery (see
 *     {@link CertificatePolicy}); a secure session needs {@code trusted-thumbprints}
 * @param trustedThumbprints {@code trustedThumbprints}, lower-case hex SHA-1 or SHA-256
 * @param username {@code username}: the user to activate the session as; the password comes from the agent's
 *     {@code secrets/opcua.json}. Empty for an anonymous session.
 * @param writes {@code writes}: 1 to {@value #MAX_WRITES} values, each on a distinct node
 * @param timeout {@code timeoutMs}: bounds each apply's or observation's whole exchange with the server, default
 *     {@value #DEFAULT_TIMEOUT_MS} ms, {@value #MIN_TIMEOUT_MS} to {@value #MAX_TIMEOUT_MS}
 */
public record OpcUaWriteConfig(
        @NotNull Optional<OpcTcpUrl> endpointUrl,
        @NotNull Optional<String> device,
        @NotNull Optional<String> securityPolicy,
        @NotNull Optional<String> messageSecurityMode,
        @NotNull CertificatePolicy certificatePolicy,
        @NotNull Set<String> trustedThumbprints,
        @NotNull Optional<String> username,
        @NotNull List<NodeWrite> writes,
        @NotNull Duration timeout) {

    public static final String ENDPOINT_URL = "endpointUrl";
    public static final String DEVICE = "device";
    public static final String SECURITY_POLICY = "securityPolicy";
    public static final String MESSAGE_SECURITY_MODE = "messageSecurityMode";
    public static final String CERTIFICATE_POLICY = "certificatePolicy";
    public static final String TRUSTED_THUMBPRINTS = "trustedThumbprints";
    public static final String USERNAME = "username";
    public static final String WRITES = "writes";
    public static final String TIMEOUT_MS = "timeoutMs";
    public static final Set<String> KEYS = Set.of(
            ENDPOINT_URL,
            DEVICE,
            SECURITY_POLICY,
            MESSAGE_SECURITY_MODE,
            CERTIFICATE_POLICY,
            TRUSTED_THUMBPRINTS,
            USERNAME,
            WRITES,
            TIMEOUT_MS);

    private static final String NODE_ID = "nodeId";
    private static final String VALUE = "value";
    private static final String DATA_TYPE = "dataType";
    private static final String TOLERANCE = "tolerance";
    private static final Set<String> WRITE_KEYS = Set.of(NODE_ID, VALUE, DATA_TYPE, TOLERANCE);

    /** The security policies a session may use: the current ones of OPC UA Part 7; the deprecated ones are refused. */
    public static final List<String> SECURITY_POLICIES =
            List.of("None", "Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss");

    public static final List<String> SECURITY_MODES = List.of("None", "Sign", "SignAndEncrypt");

    public static final int MAX_WRITES = 256;
    public static final int MAX_TRUSTED_THUMBPRINTS = 64;
    public static final int MAX_USERNAME_CHARS = 256;
    public static final long DEFAULT_TIMEOUT_MS = 5_000;
    public static final long MIN_TIMEOUT_MS = 100;
    public static final long MAX_TIMEOUT_MS = 60_000;

    public OpcUaWriteConfig {
        trustedThumbprints = Set.copyOf(trustedThumbprints);
        writes = List.copyOf(writes);
    }

    /**
     * Reads and checks {@code spec}'s properties, refusing unknown ones.
     *
     * @throws dev.baton.adapters.api.ComponentException with reason INVALID_SPEC, naming the property, the rule and
     *     the value
     */
    public static @NotNull OpcUaWriteConfig parse(final @NotNull ComponentSpec spec) {
        final ComponentProperties properties = ComponentProperties.of(spec, KEYS);
        final Optional<OpcTcpUrl> endpointUrl = properties
                .optionalString(ENDPOINT_URL)
                .map(text -> {
                    try {
                        return OpcTcpUrl.parse(text);
                    } catch (final IllegalArgumentException e) {
                        throw properties.invalid("property '" + ENDPOINT_URL + "' " + e.getMessage() + ", but was '"
                                + Names.printable(text) + "'");
                    }
                });
        final Optional<String> device = properties.optionalString(DEVICE);
        if (endpointUrl.isPresent() == device.isPresent()) {
            throw properties.invalid(
                    endpointUrl.isPresent()
                            ? "has both '" + ENDPOINT_URL + "' and '" + DEVICE + "'; name the server by one of them"
                            : "needs property '" + ENDPOINT_URL + "' (e.g. \"opc.tcp://10.0.0.5:4840\") or '" + DEVICE
                                    + "' (the id of an opcua-server device in the node's inventory, e.g."
                                    + " \"opcua:urn:plc-17\")");
        }
        device.ifPresent(id -> {
            if (id.isEmpty()
                    || id.length() > Limits.MAX_DEVICE_ID_CHARS
                    || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw properties.invalid("property '" + DEVICE + "' must be a device id of 1 to "
                        + Limits.MAX_DEVICE_ID_CHARS + " printable characters without spaces, but was '"
                        + Names.printable(id) + "'");
            }
        });
        final Optional<String> policy = oneOf(properties, SECURITY_POLICY, SECURITY_POLICIES);
        final Optional<String> mode = oneOf(properties, MESSAGE_SECURITY_MODE, SECURITY_MODES);
        if (policy.isPresent()
                && mode.isPresent()
                && policy.get().equals("None") != mode.get().equals("None")) {
            throw properties.invalid(
                    "property '" + SECURITY_POLICY + "' '" + policy.get() + "' cannot be combined with '"
                            + MESSAGE_SECURITY_MODE + "' '" + mode.get() + "': None goes with None only");
        }
        final CertificatePolicy certificatePolicy = properties
                .optionalString(CERTIFICATE_POLICY)
                .map(key -> CertificatePolicy.ofKey(key)
                        .orElseThrow(() -> properties.invalid("property '" + CERTIFICATE_POLICY
                                + "' must be 'record' or 'trusted-thumbprints', but was '" + Names.printable(key)
                                + "'")))
                .orElse(CertificatePolicy.RECORD);
        final Set<String> thumbprints = thumbprints(properties, certificatePolicy);
        final boolean secureAsked = policy.filter(p -> !p.equals("None")).isPresent()
                || mode.filter(m -> !m.equals("None")).isPresent();
        if (secureAsked && certificatePolicy != CertificatePolicy.TRUSTED_THUMBPRINTS) {
            throw properties.invalid("asks for a secure session ('" + SECURITY_POLICY + "'/'" + MESSAGE_SECURITY_MODE
                    + "'), which is opened only to a server whose certificate is trusted; set '" + CERTIFICATE_POLICY
                    + "' to 'trusted-thumbprints' and put the server's certificate thumbprint in '"
                    + TRUSTED_THUMBPRINTS + "' (discovery reports it in the device's 'certificates')");
        }
        final Optional<String> username = properties.optionalString(USERNAME);
        username.ifPresent(name -> {
            if (name.isEmpty()
                    || name.length() > MAX_USERNAME_CHARS
                    || name.chars().anyMatch(Character::isISOControl)) {
                throw properties.invalid("property '" + USERNAME + "' must be 1 to " + MAX_USERNAME_CHARS
                        + " characters without control characters, but was '" + Names.printable(name) + "'");
            }
        });
        final List<NodeWrite> writes = writes(properties);
        final long timeoutMs = properties
                .optionalLong(TIMEOUT_MS, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS)
                .orElse(DEFAULT_TIMEOUT_MS);
        return new OpcUaWriteConfig(
                endpointUrl,
                device,
                policy,
                mode,
                certificatePolicy,
                thumbprints,
                username,
                writes,
                Duration.ofMillis(timeoutMs));
    }

    private static Optional<String> oneOf(
            final ComponentProperties properties, final String name, final List<String> allowed) {
        final Optional<String> value = properties.optionalString(name);
        if (value.isPresent() && !allowed.contains(value.get())) {
            throw properties.invalid("property '" + name + "' must be one of " + String.join(", ", allowed)
                    + ", but was '" + Names.printable(value.get()) + "'"
                    + (name.equals(SECURITY_POLICY) ? " (Basic128Rsa15 and Basic256 are deprecated and refused)" : ""));
        }
        return value;
    }

    private static Set<String> thumbprints(final ComponentProperties properties, final CertificatePolicy policy) {
        final List<String> texts = properties.stringList(TRUSTED_THUMBPRINTS);
        if (policy == CertificatePolicy.RECORD && properties.raw(TRUSTED_THUMBPRINTS) != null) {
            throw properties.invalid("property '" + TRUSTED_THUMBPRINTS + "' takes effect only with '"
                    + CERTIFICATE_POLICY + "': 'trusted-thumbprints'; set that too, or remove the thumbprints");
        }
        if (policy == CertificatePolicy.TRUSTED_THUMBPRINTS && texts.isEmpty()) {
            throw properties.invalid("needs property '" + TRUSTED_THUMBPRINTS + "' (an array of SHA-1 or SHA-256"
                    + " certificate thumbprints in hex) with '" + CERTIFICATE_POLICY + "': 'trusted-thumbprints'");
        }
        if (texts.size() > MAX_TRUSTED_THUMBPRINTS) {
            throw properties.invalid("property '" + TRUSTED_THUMBPRINTS + "' must hold at most "
                    + MAX_TRUSTED_THUMBPRINTS + " thumbprints, but had " + texts.size());
        }
        final Set<String> out = new TreeSet<>();
        for (int i = 0; i < texts.size(); i++) {
            final String text = texts.get(i);
            final int index = i;
            out.add(CertificatePolicy.normaliseThumbprint(text)
                    .orElseThrow(() -> properties.invalid("property '" + TRUSTED_THUMBPRINTS + "[" + index
                            + "]' must be a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) thumbprint, optionally"
                            + " with ':' between bytes, but was '" + Names.printable(text) + "'")));
        }
        return out;
    }

    private static List<NodeWrite> writes(final ComponentProperties properties) {
        final JsonNode array = properties.raw(WRITES);
        if (array == null || array.isNull()) {
            throw properties.invalid("needs property '" + WRITES + "' (an array of {\"nodeId\", \"value\","
                    + " \"dataType\"}, e.g. [{\"nodeId\": \"ns=2;s=Line1.Speed\", \"value\": 40,"
                    + " \"dataType\": \"Int32\"}])");
        }
        if (!array.isArray()) {
            throw properties.invalid(
                    "property '" + WRITES + "' must be an array, but was " + PropertyReader.describe(array));
        }
        if (array.isEmpty() || array.size() > MAX_WRITES) {
            throw properties.invalid(
                    "property '" + WRITES + "' must hold 1 to " + MAX_WRITES + " writes, but had " + array.size());
        }
        final List<NodeWrite> writes = new ArrayList<>(array.size());
        final Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            final String at = WRITES + "[" + i + "]";
            final JsonNode entry = array.get(i);
            if (!entry.isObject()) {
                throw properties.invalid("property '" + at + "' must be an object with 'nodeId', 'value' and"
                        + " 'dataType', but was " + PropertyReader.describe(entry));
            }
            final Iterator<String> names = entry.fieldNames();
            while (names.hasNext()) {
                final String name = names.next();
                if (!WRITE_KEYS.contains(name)) {
                    throw properties.invalid("property '" + at + "' has unknown key '" + Names.printable(name)
                            + "'; a write takes " + String.join(", ", new TreeSet<>(WRITE_KEYS)));
                }
            }
            final JsonNode nodeIdValue = entry.get(NODE_ID);
            if (nodeIdValue == null || !nodeIdValue.isTextual()) {
                throw properties.invalid("property '" + at + "." + NODE_ID + "' is required: a node id such as"
                        + " \"ns=2;s=Line1.Speed\" or \"nsu=urn:plant;s=Line1.Speed\""
                        + (nodeIdValue == null ? "" : ", but was " + PropertyReader.describe(nodeIdValue)));
            }
            final String nodeId = nodeIdValue.textValue();
            final Optional<String> syntax = NodeIdText.problem(nodeId);
            if (syntax.isPresent()) {
                throw properties.invalid("property '" + at + "." + NODE_ID + "' " + syntax.get() + ", but was '"
                        + Names.printable(nodeId) + "'");
            }
            final Integer earlier = seen.putIfAbsent(NodeIdText.canonical(nodeId), i);
            if (earlier != null) {
                throw properties.invalid("property '" + at + "." + NODE_ID + "' names the same node as '" + WRITES + "["
                        + earlier + "]." + NODE_ID + "' ('" + Names.printable(nodeId) + "'); write each node once");
            }
            final JsonNode typeValue = entry.get(DATA_TYPE);
            final List<String> typeNames = java.util.Arrays.stream(WriteDataType.values())
                    .map(WriteDataType::typeName)
                    .toList();
            if (typeValue == null || !typeValue.isTextual()) {
                throw properties.invalid("property '" + at + "." + DATA_TYPE + "' is required: one of "
                        + String.join(", ", typeNames)
                        + (typeValue == null ? "" : ", but was " + PropertyReader.describe(typeValue)));
            }
            final WriteDataType type = WriteDataType.ofName(typeValue.textValue())
                    .orElseThrow(() -> properties.invalid("property '" + at + "." + DATA_TYPE + "' must be one of "
                            + String.join(", ", typeNames) + ", but was '" + Names.printable(typeValue.textValue())
                            + "'"));
            final JsonNode value = entry.get(VALUE);
            if (value == null || value.isNull()) {
                throw properties.invalid("property '" + at + "." + VALUE + "' is required: the " + type.typeName()
                        + " value to keep on the node");
            }
            type.problemWith(value).ifPresent(problem -> {
                throw properties.invalid("property '" + at + "." + VALUE + "' " + problem);
            });
            final JsonNode toleranceValue = entry.get(TOLERANCE);
            OptionalDouble tolerance = OptionalDouble.empty();
            if (toleranceValue != null && !toleranceValue.isNull()) {
                if (!type.isFloatingPoint()) {
                    throw properties.invalid("property '" + at + "." + TOLERANCE + "' applies only to Float and"
                            + " Double values, but the dataType is " + type.typeName());
                }
                if (!toleranceValue.isNumber()
                        || !Double.isFinite(toleranceValue.doubleValue())
                        || toleranceValue.doubleValue() < 0) {
                    throw properties.invalid("property '" + at + "." + TOLERANCE + "' must be a number of at least 0,"
                            + " but was "
                            + (toleranceValue.isNumber()
                                    ? toleranceValue.toString()
                                    : PropertyReader.describe(toleranceValue)));
                }
                tolerance = OptionalDouble.of(toleranceValue.doubleValue());
            }
            writes.add(new NodeWrite(nodeId, value, type, tolerance));
        }
        return writes;
    }
}
