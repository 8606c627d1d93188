package dev.baton.adapters.opcua.internal;

import static dev.baton.adapters.opcua.internal.Endpoints.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.adapters.opcua.BrowseSettings;
import dev.baton.adapters.opcua.CertificatePolicy;
import dev.baton.adapters.opcua.OpcTcpUrl;
import dev.baton.adapters.opcua.OpcUaDiscoveryConfig;
import java.util.List;
import java.util.Set;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.junit.jupiter.api.Test;

class SessionEndpointChoiceTest {

    private static final String URL = "opc.tcp://plc:4840";
    private static final EndpointFacts NONE =
            endpoint(URL, SecurityPolicy.None, MessageSecurityMode.None, 0, "cert", UserTokenType.Anonymous);
    private static final EndpointFacts SIGN_AND_ENCRYPT = endpoint(
            URL, SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt, 3, "cert", UserTokenType.Anonymous);
    private static final EndpointFacts SIGN =
            endpoint(URL, SecurityPolicy.Basic256Sha256, MessageSecurityMode.Sign, 2, "cert", UserTokenType.Anonymous);
    private static final EndpointFacts DEPRECATED = endpoint(
            URL, SecurityPolicy.Basic128Rsa15, MessageSecurityMode.SignAndEncrypt, 1, "cert", UserTokenType.Anonymous);

    @Test
    void theRecordPolicyUsesTheNoneEndpointEvenWhenSecureOnesExist() {
        final SessionEndpointChoice choice = SessionEndpointChoice.choose(List.of(SIGN_AND_ENCRYPT, NONE), record());

        assertThat(choice.endpoint()).contains(NONE);
        assertThat(choice.secure()).isFalse();
    }

    @Test
    void theRecordPolicyOpensNoSessionWithoutANoneEndpointAndSaysWhichThumbprintToTrust() {
        final SessionEndpointChoice choice = SessionEndpointChoice.choose(List.of(SIGN_AND_ENCRYPT, SIGN), record());

        assertThat(choice.endpoint()).isEmpty();
        assertThat(choice.reason())
                .contains("no endpoint with security None")
                .contains(Endpoints.sha256("cert"))
                .contains("'trusted-thumbprints'")
                .contains("discovery.opcua.trustedThumbprints");
    }

    @Test
    void aTrustedThumbprintSelectsTheMostSecureEndpointBySha1OrSha256() {
        for (final String thumbprint : List.of(Endpoints.sha1("cert"), Endpoints.sha256("cert"))) {
            final SessionEndpointChoice choice =
                    SessionEndpointChoice.choose(List.of(NONE, SIGN, SIGN_AND_ENCRYPT), trusting(thumbprint));

            assertThat(choice.endpoint()).contains(SIGN_AND_ENCRYPT);
            assertThat(choice.secure()).isTrue();
        }
    }

    @Test
    void anUntrustedCertificateFallsBackToTheNoneEndpointUnderTrustedThumbprints() {
        final SessionEndpointChoice choice =
                SessionEndpointChoice.choose(List.of(NONE, SIGN_AND_ENCRYPT), trusting("ab".repeat(32)));

        assertThat(choice.endpoint()).contains(NONE);
    }

    @Test
    void deprecatedPoliciesAreNeverUsedForASessionEvenWithATrustedCertificate() {
        final SessionEndpointChoice choice =
                SessionEndpointChoice.choose(List.of(DEPRECATED), trusting(Endpoints.sha256("cert")));

        assertThat(choice.endpoint()).isEmpty();
        assertThat(choice.reason()).contains("deprecated");
    }

    @Test
    void aServerWithoutAnonymousAccessGetsNoSessionAndAReasonSayingSo() {
        final EndpointFacts userOnly =
                endpoint(URL, SecurityPolicy.None, MessageSecurityMode.None, 0, "cert", UserTokenType.UserName);

        final SessionEndpointChoice choice = SessionEndpointChoice.choose(List.of(userOnly), record());

        assertThat(choice.endpoint()).isEmpty();
        assertThat(choice.reason()).contains("allows no anonymous session");
    }

    @Test
    void aUserNameIsNeverSentWhereThePasswordWouldCrossTheNetworkInClear() {
        final EndpointFacts plain =
                endpoint(URL, SecurityPolicy.None, MessageSecurityMode.None, 0, "cert", UserTokenType.UserName);

        // A token policy without a security policy of its own, on an endpoint without one either.
        final SessionEndpointChoice choice =
                SessionEndpointChoice.choose(List.of(plain), userName(Endpoints.sha256("cert")));

        assertThat(choice.endpoint()).isEmpty();
        assertThat(choice.reason()).contains("in clear");
    }

    @Test
    void aUserNameIsSentOnASignAndEncryptEndpointWithATrustedCertificate() {
        final EndpointFacts plain =
                endpoint(URL, SecurityPolicy.None, MessageSecurityMode.None, 0, "cert", UserTokenType.UserName);
        final EndpointFacts encrypted = endpoint(
                URL,
                SecurityPolicy.Basic256Sha256,
                MessageSecurityMode.SignAndEncrypt,
                3,
                "cert",
                UserTokenType.UserName);

        final SessionEndpointChoice choice =
                SessionEndpointChoice.choose(List.of(plain, encrypted), userName(Endpoints.sha256("cert")));

        assertThat(choice.endpoint()).contains(encrypted);
    }

    @Test
    void anExactSecurityPolicyAndModeAreHonouredOrTheReasonListsWhatIsOffered() {
        final SessionRequirements none = new SessionRequirements(
                CertificatePolicy.TRUSTED_THUMBPRINTS,
                Set.of(Endpoints.sha256("cert")),
                UserTokenType.Anonymous,
                java.util.Optional.of(SecurityPolicy.None.getUri()),
                java.util.Optional.of("None"),
                "'certificatePolicy'",
                "'trustedThumbprints'");
        assertThat(SessionEndpointChoice.choose(List.of(SIGN_AND_ENCRYPT, NONE), none)
                        .endpoint())
                .contains(NONE);

        final SessionEndpointChoice missing = SessionEndpointChoice.choose(List.of(SIGN_AND_ENCRYPT), none);
        assertThat(missing.endpoint()).isEmpty();
        assertThat(missing.reason())
                .contains("security policy None and mode None")
                .contains("Basic256Sha256/SignAndEncrypt");
    }

    private static SessionRequirements userName(final String thumbprint) {
        return new SessionRequirements(
                CertificatePolicy.TRUSTED_THUMBPRINTS,
                Set.of(thumbprint),
                UserTokenType.UserName,
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                "'certificatePolicy'",
                "'trustedThumbprints'");
    }

    private static OpcUaDiscoveryConfig record() {
        return new OpcUaDiscoveryConfig(
                List.of(OpcTcpUrl.parse(URL)), BrowseSettings.DISABLED, CertificatePolicy.RECORD, Set.of());
    }

    private static OpcUaDiscoveryConfig trusting(final String thumbprint) {
        return new OpcUaDiscoveryConfig(
                List.of(OpcTcpUrl.parse(URL)),
                BrowseSettings.DISABLED,
                CertificatePolicy.TRUSTED_THUMBPRINTS,
                Set.of(thumbprint));
    }
}
