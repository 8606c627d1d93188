package dev.baton.adapters.opcua.internal;

import dev.baton.adapters.opcua.OpcTcpUrl;
import dev.baton.adapters.opcua.OpcUaDiscoveryConfig;
import dev.baton.adapters.opcua.OpcUaServerProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns what it can of one server found by FindServers: its endpoints (GetEndpoints, OPC UA Part 4 §5.4.4) at
 * the first of its discovery URLs that answers, then, where the certificate policy allows, a session that reads its
 * build info and namespaces and walks its address space.
 *
 * <p>Host substitution: a discovery URL whose host does not resolve is tried with the host of the discovery URL
 * the server was found through instead, and an endpoint URL whose host differs from the host that answered
 * GetEndpoints is used with that host; both hosts are reported. A server that answers as another application URI
 * (say, the Local Discovery Server itself, reached through a wrongly substituted host) is not taken for this one.
 *
 * <p>Threading: holds no state of its own once built, so the probe threads of a scan share one instance.
 */
final class ServerInspector {

    private static final Logger LOG = LoggerFactory.getLogger(ServerInspector.class);

    /** Longest TCP connect to one address. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** Longest wait for a host name lookup. */
    static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(1);

    private record Candidate(@NotNull OpcTcpUrl url, @Nullable HostSubstitution substitution) {}

    private final OpcUaDiscoveryConfig config;
    private final ClientResources resources;
    private final HostResolver resolver;
    private final ClientIdentityStore identities;
    private final Deadline deadline;

    ServerInspector(
            final @NotNull OpcUaDiscoveryConfig config,
            final @NotNull ClientResources resources,
            final @NotNull ClientIdentityStore identities,
            final @NotNull Deadline deadline) {
        this.config = config;
        this.resources = resources;
        this.resolver = new HostResolver(resources.resolver());
        this.identities = identities;
        this.deadline = deadline;
    }

    /** Inspects {@code application}, found through {@code via}; never throws for a server that misbehaves. */
    @NotNull
    ServerReport inspect(final @NotNull ApplicationFacts application, final @NotNull OpcTcpUrl via)
            throws InterruptedException {
        final List<String> failures = new ArrayList<>();
        for (final Candidate candidate : candidates(application, via)) {
            if (deadline.passed()) {
                failures.add(candidate.url() + ": no time left before the scan deadline");
                break;
            }
            final long started = System.nanoTime();
            try (DiscoveryConnection connection =
                    DiscoveryConnection.open(candidate.url(), resources, CONNECT_TIMEOUT, deadline)) {
                final List<EndpointDescription> endpoints = connection.getEndpoints();
                LOG.debug(
                        "GetEndpoints at {} answered {} endpoints in {} ms",
                        candidate.url(),
                        endpoints.size(),
                        (System.nanoTime() - started) / 1_000_000);
                final Optional<String> other = otherApplication(application, endpoints);
                if (other.isPresent()) {
                    failures.add(candidate.url() + ": answered as another server, " + other.get());
                    continue;
                }
                return withEndpoints(application, candidate, endpoints);
            } catch (final ExecutionException | TimeoutException e) {
                failures.add(candidate.url() + ": " + Failures.describe(e));
            }
        }
        return new ServerReport(
                application,
                OpcUaServerProperties.STATUS_UNREACHABLE,
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of("OPC UA server " + name(application) + ", listed by " + via + ", did not answer GetEndpoints at"
                        + " any of its discovery URLs (" + String.join("; ", failures) + "); check that it runs and"
                        + " that the agent can reach it"));
    }

