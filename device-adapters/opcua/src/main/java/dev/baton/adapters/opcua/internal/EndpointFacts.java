package dev.baton.adapters.opcua.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.jetbrains.annotations.NotNull;

/**
 * One endpoint from GetEndpoints (OPC UA Part 4 §5.4.4, §7.14), as reported.
 *
 * @param url the endpoint URL as the server advertised it
 * @param userTokenTypes sorted, distinct: {@code Anonymous}, {@code UserName}, {@code Certificate}, …
 * @param description the endpoint as received, to open a session with
 */
record EndpointFacts(
        @NotNull String url,
        @NotNull String securityPolicyUri,
        @NotNull String securityMode,
        @NotNull List<String> userTokenTypes,
        @NotNull Optional<CertificateFacts> certificate,
        int securityLevel,
        @NotNull EndpointDescription description) {

    EndpointFacts {
        userTokenTypes = List.copyOf(userTokenTypes);
    }

    static @NotNull EndpointFacts of(final @NotNull EndpointDescription endpoint) {
        final UserTokenPolicy[] tokens = endpoint.getUserIdentityTokens();
        final List<String> tokenTypes = tokens == null
                ? List.of()
                : Arrays.stream(tokens)
                        .filter(Objects::nonNull)
                        .map(UserTokenPolicy::getTokenType)
                        .filter(Objects::nonNull)
                        .map(UserTokenType::name)
                        .distinct()
                        .sorted()
                        .toList();
        final MessageSecurityMode mode = endpoint.getSecurityMode();
        return new EndpointFacts(
                Objects.requireNonNullElse(endpoint.getEndpointUrl(), ""),
                Objects.requireNonNullElse(endpoint.getSecurityPolicyUri(), ""),
                mode == null ? "Invalid" : mode.name(),
                tokenTypes,
                CertificateFacts.of(endpoint.getServerCertificate()),
                endpoint.getSecurityLevel() == null
                        ? 0
                        : endpoint.getSecurityLevel().intValue(),
                endpoint);
    }

    boolean isOpcTcp() {
        final String profile = description.getTransportProfileUri();
        return (profile == null || profile.equals(TransportProfile.TCP_UASC_UABINARY.getUri()))
                && url.regionMatches(true, 0, "opc.tcp://", 0, "opc.tcp://".length());
    }

    boolean allowsAnonymous() {
        return allows(UserTokenType.Anonymous);
    }

    boolean allows(final @NotNull UserTokenType type) {
        return userTokenTypes.contains(type.name());
    }

    /**
     * True when a password sent on this endpoint cannot be read on the wire: the channel encrypts (SignAndEncrypt), or
     * the UserName token policy encrypts the password itself with a security policy other than None, its own or,
     * when it names none, the endpoint's (OPC UA Part 4 §7.36.4, §7.41).
     */
    boolean protectsPassword() {
        if (MessageSecurityMode.SignAndEncrypt.name().equals(securityMode)) {
            return true;
        }
        final UserTokenPolicy[] tokens = description.getUserIdentityTokens();
        return tokens != null
                && Arrays.stream(tokens)
                        .filter(Objects::nonNull)
                        .filter(token -> token.getTokenType() == UserTokenType.UserName)
                        .map(token -> token.getSecurityPolicyUri() == null
                                        || token.getSecurityPolicyUri().isEmpty()
                                ? securityPolicyUri
                                : token.getSecurityPolicyUri())
                        .anyMatch(uri -> !SecurityPolicy.None.getUri().equals(uri));
    }

    /** The short name of a security policy URI ({@code Basic256Sha256}), or the URI when it is not a known one. */
    static @NotNull String policyName(final @NotNull String uri) {
        for (final SecurityPolicy policy : SecurityPolicy.values()) {
            if (policy.getUri().equals(uri)) {
                return policy.name();
            }
        }
        return uri;
    }

    boolean isUnsecured() {
        return SecurityPolicy.None.getUri().equals(securityPolicyUri)
                && MessageSecurityMode.None.name().equals(securityMode);
    }

    /** True for the policies the handler opens secure sessions with: the current, non-deprecated ones. */
    boolean hasModernSecurity() {
        final boolean modernPolicy = SecurityPolicy.Basic256Sha256.getUri().equals(securityPolicyUri)
                || SecurityPolicy.Aes128_Sha256_RsaOaep.getUri().equals(securityPolicyUri)
                || SecurityPolicy.Aes256_Sha256_RsaPss.getUri().equals(securityPolicyUri);
        final boolean securedMode = MessageSecurityMode.Sign.name().equals(securityMode)
                || MessageSecurityMode.SignAndEncrypt.name().equals(securityMode);
        return modernPolicy && securedMode;
    }
}
