package dev.baton.sim.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.adapters.api.discovery.ScanResult;
import dev.baton.protocol.Device;
import dev.baton.protocol.testing.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code opcua} discovery handler against real Milo servers (the simulator) on loopback. */
class OpcUaDiscoveryAgainstSimulatorTest {

    @TempDir
    Path tmp;

    private final List<AutoCloseable> running = new ArrayList<>();
    private OpcUaScans scans;

    @BeforeEach
    void createHandler() {
        scans = new OpcUaScans(tmp.resolve("secrets"));
    }

    @AfterEach
    void stopEverything() throws Exception {
        scans.close();
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void findServersAndGetEndpointsDescribeTheServerItsEndpointsAndItsCertificate() throws Exception {
        final OpcUaServerSimulator server = start(OpcUaServerSimulator.builder()
                .applicationName("Press line 4")
                .applicationUri("urn:test:press-4")
                .productUri("urn:test:press"));

        final ScanResult result = scans.scan(urls(server.discoveryUrl()));

        assertThat(result.problems()).isEmpty();
        assertThat(result.devices()).hasSize(1);
        final Device device = result.devices().get(0);
        assertThat(device.id()).isEqualTo("opcua:urn:test:press-4");
        assertThat(device.kind()).isEqualTo("opcua-server");
        assertThat(device.source()).isEqualTo("opcua");
        assertThat(device.name()).isEqualTo("Press line 4");
        final JsonNode properties = device.properties();
        assertThat(properties.path("applicationUri").asText()).isEqualTo("urn:test:press-4");
        assertThat(properties.path("applicationName").asText()).isEqualTo("Press line 4");
        assertThat(properties.path("productUri").asText()).isEqualTo("urn:test:press");
        assertThat(properties.path("applicationType").asText()).isEqualTo("Server");
        assertThat(texts(properties.path("discoveryUrls"))).containsExactly(server.discoveryUrl());
        assertThat(properties.path("status").asText()).isEqualTo("ok");
        final JsonNode endpoints = properties.path("endpoints");
        assertThat(endpoints).hasSize(2);
        assertThat(StreamSupport.stream(endpoints.spliterator(), false)
                        .map(e -> e.path("securityPolicy").asText() + " "
                                + e.path("securityMode").asText())
                        .toList())
                .containsExactlyInAnyOrder(
                        SecurityPolicy.None.getUri() + " None",
                        SecurityPolicy.Basic256Sha256.getUri() + " SignAndEncrypt");
        for (final JsonNode endpoint : endpoints) {
            assertThat(endpoint.path("url").asText()).isEqualTo(server.discoveryUrl());
            assertThat(texts(endpoint.path("userTokenTypes"))).containsExactly("Anonymous");
            assertThat(endpoint.path("certificateThumbprint").asText()).isEqualTo(server.certificateSha256());
        }
        final JsonNode certificate = properties.path("certificates").path(0);
        assertThat(properties.path("certificates")).hasSize(1);
        assertThat(certificate.path("sha256").asText()).isEqualTo(server.certificateSha256());
        assertThat(certificate.path("sha1").asText()).isEqualTo(server.certificateSha1());
        assertThat(certificate.path("subject").asText()).contains("CN=Press line 4");
        assertThat(certificate.path("notBefore").asText())
                .isEqualTo(server.certificate().getNotBefore().toInstant().toString());
        assertThat(certificate.path("notAfter").asText())
                .isEqualTo(server.certificate().getNotAfter().toInstant().toString());
        assertThat(certificate.path("trusted").asBoolean(true)).isFalse();
        assertThat(properties.path("sessionSecurityPolicy").asText()).isEqualTo(SecurityPolicy.None.getUri());
    }

    @Test
    void aSessionReadsTheBuildInfoAndTheNamespaceArray() throws Exception {
        final OpcUaServerSimulator server = start(OpcUaServerSimulator.builder()
                .productName("Sim PLC")
                .manufacturerName("Acme Automation")
                .softwareVersion("4.2.1")
                .buildNumber("20240917.3")
                .namespaceUri("urn:test:plant"));

        final JsonNode properties =
                onlyDevice(scans.scan(urls(server.discoveryUrl()))).properties();

        assertThat(properties.path("productName").asText()).isEqualTo("Sim PLC");
        assertThat(properties.path("manufacturerName").asText()).isEqualTo("Acme Automation");
        assertThat(properties.path("softwareVersion").asText()).isEqualTo("4.2.1");
        assertThat(properties.path("buildNumber").asText()).isEqualTo("20240917.3");
        assertThat(properties.path("buildDate").asText())
                .isEqualTo(server.buildDate().toString());
        final List<String> namespaces = texts(properties.path("namespaces"));
        assertThat(namespaces.get(0)).isEqualTo("http://opcfoundation.org/UA/");
        assertThat(namespaces.get(1)).isEqualTo(server.applicationUri());
        assertThat(namespaces.get(server.namespaceIndex())).isEqualTo("urn:test:plant");
        assertThat(properties.has("browse")).as("browse is off by default").isFalse();
    }

    @Test
    void aFullBrowseCountsEveryNodeOfTheServersNamespace() throws Exception {
        final OpcUaServerSimulator server =
                start(OpcUaServerSimulator.builder().folders(12).variablesPerFolder(30));

        final JsonNode browse = onlyDevice(scans.scan(urls(server.discoveryUrl())
                        .replace("}", ", \"browse\": {\"enabled\": true, \"depth\": 3, \"maxNodes\": 100000}}")))
                .properties()
                .path("browse");

        assertThat(browse.path("nodes").asInt()).isEqualTo(server.nodeCount()).isEqualTo(12 * 31 + 2);
        assertThat(browse.path("objects").asInt()).isEqualTo(13);
        assertThat(browse.path("variables").asInt()).isEqualTo(12 * 30);
        assertThat(browse.path("methods").asInt()).isEqualTo(1);
        assertThat(browse.path("truncated").asBoolean(true)).isFalse();
        assertThat(browse.path("depth").asInt()).isEqualTo(3);
        assertThat(browse.path("maxNodes").asInt()).isEqualTo(100_000);
        final List<String> topLevel = texts(browse.path("topLevelObjects"));
        assertThat(topLevel)
                .hasSize(13)
                .startsWith("Controls", "Line001", "Line002")
                .endsWith("Line012");
    }

    @Test
    void theBrowseStopsAtMaxNodesAndSaysItWasTruncated() throws Exception {
        final OpcUaServerSimulator server =
                start(OpcUaServerSimulator.builder().folders(20).variablesPerFolder(50));

        final JsonNode browse = onlyDevice(scans.scan(urls(server.discoveryUrl())
                        .replace("}", ", \"browse\": {\"enabled\": true, \"maxNodes\": 100}}")))
                .properties()
                .path("browse");

        assertThat(browse.path("nodes").asInt()).isEqualTo(100);
        assertThat(browse.path("truncated").asBoolean(false)).isTrue();
        assertThat(browse.path("objects").asInt()
                        + browse.path("variables").asInt()
                        + browse.path("methods").asInt())
                .isEqualTo(100);
    }

    @Test
    void theBrowseStopsAtTheConfiguredDepth() throws Exception {
        final OpcUaServerSimulator server =
                start(OpcUaServerSimulator.builder().folders(5).variablesPerFolder(40));

        final JsonNode browse = onlyDevice(scans.scan(
                        urls(server.discoveryUrl()).replace("}", ", \"browse\": {\"enabled\": true, \"depth\": 1}}")))
                .properties()
                .path("browse");

        assertThat(browse.path("nodes").asInt())
                .as("the folders and Controls, not their children")
                .isEqualTo(6);
        assertThat(browse.path("variables").asInt()).isZero();
        assertThat(browse.path("truncated").asBoolean(true)).isFalse();
    }

    @Test
    void anAdvertisedHostThatDoesNotResolveIsReplacedByTheHostReached() throws Exception {
        final OpcUaServerSimulator server = start(OpcUaServerSimulator.builder().advertisedHost("plc-17.invalid"));

        final ScanResult result = scans.scan(urls(server.discoveryUrl()));

        assertThat(result.problems()).isEmpty();
        final JsonNode properties = onlyDevice(result).properties();
        assertThat(properties.path("status").asText()).isEqualTo("ok");
        assertThat(properties.path("advertisedHost").asText()).isEqualTo("plc-17.invalid");
        assertThat(properties.path("reachedHost").asText()).isEqualTo("127.0.0.1");
        assertThat(texts(properties.path("discoveryUrls"))).containsExactly(server.advertisedUrl());
        assertThat(properties.path("endpoints").path(0).path("url").asText())
                .as("endpoints are reported as advertised")
                .startsWith("opc.tcp://plc-17.invalid:");
        assertThat(properties.path("productName").asText()).isEqualTo(server.productName());
    }

    @Test
    void aDiscoveryUrlWhereNothingListensIsAProblemNamingItWhileOtherServersAreStillReported() throws Exception {
        final OpcUaServerSimulator server = start(OpcUaServerSimulator.builder().applicationUri("urn:test:alive"));
        final String dead = "opc.tcp://127.0.0.1:" + Ports.freeLoopbackPort() + "/nothing";

        final ScanResult result = scans.scan(urls(server.discoveryUrl(), dead));

        assertThat(result.devices()).extracting(Device::id).containsExactly("opcua:urn:test:alive");
        assertThat(result.problems()).hasSize(1);
        assertThat(result.problems().get(0)).contains(dead).contains("connection refused");
    }

    @Test
    void underTheRecordPolicyAServerWithOnlySecureEndpointsIsReportedWithItsCertificateButNoSession() throws Exception {
        final OpcUaServerSimulator server = start(OpcUaServerSimulator.builder()
                .applicationUri("urn:test:secure-only")
                .securityPolicies(SecurityPolicy.Basic256Sha256));

        final ScanResult result = scans.scan(urls(server.discoveryUrl() + "/discovery"));

        final JsonNode properties = onlyDevice(result).properties();
        assertThat(properties.path("status").asText()).isEqualTo("endpoints-only");
        assertThat(properties.has("productName")).isFalse();
        assertThat(properties.has("sessionSecurityPolicy")).isFalse();
        assertThat(properties.path("endpoints")).hasSize(1);
        assertThat(properties.path("endpoints").path(0).path("securityMode").asText())
                .isEqualTo("SignAndEncrypt");
        assertThat(properties.path("certificates").path(0).path("sha256").asText())
                .isEqualTo(server.certificateSha256());
        assertThat(properties.path("certificates").path(0).path("trusted").asBoolean(true))
                .isFalse();
        assertThat(result.problems())
                .singleElement()
                .asString()
                .contains("urn:test:secure-only")
                .contains(server.certificateSha256())
                .contains("trusted-thumbprints")
                .contains("trustedThumbprints");
        assertThat(tmp.resolve("secrets"))
                .as("no client certificate is made without need")
                .doesNotExist();
    }

    @Test
    void aTrustedThumbprintAllowsASecureSessionAndAnUnknownOneDoesNot() throws Exception {
        final OpcUaServerSimulator server = start(OpcUaServerSimulator.builder()
                .applicationUri("urn:test:secure-only")
                .securityPolicies(SecurityPolicy.Basic256Sha256));
        final String url = server.discoveryUrl() + "/discovery";

        final ScanResult trusted = scans.scan("{\"discoveryUrls\": [\"" + url + "\"], \"certificatePolicy\":"
                + " \"trusted-thumbprints\", \"trustedThumbprints\": [\"" + colons(server.certificateSha1()) + "\"]}");
        final ScanResult untrusted = scans.scan("{\"discoveryUrls\": [\"" + url + "\"], \"certificatePolicy\":"
                + " \"trusted-thumbprints\", \"trustedThumbprints\": [\"" + "ab".repeat(32) + "\"]}");

        assertThat(trusted.problems()).isEmpty();
        final JsonNode secured = onlyDevice(trusted).properties();
        assertThat(secured.path("status").asText()).isEqualTo("ok");
        assertThat(secured.path("sessionSecurityPolicy").asText()).isEqualTo(SecurityPolicy.Basic256Sha256.getUri());
        assertThat(secured.path("productName").asText()).isEqualTo(server.productName());
        assertThat(secured.path("certificates").path(0).path("trusted").asBoolean(false))
                .isTrue();
        assertThat(tmp.resolve("secrets/opcua-client-cert.der")).isRegularFile();
        assertThat(tmp.resolve("secrets/opcua-client-key.der")).isRegularFile();

        assertThat(onlyDevice(untrusted).properties().path("status").asText()).isEqualTo("endpoints-only");
        assertThat(untrusted.problems())
                .singleElement()
                .asString()
                .contains(server.certificateSha256())
                .contains("not among discovery.opcua.trustedThumbprints");
    }

    @Test
    void aLocalDiscoveryServerListsSeveralServersAndOneThatDoesNotAnswerIsReportedUnreachable() throws Exception {
        final OpcUaServerSimulator lds = start(OpcUaServerSimulator.builder()
                .applicationUri("urn:test:lds")
                .applicationName("Local Discovery Server")
                .discoveryServer(true)
                .folders(0));
        final OpcUaServerSimulator first = start(OpcUaServerSimulator.builder().applicationUri("urn:test:first"));
        final OpcUaServerSimulator second = start(
                OpcUaServerSimulator.builder().applicationUri("urn:test:second").advertisedHost("cell-2.invalid"));
        lds.register(first);
        lds.register(second);
        lds.register(
                "urn:test:gone",
                "Gone",
                "urn:test:product",
                "opc.tcp://127.0.0.1:" + Ports.freeLoopbackPort() + "/gone");

        final ScanResult result = scans.scan(urls(lds.discoveryUrl()));

        assertThat(result.devices())
                .extracting(Device::id)
                .containsExactly(
                        "opcua:urn:test:first", "opcua:urn:test:gone", "opcua:urn:test:lds", "opcua:urn:test:second");
        assertThat(status(result, "opcua:urn:test:first")).isEqualTo("ok");
        assertThat(status(result, "opcua:urn:test:second")).isEqualTo("ok");
        assertThat(status(result, "opcua:urn:test:lds")).isEqualTo("ok");
        assertThat(status(result, "opcua:urn:test:gone")).isEqualTo("unreachable");
        assertThat(device(result, "opcua:urn:test:lds")
                        .properties()
                        .path("applicationType")
                        .asText())
                .isEqualTo("DiscoveryServer");
        assertThat(device(result, "opcua:urn:test:second")
                        .properties()
                        .path("advertisedHost")
                        .asText())
                .isEqualTo("cell-2.invalid");
        assertThat(result.problems())
                .singleElement()
                .asString()
                .contains("urn:test:gone")
                .contains("refused");
    }

    @Test
    void aServerThatRefusesFindServersIsDescribedByItsGetEndpointsAnswerInstead() throws Exception {
        final OpcUaServerSimulator server = start(OpcUaServerSimulator.builder()
                .applicationUri("urn:test:no-find-servers")
                .applicationName("Embedded server")
                .findServersSupported(false));
        assertThatThrownBy(
                        () -> DiscoveryClient.findServers(server.discoveryUrl()).get(10, TimeUnit.SECONDS))
                .as("the simulator really refuses FindServers")
                .hasRootCauseInstanceOf(UaException.class)
                .rootCause()
                .satisfies(e -> assertThat(((UaException) e).getStatusCode().getValue())
                        .isEqualTo(StatusCodes.Bad_ServiceUnsupported));

        final ScanResult result = scans.scan(urls(server.discoveryUrl()));

        assertThat(result.problems()).isEmpty();
        final Device device = onlyDevice(result);
        assertThat(device.id()).isEqualTo("opcua:urn:test:no-find-servers");
        assertThat(device.name()).isEqualTo("Embedded server");
        assertThat(device.properties().path("status").asText()).isEqualTo("ok");
        assertThat(device.properties().path("endpoints")).hasSize(2);
    }

    @Test
    void anUnchangedServerYieldsAnIdenticalDeviceScanAfterScan() throws Exception {
        final OpcUaServerSimulator server = start(OpcUaServerSimulator.builder().advertisedHost("plc-9.invalid"));
        final String config = urls(server.discoveryUrl()).replace("}", ", \"browse\": {\"enabled\": true}}");

        final Device first = onlyDevice(scans.scan(config));
        final Device second = onlyDevice(scans.scan(config));

        assertThat(second).isEqualTo(first);
        assertThat(second.contentHash()).isEqualTo(first.contentHash());
    }

    @Test
    void closingTheHandlerLeavesNoThreadOfItsOwnAndNoNonDaemonNettyOrMiloThread() throws Exception {
        final OpcUaServerSimulator server = start(OpcUaServerSimulator.builder());
        scans.scan(urls(server.discoveryUrl()).replace("}", ", \"browse\": {\"enabled\": true}}"));
        assertThat(threads()).anyMatch(thread -> thread.getName().startsWith("baton-opcua-"));

        scans.close();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(threads())
                    .filteredOn(thread -> thread.getName().startsWith("baton-opcua-"))
                    .as("handler threads left after close")
                    .isEmpty();
            assertThat(threads())
                    .filteredOn(thread -> !thread.isDaemon())
                    .filteredOn(thread -> thread.getName().toLowerCase().matches(".*(netty|milo|eventloop|opcua).*"))
                    .as("non-daemon Netty or Milo threads")
                    .isEmpty();
        });
    }

    private OpcUaServerSimulator start(final OpcUaServerSimulator.Builder builder) {
        final OpcUaServerSimulator simulator =
                builder.directory(tmp.resolve("sim-" + running.size())).start();
        running.add(simulator);
        return simulator;
    }

    private static String urls(final String... urls) {
        return "{\"discoveryUrls\": [\"" + String.join("\", \"", urls) + "\"]}";
    }

    private static Device onlyDevice(final ScanResult result) {
        assertThat(result.devices()).hasSize(1);
        return result.devices().get(0);
    }

    private static Device device(final ScanResult result, final String id) {
        return result.devices().stream()
                .filter(d -> d.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private static String status(final ScanResult result, final String id) {
        return device(result, id).properties().path("status").asText();
    }

    private static List<String> texts(final JsonNode array) {
        final List<String> out = new ArrayList<>();
        array.forEach(element -> out.add(element.asText()));
        return out;
    }

    private static String colons(final String hex) {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            out.append(i == 0 ? "" : ":").append(hex, i, i + 2);
        }
        return out.toString().toUpperCase();
    }

    private static List<Thread> threads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .toList();
    }
}
