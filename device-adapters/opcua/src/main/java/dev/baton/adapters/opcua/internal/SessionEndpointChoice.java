package dev.baton.adapters.opcua.internal;

import dev.baton.adapters.opcua.CertificatePolicy;
import dev.baton.adapters.opcua.OpcUaDiscoveryConfig;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.jetbrains.annotations.NotNull;

/**
 * Which endpoint, if any, a session may be opened on, under the configured certificate policy. A secured endpoint
 * is chosen only when its certificate's thumbprint is trusted; otherwise only an endpoint with security mode None will
 * do. A user name is never sent where it would cross the network in clear. When none qualifies, {@link #reason()}
 * says what the operator can configure.
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
        return choose(endpoints, SessionRequirements.of(config));
    }

    static @NotNull SessionEndpointChoice choose(
            final @NotNull List<EndpointFacts> endpoints, final @NotNull SessionRequirements requirements) {
        final List<EndpointFacts> tcp =
                endpoints.stream().filter(EndpointFacts::isOpcTcp).toList();
        if (tcp.isEmpty()) {
            return none("offers no opc.tcp endpoint, so no session was opened");
        }
        final boolean userName = requirements.tokenType() == UserTokenType.UserName;
        List<EndpointFacts> usable = tcp.stream()
                .filter(endpoint -> endpoint.allows(requirements.tokenType()))
                .toList();
        if (usable.isEmpty()) {
            return none(
                    userName
                            ? "allows no user-name session on any opc.tcp endpoint, so no session was opened; enable"
                                    + " UserName tokens on the server, or connect anonymously"
                            : "allows no anonymous session on any opc.tcp endpoint, so its build info was not read;"
                                    + " allow anonymous read access on the server to have it reported");
        }
        if (userName) {
            usable = usable.stream().filter(EndpointFacts::protectsPassword).toList();
            if (usable.isEmpty()) {
                return none("accepts user names only where the password would cross the network in clear"
                        + " (no encryption of the channel or the token), so no session was opened; enable a Basic256Sha256 endpoint on the"
                        + " server and trust its certificate");
            }
        }
        if (requirements.securityPolicyUri().isPresent()
                || requirements.securityMode().isPresent()) {
            final List<EndpointFacts> offered = usable;
            usable = usable.stream()
                    .filter(endpoint -> requirements
                                    .securityPolicyUri()
                                    .map(endpoint.securityPolicyUri()::equals)
                                    .orElse(true)
                            && requirements
                                    .securityMode()
                                    .map(endpoint.securityMode()::equals)
                                    .orElse(true))
                    .toList();
            if (usable.isEmpty()) {
                return none("offers no endpoint with security policy "
                        + requirements
                                .securityPolicyUri()
                                .map(EndpointFacts::policyName)
                                .orElse("(any)")
                        + " and mode " + requirements.securityMode().orElse("(any)") + " for this login, only "
                        + offered.stream()
                                .map(endpoint -> EndpointFacts.policyName(endpoint.securityPolicyUri()) + "/"
                                        + endpoint.securityMode())
                                .distinct()
                                .sorted()
                                .collect(Collectors.joining(", "))
                        + ", so no session was opened");
            }
        }
        if (requirements.certificatePolicy() == CertificatePolicy.TRUSTED_THUMBPRINTS) {
            final Optional<EndpointFacts> trusted = usable.stream()
                    .filter(EndpointFacts::hasModernSecurity)
                    .filter(endpoint ->
                            endpoint.certificate().map(requirements::trusts).orElse(false))
                    .min(PREFERENCE);
            if (trusted.isPresent()) {
                return new SessionEndpointChoice(trusted, "");
            }
        }
        final Optional<EndpointFacts> unsecured =
                usable.stream().filter(EndpointFacts::isUnsecured).min(Comparator.comparing(EndpointFacts::url));
        if (unsecured.isPresent()) {
            return new SessionEndpointChoice(unsecured, "");
        }
        final String thumbprint = usable.stream()
                .map(EndpointFacts::certificate)
                .flatMap(Optional::stream)
                .map(CertificateFacts::sha256)
                .sorted()
                .findFirst()
                .orElse("(none sent)");
        if (requirements.certificatePolicy() == CertificatePolicy.RECORD) {
            return none("offers no endpoint with security None, and its certificate (SHA-256 " + thumbprint
                    + ") is recorded but not trusted, so no session was opened; to read its build info, check that"
                    + " thumbprint on the server, then set " + requirements.certificatePolicySetting()
                    + " to 'trusted-thumbprints' and add it to " + requirements.thumbprintsSetting());
        }
        final boolean pinned = usable.stream()
                .map(EndpointFacts::certificate)
                .flatMap(Optional::stream)
                .anyMatch(requirements::trusts);
        return none(
                pinned
                        ? "has a trusted certificate but offers only deprecated security policies (Basic128Rsa15, Basic256)"
                                + " for this login, so no session was opened; enable Basic256Sha256 on the server"
                        : "offers no endpoint with security None, and its certificate (SHA-256 " + thumbprint
                                + ") is not among " + requirements.thumbprintsSetting() + ", so no session was"
                                + " opened; check that thumbprint on the server, then add it");
    }

    private static SessionEndpointChoice none(final String reason) {
        return new SessionEndpointChoice(Optional.empty(), reason);
    }
}
