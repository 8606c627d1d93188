package dev.baton.adapters.opcua.write;

import dev.baton.protocol.testing.Ports;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

/**
 * A real OPC UA server on Eclipse Milo, on a free loopback port, shared by the {@code opcua-write} tests of this
 * module (hardware-tests' simulator is out of reach: adapters must not depend on hardware-tests). Endpoints: None and
 * Basic256Sha256/SignAndEncrypt; tokens: anonymous, and user {@value #USER} with password {@value #PASSWORD}.
 * Namespace {@value #NAMESPACE_URI} holds, below folder {@code Line1}, one writable variable per data type the
 * provider writes ({@code ns=N;s=Line1.Int32}, …) a read-only {@code Line1.SerialNumber}, and
 * {@code Line1.Locked}, which no user may write.
 */
final class WritableTestServer implements AutoCloseable {

    static final String NAMESPACE_URI = "urn:baton:test:plant";
    static final String USER = "operator";
    static final String PASSWORD = "correct horse";

    /** Writable variables by name, with their initial values; the name is the data type's. */
    static final Map<String, Variant> INITIAL = initial();

    private final OpcUaServer server;
    private final PlantNamespace namespace;
    private final X509Certificate certificate;
    private final int port;

    private WritableTestServer(
            final OpcUaServer server,
            final PlantNamespace namespace,
            final X509Certificate certificate,
            final int port) {
        this.server = server;
        this.namespace = namespace;
        this.certificate = certificate;
        this.port = port;
    }

    static WritableTestServer start() throws Exception {
        final int port = Ports.freeLoopbackPort();
        final String applicationUri = "urn:baton:test:writable:" + port;
        final KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        final X509Certificate certificate = new SelfSignedCertificateBuilder(keyPair)
                .setCommonName("Baton writable test server")
                .setApplicationUri(applicationUri)
                .setValidityPeriod(Period.ofDays(30))
                .addIpAddress("127.0.0.1")
                .build();
        final EndpointConfig.Builder base = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress("127.0.0.1")
                .setBindPort(port)
                .setHostname("127.0.0.1")
                .setPath("/plant")
                .setCertificate(certificate)
                .addTokenPolicies(
                        OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS, OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME);
        final Set<EndpointConfig> endpoints = new LinkedHashSet<>();
        endpoints.add(base.copy()
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .build());
        endpoints.add(base.copy()
                .setSecurityPolicy(SecurityPolicy.Basic256Sha256)
                .setSecurityMode(MessageSecurityMode.SignAndEncrypt)
                .build());
        final RsaSha256CertificateFactory factory = new RsaSha256CertificateFactory() {
            @Override
            protected KeyPair createRsaSha256KeyPair() {
                return keyPair;
            }

            @Override
            protected X509Certificate[] createRsaSha256CertificateChain(final KeyPair ignored) {
                return new X509Certificate[] {certificate};
            }
        };
        final DefaultApplicationGroup group = DefaultApplicationGroup.createAndInitialize(
                new MemoryTrustListManager(), new MemoryCertificateStore(), factory, (chain, uri, hosts) -> {
                    // Any client certificate: these tests are about the client.
                });
        final OpcUaServer server = new OpcUaServer(
                OpcUaServerConfig.builder()
                        .setApplicationUri(applicationUri)
                        .setApplicationName(LocalizedText.english("Baton writable test server"))
                        .setProductUri("urn:baton:test")
                        .setEndpoints(endpoints)
                        .setCertificateManager(new DefaultCertificateManager(new MemoryCertificateQuarantine(), group))
                        .setIdentityValidator(new CompositeValidator(
                                AnonymousIdentityValidator.INSTANCE,
                                new UsernameIdentityValidator(challenge -> USER.equals(challenge.getUsername())
                                        && PASSWORD.equals(challenge.getPassword()))))
                        .build(),
                profile -> new OpcTcpServerTransport(
                        OpcTcpServerTransportConfig.newBuilder().build()));
        final PlantNamespace namespace = new PlantNamespace(server);
        namespace.startup();
        server.startup().get(30, TimeUnit.SECONDS);
        return new WritableTestServer(server, namespace, certificate, port);
    }

    String url() {
        return "opc.tcp://127.0.0.1:" + port + "/plant";
    }

    int namespaceIndex() {
        return namespace.getNamespaceIndex().intValue();
    }

    /** The node id text of variable {@code name}, e.g. {@code ns=2;s=Line1.Int32}. */
    String nodeId(final String name) {
        return "ns=" + namespaceIndex() + ";s=Line1." + name;
    }

    String sha256() throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    /** The variable's value as the server holds it. */
    Object value(final String name) {
        return namespace.variable(name).getValue().getValue().getValue();
    }

