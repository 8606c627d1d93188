package dev.baton.sim.opcua;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.ApplicationType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.ApplicationDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.slf4j.LoggerFactory;

/**
 * An OPC UA server on Eclipse Milo for tests, benchmarks and demos: real OPC UA over TCP on loopback, with a
 * self-signed certificate made at start, anonymous access, endpoints with security None and/or Basic256Sha256
 * (SignAndEncrypt), a configurable address space (see {@link SimulatedPlantNamespace}), an advertised host name that
 * may differ from the address it binds (to test clients against servers that advertise names they cannot resolve),
 * and optionally the FindServers behaviour of a Local Discovery Server. Several run side by side in one JVM, each
 * on its own free port. Never used by production code.
 *
 * <p>Client certificates are all accepted: the simulator tests clients, not its own trust store.
 */
public final class OpcUaServerSimulator implements AutoCloseable {

    /** Attempts to bind a free port; another process may take the one picked between picking and binding. */
    private static final int BIND_ATTEMPTS = 5;

    private final Builder settings;
    private final OpcUaServer server;
    private final SimulatedPlantNamespace namespace;
    private final SimulatorCertificate certificate;
    private final Path directory;
    private final int port;
    private final SimulatedDiscoveryServiceSet discoveryServices;

    private OpcUaServerSimulator(
            final Builder settings,
            final OpcUaServer server,
            final SimulatedPlantNamespace namespace,
            final SimulatorCertificate certificate,
            final Path directory,
            final int port,
            final SimulatedDiscoveryServiceSet discoveryServices) {
        this.settings = settings;
        this.server = server;
        this.namespace = namespace;
        this.certificate = certificate;
        this.directory = directory;
        this.port = port;
        this.discoveryServices = discoveryServices;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The URL a client on this host uses: the bind address, the port and the path. */
    public String discoveryUrl() {
        return "opc.tcp://" + settings.bindAddress + ":" + port + settings.path;
    }

    /** The endpoint URL the server advertises in FindServers and GetEndpoints: the advertised host instead. */
    public String advertisedUrl() {
        return "opc.tcp://" + settings.advertisedHost() + ":" + port + settings.path;
    }

    public int port() {
        return port;
    }

    public String applicationUri() {
        return settings.applicationUri;
    }

    public String applicationName() {
        return settings.applicationName;
    }

    public String productUri() {
        return settings.productUri;
    }

    public String productName() {
        return settings.productName;
    }

    public String manufacturerName() {
        return settings.manufacturerName;
    }

    public String softwareVersion() {
        return settings.softwareVersion;
    }

    public String buildNumber() {
        return settings.buildNumber;
    }

    public Instant buildDate() {
        return settings.buildDate;
    }

    public String namespaceUri() {
        return settings.namespaceUri;
    }

    /** The index of {@link #namespaceUri()} in the server's NamespaceArray. */
    public int namespaceIndex() {
        return namespace.getNamespaceIndex().intValue();
    }

    /** Nodes of the simulated namespace: folders, their variables, Controls and its method, and the settings. */
    public int nodeCount() {
        return settings.folders * (1 + settings.variablesPerFolder)
                + 2
                + (settings.writableSettings ? SimulatedPlantNamespace.SETTINGS_NODES : 0);
    }

    /**
     * The node id of a writable setting (see {@link SimulatedPlantNamespace}), e.g. {@code ns=2;s=Settings/Speed}
     * for {@code Speed}.
     */
    public String settingNodeId(final String name) {
        namespace.setting(name);
        return "ns=" + namespaceIndex() + ";s=" + SimulatedPlantNamespace.SETTINGS + "/" + name;
    }

    /** The value a writable setting holds now, as the server sees it. */
    public Object setting(final String name) {
        final DataValue value = namespace.setting(name).getValue();
        return value.getValue() == null ? null : value.getValue().getValue();
    }

    public int folders() {
        return settings.folders;
    }

    public int variablesPerFolder() {
        return settings.variablesPerFolder;
    }

    public X509Certificate certificate() {
        return certificate.certificate();
    }

    /** SHA-256 of the server certificate's DER, lower-case hex. */
    public String certificateSha256() {
        return certificate.sha256();
    }

    /** SHA-1 of the server certificate's DER, lower-case hex. */
    public String certificateSha1() {
        return certificate.sha1();
    }

    /** Where the certificate and key were written ({@code server-cert.der}, {@code server-key.der}). */
    public Path directory() {
        return directory;
    }

    /**
     * Lists {@code other} in this Local Discovery Server's FindServers answers, as RegisterServer would.
     *
     * @throws IllegalStateException when this simulator was not built as a discovery server
     */
    public void register(final OpcUaServerSimulator other) {
        register(other.applicationUri(), other.applicationName(), other.productUri(), other.advertisedUrl());
    }

    /** Lists a server by its description; its discovery URL need not answer (to test unreachable servers). */
    public void register(
            final String applicationUri,
            final String applicationName,
            final String productUri,
            final String discoveryUrl) {
        if (discoveryServices == null || !settings.discoveryServer) {
            throw new IllegalStateException("simulator " + applicationUri() + " is not a discovery server; build it"
                    + " with discoveryServer(true)");
        }
        discoveryServices.register(new ApplicationDescription(
                applicationUri,
                productUri,
                LocalizedText.english(applicationName),
                ApplicationType.Server,
                null,
                null,
                new String[] {discoveryUrl}));
    }

    /** Stops the server; Milo's shared threads stay for the other simulators of the JVM. */
    @Override
    public void close() {
        namespace.shutdown();
        try {
            server.shutdown().get(10, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("simulator " + applicationUri() + " did not stop", e);
        }
    }

    /**
     * Runs a simulator until the process is stopped. Options (all optional): {@code --port=N} (default: a free
     * port), {@code --bind=ADDRESS} (default 127.0.0.1), {@code --advertised-host=NAME}, {@code --name=TEXT},
     * {@code --uri=URN}, {@code --folders=N}, {@code --variables=N}, {@code --secure-only}, {@code --writable}.
     */
    public static void main(final String[] args) throws InterruptedException {
        // Without a logback.xml, Logback logs everything at DEBUG; Milo would print every secure channel.
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        ((Logger) LoggerFactory.getLogger("org.eclipse.milo")).setLevel(Level.WARN);
        ((Logger) LoggerFactory.getLogger("io.netty")).setLevel(Level.WARN);
        final Map<String, String> options = new TreeMap<>();
        for (final String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("options look like --name=value, but got '" + arg + "'");
            }
            final int equals = arg.indexOf('=');
            options.put(
                    equals < 0 ? arg.substring(2) : arg.substring(2, equals),
                    equals < 0 ? "" : arg.substring(equals + 1));
        }
        final Builder builder = builder()
                .bindAddress(options.getOrDefault("bind", "127.0.0.1"))
                .port(Integer.parseInt(options.getOrDefault("port", "0")))
                .folders(Integer.parseInt(options.getOrDefault("folders", "10")))
                .variablesPerFolder(Integer.parseInt(options.getOrDefault("variables", "10")));
        if (options.containsKey("advertised-host")) {
            builder.advertisedHost(options.get("advertised-host"));
        }
        if (options.containsKey("name")) {
            builder.applicationName(options.get("name"));
        }
        if (options.containsKey("uri")) {
            builder.applicationUri(options.get("uri"));
        }
        if (options.containsKey("writable")) {
            builder.writableSettings(true);
        }
        if (options.containsKey("secure-only")) {
            builder.securityPolicies(SecurityPolicy.Basic256Sha256);
        }
        final OpcUaServerSimulator simulator = builder.start();
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }));
        System.out.println("OPC UA simulator " + simulator.applicationUri() + " listening at "
                + simulator.discoveryUrl()
                + " (advertised as " + simulator.advertisedUrl() + "), " + simulator.nodeCount() + " nodes, certificate"
                + " SHA-256 " + simulator.certificateSha256() + "; stop with Ctrl-C");
        stopped.await();
    }

    /** How to build a simulator; every setting has a default. */
    public static final class Builder {

        private String applicationName = "Baton OPC UA simulator";
        private String applicationUri = "urn:baton:sim:opcua:" + UUID.randomUUID();
        private String productUri = "urn:baton:sim:opcua";
        private String productName = "Baton OPC UA simulator";
        private String manufacturerName = "Baton";
        private String softwareVersion = "1.0.0";
        private String buildNumber = "1";
        private Instant buildDate = Instant.parse("2024-01-01T00:00:00Z");
        private String bindAddress = "127.0.0.1";
        private int port;
        private String advertisedHost;
        private String path = "/baton-sim";
        private Set<SecurityPolicy> securityPolicies = EnumSet.of(SecurityPolicy.None, SecurityPolicy.Basic256Sha256);
        private int folders = 10;
        private int variablesPerFolder = 10;
        private String namespaceUri = "urn:baton:sim:opcua:plant";
        private Path directory;
        private boolean discoveryServer;
        private boolean findServersSupported = true;
        private boolean writableSettings;

        private Builder() {}

        public Builder applicationName(final String applicationName) {
            this.applicationName = applicationName;
            return this;
        }

        public Builder applicationUri(final String applicationUri) {
            this.applicationUri = applicationUri;
            return this;
        }

        public Builder productUri(final String productUri) {
            this.productUri = productUri;
            return this;
        }

        public Builder productName(final String productName) {
            this.productName = productName;
            return this;
        }

        public Builder manufacturerName(final String manufacturerName) {
            this.manufacturerName = manufacturerName;
            return this;
        }

        public Builder softwareVersion(final String softwareVersion) {
            this.softwareVersion = softwareVersion;
            return this;
        }

        public Builder buildNumber(final String buildNumber) {
            this.buildNumber = buildNumber;
            return this;
        }

        public Builder buildDate(final Instant buildDate) {
            this.buildDate = buildDate;
            return this;
        }

        /** The address to listen on, default 127.0.0.1. */
        public Builder bindAddress(final String bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        /** The TCP port, default 0: a free port picked at start. */
        public Builder port(final int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be from 0 to 65535, but was " + port);
            }
            this.port = port;
            return this;
        }

        /** The host name put into advertised URLs (default: the bind address), e.g. {@code plc-17.invalid}. */
        public Builder advertisedHost(final String advertisedHost) {
            this.advertisedHost = advertisedHost;
            return this;
        }

        /** The endpoint path, default {@code /baton-sim}. */
        public Builder path(final String path) {
            if (!path.isEmpty() && !path.startsWith("/")) {
                throw new IllegalArgumentException("path must be empty or start with '/', but was '" + path + "'");
            }
            this.path = path;
            return this;
        }

        /**
         * The endpoints' security: {@link SecurityPolicy#None} and/or {@link SecurityPolicy#Basic256Sha256} (with
         * SignAndEncrypt). Without None, a None endpoint at {@code <path>/discovery} still serves discovery, as
         * OPC UA Part 6 §7.1 asks.
         */
        public Builder securityPolicies(final SecurityPolicy... policies) {
            final Set<SecurityPolicy> chosen = EnumSet.noneOf(SecurityPolicy.class);
            for (final SecurityPolicy policy : policies) {
                if (policy != SecurityPolicy.None && policy != SecurityPolicy.Basic256Sha256) {
                    throw new IllegalArgumentException("the simulator offers None and Basic256Sha256, not " + policy);
                }
                chosen.add(policy);
            }
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("at least one security policy is needed");
            }
            this.securityPolicies = chosen;
            return this;
        }

        /** Folders below the Objects folder, 0 to 1000, default 10. */
        public Builder folders(final int folders) {
            if (folders < 0 || folders > 1_000) {
                throw new IllegalArgumentException("folders must be from 0 to 1000, but was " + folders);
            }
            this.folders = folders;
            return this;
        }

        /** Variables in each folder, 0 to 10000, default 10. */
        public Builder variablesPerFolder(final int variablesPerFolder) {
            if (variablesPerFolder < 0 || variablesPerFolder > 10_000) {
                throw new IllegalArgumentException(
                        "variablesPerFolder must be from 0 to 10000, but was " + variablesPerFolder);
            }
            this.variablesPerFolder = variablesPerFolder;
            return this;
        }

        public Builder namespaceUri(final String namespaceUri) {
            this.namespaceUri = namespaceUri;
            return this;
        }

        /** Where the certificate is written; default a new temporary directory. */
        public Builder directory(final Path directory) {
            this.directory = directory;
            return this;
        }

        /** Answer FindServers as a Local Discovery Server, listing {@link #register registered} servers. */
        public Builder discoveryServer(final boolean discoveryServer) {
            this.discoveryServer = discoveryServer;
            return this;
        }

        /** Refuse FindServers with Bad_ServiceUnsupported, as some embedded servers do; GetEndpoints still works. */
        public Builder findServersSupported(final boolean findServersSupported) {
            this.findServersSupported = findServersSupported;
            return this;
        }

        /**
         * Add the {@code Settings} folder of variables that clients may write (for {@code opcua-write} tests and the
         * demo); off by default so that the address space of discovery tests stays as it was.
         */
        public Builder writableSettings(final boolean writableSettings) {
            this.writableSettings = writableSettings;
            return this;
        }

        private String advertisedHost() {
            return advertisedHost == null ? bindAddress : advertisedHost;
        }

        /** Creates the certificate, binds and starts; the simulator answers when this returns. */
        public OpcUaServerSimulator start() {
            if (discoveryServer && !findServersSupported) {
                throw new IllegalStateException("a discovery server must support FindServers");
            }
            final Path dir;
            try {
                dir = directory == null ? Files.createTempDirectory("baton-opcua-sim-") : directory;
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
            final SimulatorCertificate certificate = SimulatorCertificate.create(
                    applicationUri, applicationName, dir, advertisedHost(), "localhost", bindAddress);
            for (int attempt = 1; ; attempt++) {
                final int chosenPort = port != 0 ? port : freePort(bindAddress);
                try {
                    return startOn(chosenPort, certificate, dir);
                } catch (final IllegalStateException e) {
                    if (port != 0 || attempt >= BIND_ATTEMPTS || !(deepest(e) instanceof BindException)) {
                        throw e;
                    }
                }
            }
        }

        private OpcUaServerSimulator startOn(
                final int chosenPort, final SimulatorCertificate certificate, final Path dir) {
            final EndpointConfig.Builder base = EndpointConfig.newBuilder()
                    .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                    .setBindAddress(bindAddress)
                    .setBindPort(chosenPort)
                    .setHostname(advertisedHost())
                    .setPath(path)
                    .setCertificate(certificate.certificate())
                    .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS);
            final Set<EndpointConfig> endpoints = new LinkedHashSet<>();
            if (securityPolicies.contains(SecurityPolicy.None)) {
                endpoints.add(base.copy()
                        .setSecurityPolicy(SecurityPolicy.None)
                        .setSecurityMode(MessageSecurityMode.None)
                        .build());
            } else {
                endpoints.add(base.copy()
                        .setPath(path + "/discovery")
                        .setSecurityPolicy(SecurityPolicy.None)
                        .setSecurityMode(MessageSecurityMode.None)
                        .build());
            }
            if (securityPolicies.contains(SecurityPolicy.Basic256Sha256)) {
                endpoints.add(base.copy()
                        .setSecurityPolicy(SecurityPolicy.Basic256Sha256)
                        .setSecurityMode(MessageSecurityMode.SignAndEncrypt)
                        .build());
            }
            final OpcUaServer server;
            try {
                server = new OpcUaServer(
                        OpcUaServerConfig.builder()
                                .setApplicationUri(applicationUri)
                                .setApplicationName(LocalizedText.english(applicationName))
                                .setProductUri(productUri)
                                .setBuildInfo(new BuildInfo(
                                        productUri,
                                        manufacturerName,
                                        productName,
                                        softwareVersion,
                                        buildNumber,
                                        new DateTime(buildDate)))
                                .setEndpoints(endpoints)
                                .setCertificateManager(certificateManager(certificate))
                                .setIdentityValidator(AnonymousIdentityValidator.INSTANCE)
                                .build(),
                        profile -> new OpcTcpServerTransport(
                                OpcTcpServerTransportConfig.newBuilder().build()));
            } catch (final Exception e) {
                throw new IllegalStateException("could not configure the simulator", e);
            }
            final SimulatedPlantNamespace namespace =
                    new SimulatedPlantNamespace(server, namespaceUri, folders, variablesPerFolder, writableSettings);
            namespace.startup();
            SimulatedDiscoveryServiceSet discoveryServices = null;
            if (discoveryServer || !findServersSupported) {
                discoveryServices = new SimulatedDiscoveryServiceSet(server, findServersSupported);
                for (final EndpointConfig endpoint : endpoints) {
                    server.addServiceSet(endpoint.getPath(), discoveryServices);
                }
            }
            try {
                server.startup().get(30, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the simulator", e);
            } catch (final ExecutionException | TimeoutException e) {
                namespace.shutdown();
                server.shutdown();
                throw new IllegalStateException("simulator did not start on port " + chosenPort, e);
            }
            return new OpcUaServerSimulator(this, server, namespace, certificate, dir, chosenPort, discoveryServices);
        }

        private static DefaultCertificateManager certificateManager(final SimulatorCertificate certificate)
                throws Exception {
            final RsaSha256CertificateFactory factory = new RsaSha256CertificateFactory() {
                @Override
                protected java.security.KeyPair createRsaSha256KeyPair() {
                    return certificate.keyPair();
                }

                @Override
                protected X509Certificate[] createRsaSha256CertificateChain(final java.security.KeyPair keyPair) {
                    return new X509Certificate[] {certificate.certificate()};
                }
            };
            final DefaultApplicationGroup group = DefaultApplicationGroup.createAndInitialize(
                    new MemoryTrustListManager(),
                    new MemoryCertificateStore(),
                    factory,
                    (chain, applicationUri, hostNames) -> {
                        // Any client certificate: the simulator tests clients, not its own trust list.
                    });
            return new DefaultCertificateManager(new MemoryCertificateQuarantine(), group);
        }

        private static int freePort(final String bindAddress) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
                return socket.getLocalPort();
            } catch (final IOException e) {
                throw new UncheckedIOException("no free port on " + bindAddress, e);
            }
        }

        private static Throwable deepest(final Throwable failure) {
            Throwable current = failure;
            while (current.getCause() != null && current.getCause() != current) {
                current = current.getCause();
            }
            return current;
        }
    }
}
