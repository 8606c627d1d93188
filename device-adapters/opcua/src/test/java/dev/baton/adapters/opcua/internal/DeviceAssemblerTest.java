package dev.baton.adapters.opcua.internal;

import static dev.baton.adapters.opcua.internal.Endpoints.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.adapters.opcua.BrowseSettings;
import dev.baton.adapters.opcua.CertificatePolicy;
import dev.baton.adapters.opcua.OpcTcpUrl;
import dev.baton.adapters.opcua.OpcUaDiscoveryConfig;
import dev.baton.protocol.Device;
import dev.baton.protocol.Limits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.junit.jupiter.api.Test;

class DeviceAssemblerTest {

    private static final OpcUaDiscoveryConfig CONFIG = new OpcUaDiscoveryConfig(
            List.of(OpcTcpUrl.parse("opc.tcp://10.0.0.5")),
            BrowseSettings.DISABLED,
            CertificatePolicy.RECORD,
            Set.of());
    private static final ApplicationFacts PLC = new ApplicationFacts(
            "urn:plant:plc 17", "PLC 17", "urn:vendor:plc", "Server", List.of("opc.tcp://plc-17:4840"));

    @Test
    void theDeviceIsTheSameWhateverOrderTheServerListsItsEndpointsIn() {
        final EndpointFacts a = endpoint(
                "opc.tcp://plc-17:4840",
                SecurityPolicy.None,
                MessageSecurityMode.None,
                0,
                "one",
                UserTokenType.UserName,
                UserTokenType.Anonymous);
        final EndpointFacts b = endpoint(
                "opc.tcp://plc-17:4840",
                SecurityPolicy.Basic256Sha256,
                MessageSecurityMode.SignAndEncrypt,
                3,
                "one",
                UserTokenType.Anonymous);
        final EndpointFacts c = endpoint(
                "opc.tcp://plc-17:4841",
                SecurityPolicy.None,
                MessageSecurityMode.None,
                0,
                "two",
                UserTokenType.Anonymous);

        final Device forward = assemble(report(List.of(a, b, c), List.of("urn:a", "urn:b")), List.of("x", "y"));
        final Device backward = assemble(report(List.of(c, b, a), List.of("urn:a", "urn:b")), List.of("y", "x"));

        assertThat(backward).isEqualTo(forward);
        assertThat(backward.contentHash()).isEqualTo(forward.contentHash());
        final JsonNode properties = forward.properties();
        assertThat(properties.path("endpoints").path(0).path("securityPolicy").asText())
                .isEqualTo(SecurityPolicy.Basic256Sha256.getUri());
        assertThat(properties.path("endpoints").path(1).path("userTokenTypes").toString())
                .isEqualTo("[\"Anonymous\",\"UserName\"]");
        assertThat(properties.path("certificates")).hasSize(2);
        assertThat(properties.path("namespaces").toString())
                .as("index order kept")
                .isEqualTo("[\"urn:a\",\"urn:b\"]");
    }

    @Test
    void theIdIsOpcuaAndTheApplicationUriWithUnprintableCharactersEncoded() {
        final Device device = assemble(report(List.of(), List.of()), List.of());

        assertThat(device.id()).isEqualTo("opcua:urn:plant:plc%2017");
        assertThat(device.name()).isEqualTo("PLC 17");
        assertThat(device.kind()).isEqualTo("opcua-server");
        assertThat(device.source()).isEqualTo("opcua");
        assertThat(device.properties().path("applicationUri").asText()).isEqualTo("urn:plant:plc 17");
    }

    @Test
    void anOverlongApplicationUriGivesAnIdWithinTheProtocolLimitThatStaysUnique() {
        final String prefix = "urn:" + "x".repeat(400);

        final String one = DeviceIds.of(prefix + "1");
        final String two = DeviceIds.of(prefix + "2");

        assertThat(one).hasSize(Limits.MAX_DEVICE_ID_CHARS).startsWith("opcua:urn:xxx");
        assertThat(two).hasSize(Limits.MAX_DEVICE_ID_CHARS).isNotEqualTo(one);
    }

    @Test
    void aServerWithHugeListsIsTrimmedBelowTheProtocolLimitAndSaysSo() throws Exception {
        final List<EndpointFacts> endpoints = new ArrayList<>();
        IntStream.range(0, 100)
                .forEach(i -> endpoints.add(endpoint(
                        "opc.tcp://plc-17:" + (4000 + i) + "/" + "p".repeat(200),
                        SecurityPolicy.None,
                        MessageSecurityMode.None,
                        0,
                        "cert-" + i,
                        UserTokenType.Anonymous)));
        final List<String> namespaces = IntStream.range(0, 300)
                .mapToObj(i -> "urn:ns:" + i + ":" + "n".repeat(400))
                .toList();

        final Device device = assemble(report(endpoints, namespaces), List.of());

        final JsonNode properties = device.properties();
        assertThat(new ObjectMapper().writeValueAsBytes(properties).length)
                .isLessThanOrEqualTo(Limits.MAX_DEVICE_PROPERTY_BYTES);
        assertThat(properties.path("propertiesTrimmed").asBoolean(false)).isTrue();
        assertThat(properties.path("status").asText()).isEqualTo("ok");
        assertThat(properties.path("productName").asText()).isEqualTo("Sim");
    }

    @Test
    void whatASessionDidNotReadIsLeftOutRatherThanReportedEmpty() {
        final ServerReport endpointsOnly = new ServerReport(
                PLC,
                "endpoints-only",
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of());

        final JsonNode properties = assemble(endpointsOnly, List.of()).properties();

        assertThat(properties.path("status").asText()).isEqualTo("endpoints-only");
        assertThat(properties.has("productName")).isFalse();
        assertThat(properties.has("namespaces")).isFalse();
        assertThat(properties.has("browse")).isFalse();
        assertThat(properties.has("propertiesTrimmed")).isFalse();
        assertThat(properties.has("advertisedHost")).isFalse();
    }

    private static Device assemble(final ServerReport report, final List<String> discoveryUrls) {
        return DeviceAssembler.assemble(report, discoveryUrls, "opcua:fallback", CONFIG);
    }

    private static ServerReport report(final List<EndpointFacts> endpoints, final List<String> namespaces) {
        final ServerFacts facts = new ServerFacts(
                "Sim", "urn:vendor:plc", "Acme", "1.0", "7", Instant.parse("2024-01-01T00:00:00Z"), namespaces, 0);
        return new ServerReport(
                PLC,
                "ok",
                endpoints,
                Optional.of(facts),
                Optional.empty(),
                Optional.of(new HostSubstitution("plc-17", "10.0.0.5")),
                Optional.of(SecurityPolicy.None.getUri()),
                List.of());
    }
}
