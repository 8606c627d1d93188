package dev.baton.adapters.opcua.internal;

import dev.baton.adapters.opcua.CertificatePolicy;
import dev.baton.adapters.opcua.OpcUaDiscoveryConfig;
import java.util.Optional;
import java.util.Set;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.jetbrains.annotations.NotNull;

/**
 * What a session needs of a server's endpoint (OPC UA Part 4 §5.4.4, §7.14): who may be trusted, which user token,
 * and optionally an exact security policy and mode. The same rules serve discovery and the {@code opcua-write}
 * provider; only the names of the settings in messages differ.
 *
 * @param certificatePolicy which server certificates may be trusted
 * @param trustedThumbprints lower-case hex SHA-1 or SHA-256 thumbprints, only with
 *     {@link CertificatePolicy#TRUSTED_THUMBPRINTS}
 * @param tokenType {@link UserTokenType#Anonymous} or {@link UserTokenType#UserName}
 * @param securityPolicyUri an exact security policy URI the endpoint must have, or empty for the most secure usable
 * @param securityMode an exact MessageSecurityMode name ({@code None}, {@code Sign}, {@code SignAndEncrypt}), or
 *     empty for the most secure usable
 * @param certificatePolicySetting how messages name the certificate policy setting, e.g.
 *     {@code discovery.opcua.certificatePolicy}
 * @param thumbprintsSetting how messages name the trusted thumbprints setting
 */
public record SessionRequirements(
        @NotNull CertificatePolicy certificatePolicy,
        @NotNull Set<String> trustedThumbprints,
        @NotNull UserTokenType tokenType,
        @NotNull Optional<String> securityPolicyUri,
        @NotNull Optional<String> securityMode,
        @NotNull String certificatePolicySetting,
        @NotNull String thumbprintsSetting) {

    public SessionRequirements {
        trustedThumbprints = Set.copyOf(trustedThumbprints);
        if (tokenType != UserTokenType.Anonymous && tokenType != UserTokenType.UserName) {
            throw new IllegalArgumentException("sessions use Anonymous or UserName tokens, not " + tokenType);
        }
    }

    /** Discovery's requirements: anonymous, the most secure endpoint the certificate policy allows. */
    static @NotNull SessionRequirements of(final @NotNull OpcUaDiscoveryConfig config) {
        return new SessionRequirements(
                config.certificatePolicy(),
                config.trustedThumbprints(),
                UserTokenType.Anonymous,
                Optional.empty(),
                Optional.empty(),
                "discovery.opcua.certificatePolicy",
                "discovery.opcua.trustedThumbprints");
    }

    /** True when {@code thumbprint} (lower-case hex SHA-1 or SHA-256) is trusted. */
    boolean trusts(final @NotNull String thumbprint) {
        return certificatePolicy == CertificatePolicy.TRUSTED_THUMBPRINTS && trustedThumbprints.contains(thumbprint);
    }

    boolean trusts(final @NotNull CertificateFacts certificate) {
        return trusts(certificate.sha1()) || trusts(certificate.sha256());
    }
}
