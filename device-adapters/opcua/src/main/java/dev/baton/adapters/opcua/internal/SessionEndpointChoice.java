package dev.baton.adapters.opcua.internal;

import dev.baton.adapters.opcua.CertificatePolicy;
import dev.baton.adapters.opcua.OpcUaDiscoveryConfig;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * Which endpoint, if any, the handler may open an anonymous session on, under the configured certificate policy.
 * A secured endpoint is chosen only when its certificate's thumbprint is trusted; otherwise only an endpoint with
 * security mode None will do. When none qualifies, {@link #reason()} says what the operator can configure.
 *
 * @param endpoint the endpoint to use, as advertised
 * @param reason why there is none: a clause to follow "OPC UA server … "
 */
record SessionEndpointChoice(@NotNull Optional<EndpointFacts> endpoint, @NotNull String reason) {

    /** Most secure first, then SignAndEncrypt before Sign, then by URL so that the choice is stable. */
    private static final Comparator<EndpointFacts> PREFERENCE = Comparator.comparingInt(EndpointFacts::securityLevel)
            .reversed()
            .thenComparing(endpoint -> !"SignAndEncrypt".equals(endpoint.securityMode()))
            .thenComparing(EndpointFacts::securityPolicyUri)
            .thenComparing(EndpointFacts::url);

    boolean secure() {
        return endpoint.isPresent() && !endpoint.get().isUnsecured();
    }

    static @NotNull SessionEndpointChoice choose(
            final @NotNull List<EndpointFacts> endpoints, final @NotNull OpcUaDiscoveryConfig config) {
        final List<EndpointFacts> tcp =
                endpoints.stream().filter(EndpointFacts::isOpcTcp).toList();
        if (tcp.isEmpty()) {
            return none("offers no opc.tcp endpoint, so no session was opened");
        }
        final List<EndpointFacts> anonymous =
                tcp.stream().filter(EndpointFacts::allowsAnonymous).toList();
        if (anonymous.isEmpty()) {
            return none("allows no anonymous session on any opc.tcp endpoint, so its build info was not read;"
                    + " allow anonymous read access on the server to have it reported");
        }
        if (config.certificatePolicy() == CertificatePolicy.TRUSTED_THUMBPRINTS) {
            final Optional<EndpointFacts> trusted = anonymous.stream()
                    .filter(EndpointFacts::hasModernSecurity)
                    .filter(endpoint -> endpoint.certificate()
                            .map(certificate ->
                                    config.trusts(certificate.sha1()) || config.trusts(certificate.sha256()))
                            .orElse(false))
                    .min(PREFERENCE);
            if (trusted.isPresent()) {
                return new SessionEndpointChoice(trusted, "");
            }
        }
        final Optional<EndpointFacts> unsecured =
                anonymous.stream().filter(EndpointFacts::isUnsecured).min(Comparator.comparing(EndpointFacts::url));
        if (unsecured.isPresent()) {
            return new SessionEndpointChoice(unsecured, "");
        }
        final String thumbprint = anonymous.stream()
                .map(EndpointFacts::certificate)
                .flatMap(Optional::stream)
                .map(CertificateFacts::sha256)
                .sorted()
                .findFirst()
                .orElse("(none sent)");
        if (config.certificatePolicy() == CertificatePolicy.RECORD) {
            return none("offers no endpoint with security None, and its certificate (SHA-256 " + thumbprint
                    + ") is recorded but not trusted, so no session was opened; to read its build info, check that"
                    + " thumbprint on the server, then set discovery.opcua.certificatePolicy to 'trusted-thumbprints'"
                    + " and add it to discovery.opcua.trustedThumbprints");
        }
        final boolean pinned = anonymous.stream()
                .map(EndpointFacts::certificate)
                .flatMap(Optional::stream)
                .anyMatch(certificate -> config.trusts(certificate.sha1()) || config.trusts(certificate.sha256()));
        return none(
                pinned
                        ? "has a trusted certificate but offers only deprecated security policies (Basic128Rsa15, Basic256)"
                                + " with anonymous access, so no session was opened; enable Basic256Sha256 on the server"
                        : "offers no endpoint with security None, and its certificate (SHA-256 " + thumbprint
                                + ") is not"
                                + " among discovery.opcua.trustedThumbprints, so no session was opened; check that thumbprint"
                                + " on the server, then add it");
    }

    private static SessionEndpointChoice none(final String reason) {
        return new SessionEndpointChoice(Optional.empty(), reason);
    }
}