    /** Sets the variable's value on the server, as an HMI or another client would. */
    void set(final String name, final Variant value) {
        namespace.variable(name).setValue(new DataValue(value));
    }

    /** Puts every variable back to its initial value. */
    void reset() {
        INITIAL.forEach(this::set);
    }

    @Override
    public void close() throws Exception {
        namespace.shutdown();
        server.shutdown().get(10, TimeUnit.SECONDS);
    }

    private static Map<String, Variant> initial() {
        final Map<String, Variant> values = new LinkedHashMap<>();
        values.put("Boolean", Variant.ofBoolean(false));
        values.put("SByte", Variant.ofSByte((byte) 0));
        values.put("Byte", Variant.ofByte(Unsigned.ubyte(0)));
        values.put("Int16", Variant.ofInt16((short) 0));
        values.put("UInt16", Variant.ofUInt16(Unsigned.ushort(0)));
        values.put("Int32", Variant.ofInt32(0));
        values.put("UInt32", Variant.ofUInt32(Unsigned.uint(0)));
        values.put("Int64", Variant.ofInt64(0L));
        values.put("UInt64", Variant.ofUInt64(Unsigned.ulong(0L)));
        values.put("Float", Variant.ofFloat(0f));
        values.put("Double", Variant.ofDouble(0d));
        values.put("String", Variant.ofString(""));
        return java.util.Collections.unmodifiableMap(values);
    }

    private static final class PlantNamespace extends ManagedNamespaceWithLifecycle {

        private static final Map<String, NodeId> TYPES = Map.ofEntries(
                Map.entry("Boolean", NodeIds.Boolean),
                Map.entry("SByte", NodeIds.SByte),
                Map.entry("Byte", NodeIds.Byte),
                Map.entry("Int16", NodeIds.Int16),
                Map.entry("UInt16", NodeIds.UInt16),
                Map.entry("Int32", NodeIds.Int32),
                Map.entry("UInt32", NodeIds.UInt32),
                Map.entry("Int64", NodeIds.Int64),
                Map.entry("UInt64", NodeIds.UInt64),
                Map.entry("Float", NodeIds.Float),
                Map.entry("Double", NodeIds.Double),
                Map.entry("String", NodeIds.String));

        private final Map<String, UaVariableNode> variables = new LinkedHashMap<>();

        PlantNamespace(final OpcUaServer server) {
            super(server, NAMESPACE_URI);
            final UaFolderNode folder = new UaFolderNode(
                    getNodeContext(), newNodeId("Line1"), newQualifiedName("Line1"), LocalizedText.english("Line1"));
            getNodeManager().addNode(folder);
            folder.addReference(new Reference(
                    folder.getNodeId(),
                    NodeIds.Organizes,
                    NodeIds.ObjectsFolder.expanded(),
                    Reference.Direction.INVERSE));
            INITIAL.forEach((name, value) ->
                    add(folder, name, TYPES.get(name), value, AccessLevel.READ_WRITE, AccessLevel.READ_WRITE));
            // Read-only for everyone (Bad_NotWritable), and writable but not by this server's users
            // (Bad_UserAccessDenied).
            add(
                    folder,
                    "SerialNumber",
                    NodeIds.String,
                    Variant.ofString("SN-0001"),
                    AccessLevel.READ_ONLY,
                    AccessLevel.READ_WRITE);
            add(folder, "Locked", NodeIds.Int32, Variant.ofInt32(3), AccessLevel.READ_WRITE, AccessLevel.READ_ONLY);
        }

        private void add(
                final UaFolderNode folder,
                final String name,
                final NodeId type,
                final Variant value,
                final Set<AccessLevel> access,
                final Set<AccessLevel> userAccess) {
            final UaVariableNode variable = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                    .setNodeId(newNodeId("Line1." + name))
                    .setBrowseName(newQualifiedName(name))
                    .setDisplayName(LocalizedText.english(name))
                    .setDataType(type)
                    .setTypeDefinition(NodeIds.BaseDataVariableType)
                    .setAccessLevel(access)
                    .setUserAccessLevel(userAccess)
                    .setValue(new DataValue(value))
                    .build();
            getNodeManager().addNode(variable);
            folder.addOrganizes(variable);
            variables.put(name, variable);
        }

        UaVariableNode variable(final String name) {
            return variables.get(name);
        }

        @Override
        public void onDataItemsCreated(final List<DataItem> items) {}

        @Override
        public void onDataItemsModified(final List<DataItem> items) {}

        @Override
        public void onDataItemsDeleted(final List<DataItem> items) {}

        @Override
        public void onMonitoringModeChanged(final List<MonitoredItem> items) {}
    }
}
