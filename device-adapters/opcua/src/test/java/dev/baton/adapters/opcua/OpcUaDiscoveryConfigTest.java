package dev.baton.adapters.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.discovery.DiscoveryConfig;
import dev.baton.adapters.api.discovery.DiscoveryException;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpcUaDiscoveryConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHA256 = "0123456789abcdef".repeat(4);

    @Test
    void aFullConfigurationIsReadWithEveryKey() {
        final OpcUaDiscoveryConfig config = parse("{\"discoveryUrls\": [\"opc.tcp://10.0.0.5:4841/lds\","
                + " \"OPC.TCP://plc_17\"], \"browse\": {\"enabled\": true, \"depth\": 5, \"maxNodes\": 20000},"
                + " \"certificatePolicy\": \"trusted-thumbprints\", \"trustedThumbprints\": [\""
                + SHA256.toUpperCase() + "\", \"aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd\"]}");

        assertThat(config.discoveryUrls())
                .containsExactly(new OpcTcpUrl("10.0.0.5", 4841, "/lds"), new OpcTcpUrl("plc_17", 4840, ""));
        assertThat(config.browse()).isEqualTo(BrowseSettings.enabled(5, 20_000));
        assertThat(config.certificatePolicy()).isEqualTo(CertificatePolicy.TRUSTED_THUMBPRINTS);
        assertThat(config.trustedThumbprints())
                .containsExactlyInAnyOrder(SHA256, "aabbccddeeff00112233445566778899aabbccdd");
        assertThat(config.trusts(SHA256)).isTrue();
        assertThat(config.trusts("ff".repeat(32))).isFalse();
    }

    @Test
    void theDefaultsAreNoBrowseAndTheRecordPolicyWhichTrustsNothing() {
        final OpcUaDiscoveryConfig config = parse("{\"discoveryUrls\": [\"opc.tcp://10.0.0.5\"]}");

        assertThat(config.browse().enabled()).isFalse();
        assertThat(config.browse().depth()).isEqualTo(3);
        assertThat(config.browse().maxNodes()).isEqualTo(1_000);
        assertThat(config.certificatePolicy()).isEqualTo(CertificatePolicy.RECORD);
        assertThat(config.trustedThumbprints()).isEmpty();
        assertThat(config.trusts(SHA256)).isFalse();
    }

    @Test
    void aDisabledHandlerNeedsNoDiscoveryUrls() {
        assertThat(parse("{\"enabled\": false}").discoveryUrls()).isEmpty();
    }

    @Test
    void anEnabledHandlerWithoutDiscoveryUrlsIsRefusedNamingTheKey() {
        assertRefused("{}", "discovery.opcua needs property 'discoveryUrls'");
        assertRefused("{\"discoveryUrls\": []}", "discovery.opcua needs property 'discoveryUrls'");
    }

    @Test
    void discoveryUrlsMustBeDistinctOpcTcpUrlsWithAHostAndAValidPort() {
        assertRefused("{\"discoveryUrls\": \"opc.tcp://a\"}", "property 'discoveryUrls' must be an array of strings");
        assertRefused(
                "{\"discoveryUrls\": [\"http://10.0.0.5\"]}",
                "property 'discoveryUrls[0]' must start with opc.tcp://",
                "but was 'http://10.0.0.5'");
        assertRefused(
                "{\"discoveryUrls\": [\"opc.tcp://a\", \"opc.tcp://:4840\"]}",
                "property 'discoveryUrls[1]' must name a host");
        assertRefused(
                "{\"discoveryUrls\": [\"opc.tcp://a:65536\"]}", "'discoveryUrls[0]' must have a port from 1 to 65535");
        assertRefused(
                "{\"discoveryUrls\": [\"opc.tcp://user:pw@a\"]}", "'discoveryUrls[0]' must not carry user information");
        assertRefused("{\"discoveryUrls\": [\"opc.tcp://a b\"]}", "'discoveryUrls[0]' must not contain spaces");
        assertRefused(
                "{\"discoveryUrls\": [\"opc.tcp://a:4840/x\", \"opc.tcp://A:4840/x\"]}",
                "property 'discoveryUrls[1]' repeats discoveryUrls[0]");
        assertRefused(
                "{\"discoveryUrls\": [\"opc.tcp://a\", \"opc.tcp://a:4840\"]}",
                "property 'discoveryUrls[1]' repeats discoveryUrls[0]");
        assertRefused(
                "{\"discoveryUrls\": [" + "\"opc.tcp://h\",".repeat(64) + "\"opc.tcp://h\"]}",
                "property 'discoveryUrls' must hold at most 64 URLs, but had 65");
    }

    @Test
    void browseSettingsAreCheckedAgainstTheirLimitsNamingTheNestedKey() {
        assertRefused(
                withUrl("\"browse\": {\"depth\": 11}"),
                "property 'browse.depth' must be a whole number from 1 to 10, but was 11");
        assertRefused(withUrl("\"browse\": {\"depth\": 0}"), "'browse.depth' must be a whole number from 1 to 10");
        assertRefused(
                withUrl("\"browse\": {\"maxNodes\": 100001}"),
                "property 'browse.maxNodes' must be a whole number from 1 to 100000, but was 100001");
        assertRefused(withUrl("\"browse\": {\"maxNodes\": \"10\"}"), "'browse.maxNodes' must be a whole number");
        assertRefused(withUrl("\"browse\": {\"enabled\": \"yes\"}"), "property 'browse.enabled' must be true or false");
        assertRefused(withUrl("\"browse\": {\"limit\": 5}"), "has unknown property 'browse.limit'");
        assertRefused(withUrl("\"browse\": true"), "property 'browse' must be an object");
    }

    @Test
    void theCertificatePolicyIsOneOfTwoAndThumbprintsGoOnlyWithTrustedThumbprints() {
        assertRefused(
                withUrl("\"certificatePolicy\": \"trust-all\""),
                "property 'certificatePolicy' must be 'record' or 'trusted-thumbprints', but was 'trust-all'");
        assertRefused(
                withUrl("\"trustedThumbprints\": [\"" + SHA256 + "\"]"),
                "property 'trustedThumbprints' takes effect only with 'certificatePolicy': 'trusted-thumbprints'");
        assertRefused(withUrl("\"certificatePolicy\": \"trusted-thumbprints\""), "needs property 'trustedThumbprints'");
        assertRefused(
                withUrl("\"certificatePolicy\": \"trusted-thumbprints\", \"trustedThumbprints\": [\"abc\"]"),
                "property 'trustedThumbprints[0]' must be a SHA-1 (40 hex digits) or SHA-256 (64 hex digits)",
                "but was 'abc'");
        assertRefused(
                withUrl("\"certificatePolicy\": \"trusted-thumbprints\", \"trustedThumbprints\": [\"" + "zz".repeat(20)
                        + "\"]"),
                "'trustedThumbprints[0]' must be a SHA-1");
    }

    @Test
    void anUnknownKeyIsRefusedSoThatAMisspeltOneIsNotIgnored() {
        assertRefused(withUrl("\"discoveryUrl\": \"opc.tcp://x\""), "has unknown property 'discoveryUrl'");
    }

    @Test
    void theErrorsAreInvalidConfigurationErrors() {
        assertThatThrownBy(() -> parse("{}"))
                .isInstanceOfSatisfying(DiscoveryException.class, e -> assertThat(e.reason())
                        .isEqualTo(DiscoveryException.Reason.INVALID_CONFIG));
    }

    @Test
    void opcTcpUrlsAreParsedStrictlyAndPrintedWithTheirPort() {
        assertThat(OpcTcpUrl.parse("opc.tcp://[fe80::1]:4841/a/b")).isEqualTo(new OpcTcpUrl("fe80::1", 4841, "/a/b"));
        assertThat(OpcTcpUrl.parse("opc.tcp://[::1]").toString()).isEqualTo("opc.tcp://[::1]:4840");
        assertThat(OpcTcpUrl.parse("opc.tcp://PLC-17.plant.local")
                        .withHost("10.1.2.3")
                        .toString())
                .isEqualTo("opc.tcp://10.1.2.3:4840");
        assertThat(OpcTcpUrl.parse("opc.tcp://Host:1").sameHost(OpcTcpUrl.parse("opc.tcp://host:2")))
                .isTrue();
        for (final String bad : List.of(
                "opc.tcp://a:b",
                "opc.tcp://::1",
                "opc.tcp://[::1",
                "opc.tcp://a/x?y",
                "opc.tcp://h%20",
                "opc.tcp://a:0")) {
            assertThatThrownBy(() -> OpcTcpUrl.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static String withUrl(final String more) {
        return "{\"discoveryUrls\": [\"opc.tcp://10.0.0.5\"], " + more + "}";
    }

    private static OpcUaDiscoveryConfig parse(final String json) {
        try {
            return OpcUaDiscoveryConfig.parse(DiscoveryConfig.of("opcua", (ObjectNode) JSON.readTree(json)));
        } catch (final com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void assertRefused(final String json, final String... fragments) {
        assertThatThrownBy(() -> parse(json))
                .as(json)
                .isInstanceOf(DiscoveryException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).startsWith("discovery.opcua ");
                    for (final String fragment : fragments) {
                        assertThat(e.getMessage()).contains(fragment);
                    }
                });
    }
}