    private ServerReport withEndpoints(
            final ApplicationFacts application, final Candidate reached, final List<EndpointDescription> received)
            throws InterruptedException {
        final List<EndpointFacts> endpoints =
                received.stream().map(EndpointFacts::of).toList();
        final SessionEndpointChoice choice = SessionEndpointChoice.choose(endpoints, config);
        final Optional<HostSubstitution> discoverySubstitution = Optional.ofNullable(reached.substitution());
        if (choice.endpoint().isEmpty()) {
            return endpointsOnly(
                    application,
                    endpoints,
                    discoverySubstitution,
                    "OPC UA server " + name(application) + " at " + reached.url() + " " + choice.reason());
        }
        final EndpointFacts chosen = choice.endpoint().get();
        final OpcTcpUrl advertised;
        try {
            advertised = OpcTcpUrl.parse(chosen.url());
        } catch (final IllegalArgumentException e) {
            return endpointsOnly(
                    application,
                    endpoints,
                    discoverySubstitution,
                    "OPC UA server " + name(application)
                            + " advertises the endpoint URL '" + chosen.url() + "', which " + e.getMessage()
                            + ", so no session was opened");
        }
        Optional<HostSubstitution> substitution = discoverySubstitution;
        EndpointDescription sessionEndpoint = chosen.description();
        if (!advertised.sameHost(reached.url())) {
            final OpcTcpUrl used = advertised.withHost(reached.url().host());
            substitution = Optional.of(
                    new HostSubstitution(advertised.host(), reached.url().host()));
            sessionEndpoint = HostSubstitution.endpointAt(sessionEndpoint, used.toString());
        }
        Optional<ClientIdentity> identity = Optional.empty();
        if (choice.secure()) {
            try {
                identity = Optional.of(identities.get());
            } catch (final IOException e) {
                return endpointsOnly(
                        application,
                        endpoints,
                        substitution,
                        "OPC UA server " + name(application)
                                + " has a trusted certificate, but the agent's own OPC UA certificate could not be loaded or"
                                + " created (" + e.getMessage() + "), so no secure session was opened");
            }
        }
        final CertificateValidator validator =
                new PinnedCertificateValidator(choice.secure() ? config.trustedThumbprints() : Set.of());
        try {
            final SessionReader.Outcome outcome = SessionReader.read(
                    sessionEndpoint, identity, validator, config.browse(), resources, CONNECT_TIMEOUT, deadline);
            final List<String> problems = new ArrayList<>();
            if (outcome.browseStoppedAtDeadline()) {
                problems.add("OPC UA server " + name(application) + ": the browse stopped at the scan deadline after "
                        + outcome.browse().map(BrowseSummary::nodes).orElse(0) + " nodes; raise"
                        + " discovery.opcua.timeoutMs or lower discovery.opcua.browse.maxNodes");
            }
            return new ServerReport(
                    application,
                    OpcUaServerProperties.STATUS_OK,
                    endpoints,
                    Optional.of(outcome.facts()),
                    outcome.browse(),
                    substitution,
                    Optional.of(chosen.securityPolicyUri()),
                    problems);
        } catch (final ExecutionException | TimeoutException e) {
            return endpointsOnly(
                    application,
                    endpoints,
                    substitution,
                    "OPC UA server " + name(application)
                            + ": GetEndpoints answered at " + reached.url() + ", but no session could be opened on "
                            + sessionEndpoint.getEndpointUrl() + ": " + Failures.describe(e));
        }
    }

    private static ServerReport endpointsOnly(
            final ApplicationFacts application,
            final List<EndpointFacts> endpoints,
            final Optional<HostSubstitution> substitution,
            final String problem) {
        return new ServerReport(
                application,
                OpcUaServerProperties.STATUS_ENDPOINTS_ONLY,
                endpoints,
                Optional.empty(),
                Optional.empty(),
                substitution,
                Optional.empty(),
                List.of(problem));
    }

    /**
     * Where to ask for the endpoints, in order: advertised URLs on the host the server was found at, advertised
     * URLs whose host resolves, then advertised URLs with the found-at host in place of theirs.
     */
    private List<Candidate> candidates(final ApplicationFacts application, final OpcTcpUrl via)
            throws InterruptedException {
        final List<OpcTcpUrl> advertised = new ArrayList<>();
        for (final String text : application.discoveryUrls()) {
            try {
                advertised.add(OpcTcpUrl.parse(text));
            } catch (final IllegalArgumentException e) {
                // Not opc.tcp (https, opc.wss) or malformed: the handler speaks opc.tcp only.
            }
        }
        final Map<String, Candidate> ordered = new LinkedHashMap<>();
        if (advertised.isEmpty()) {
            ordered.put(via.toString(), new Candidate(via, null));
        }
        for (final OpcTcpUrl url : advertised) {
            if (url.sameHost(via)) {
                ordered.putIfAbsent(url.toString(), new Candidate(url, null));
            }
        }
        for (final OpcTcpUrl url : advertised) {
            if (!url.sameHost(via) && resolver.resolves(url.host(), deadline.cap(RESOLVE_TIMEOUT))) {
                ordered.putIfAbsent(url.toString(), new Candidate(url, null));
            }
        }
        for (final OpcTcpUrl url : advertised) {
            if (!url.sameHost(via)) {
                final OpcTcpUrl substituted = url.withHost(via.host());
                ordered.putIfAbsent(
                        substituted.toString(),
                        new Candidate(substituted, new HostSubstitution(url.host(), via.host())));
            }
        }
        return List.copyOf(ordered.values());
    }

    private static Optional<String> otherApplication(
            final ApplicationFacts application, final List<EndpointDescription> endpoints) {
        if (application.applicationUri().isEmpty()) {
            return Optional.empty();
        }
        return endpoints.stream()
                .map(EndpointDescription::getServer)
                .filter(server -> server != null && server.getApplicationUri() != null)
                .map(server -> server.getApplicationUri())
                .filter(uri -> !uri.isEmpty() && !uri.equals(application.applicationUri()))
                .findFirst();
    }

    static @NotNull String name(final @NotNull ApplicationFacts application) {
        return application.applicationUri().isEmpty()
                ? "'" + application.applicationName() + "'"
                : application.applicationUri();
    }
}
