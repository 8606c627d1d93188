package dev.baton.adapters.opcua.internal;

import dev.baton.adapters.opcua.OpcTcpUrl;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.jetbrains.annotations.NotNull;

/**
 * An open session to one OPC UA server, reached through a URL the caller names: GetEndpoints there (OPC UA Part 4
 * §5.4.4), the endpoint chosen by the rules of {@link SessionEndpointChoice} (the same as discovery's), the host of
 * that URL put in place of an advertised host that differs (as discovery does), then CreateSession and
 * ActivateSession (§5.6.2, §5.6.3). Everything is bounded by the caller's {@link Deadline}. Used by one thread;
 * {@link #close()} ends the session.
 */
public final class ServerSession implements AutoCloseable {

    /** Longest wait for CloseSession before the socket is simply dropped. */
    private static final Duration CLOSE_WAIT = Duration.ofMillis(300);

    private final OpcUaClient client;
    private final String endpointUrl;
    private final String securityPolicy;
    private final String securityMode;

    private ServerSession(
            final OpcUaClient client,
            final String endpointUrl,
            final String securityPolicy,
            final String securityMode) {
        this.client = client;
        this.endpointUrl = endpointUrl;
        this.securityPolicy = securityPolicy;
        this.securityMode = securityMode;
    }

    /**
     * Opens a session to the server at {@code url} by {@code deadline}.
     *
     * @param credentials a user name and password, or empty for an anonymous session
     * @throws ServerSessionException naming {@code url} and the cause
     * @throws InterruptedException when the calling thread is interrupted
     */
    public static @NotNull ServerSession open(
            final @NotNull OpcTcpUrl url,
            final @NotNull SessionRequirements requirements,
            final @NotNull Optional<UserCredentials> credentials,
            final @NotNull String sessionName,
            final @NotNull ClientResources resources,
            final @NotNull ClientIdentityStore identities,
            final @NotNull Deadline deadline)
            throws InterruptedException {
        final List<EndpointFacts> endpoints;
        try (DiscoveryConnection connection =
                DiscoveryConnection.open(url, resources, deadline.remaining(), deadline)) {
            endpoints =
                    connection.getEndpoints().stream().map(EndpointFacts::of).toList();
        } catch (final ExecutionException | TimeoutException e) {
            throw new ServerSessionException(
                    ServerSessionException.Reason.UNREACHABLE,
                    "OPC UA server at " + url + " did not answer GetEndpoints: " + cause(e));
        }
        final SessionEndpointChoice choice = SessionEndpointChoice.choose(endpoints, requirements);
        if (choice.endpoint().isEmpty()) {
            throw new ServerSessionException(
                    ServerSessionException.Reason.NO_USABLE_ENDPOINT,
                    "OPC UA server at " + url + " " + choice.reason());
        }
        final EndpointFacts chosen = choice.endpoint().get();
        EndpointDescription endpoint = chosen.description();
        try {
            final OpcTcpUrl advertised = OpcTcpUrl.parse(chosen.url());
            if (!advertised.sameHost(url)) {
                endpoint = HostSubstitution.endpointAt(
                        endpoint, advertised.withHost(url.host()).toString());
            }
        } catch (final IllegalArgumentException e) {
            throw new ServerSessionException(
                    ServerSessionException.Reason.NO_USABLE_ENDPOINT,
                    "OPC UA server at " + url + " advertises the endpoint URL '" + chosen.url() + "', which "
                            + e.getMessage() + ", so no session was opened");
        }
        Optional<ClientIdentity> identity = Optional.empty();
        if (choice.secure()) {
            try {
                identity = Optional.of(identities.get());
            } catch (final IOException e) {
                throw new ServerSessionException(
                        ServerSessionException.Reason.SESSION_REFUSED,
                        "OPC UA server at " + url + " needs a secure session, but the agent's own OPC UA certificate"
                                + " could not be loaded or created (" + e.getMessage() + ")");
            }
        }
        final IdentityProvider user = credentials
                .<IdentityProvider>map(given -> new UsernameProvider(given.username(), given.password()))
                .orElse(AnonymousProvider.INSTANCE);
        final OpcUaClient client = SessionClients.create(
                endpoint,
                identity,
                new PinnedCertificateValidator(choice.secure() ? requirements.trustedThumbprints() : Set.of()),
                user,
                sessionName,
                resources,
                deadline.remaining(),
                deadline);
        try {
            deadline.await(client.connectAsync());
        } catch (final ExecutionException | TimeoutException e) {
            // Also stops Milo's reconnect attempts after a failed connect.
            Deadline.awaitQuietly(client.disconnectAsync(), CLOSE_WAIT);
            throw new ServerSessionException(
                    e instanceof TimeoutException
                            ? ServerSessionException.Reason.UNREACHABLE
                            : ServerSessionException.Reason.SESSION_REFUSED,
                    "OPC UA server at " + url + " answered GetEndpoints, but no session could be opened on "
                            + endpoint.getEndpointUrl() + " (" + EndpointFacts.policyName(chosen.securityPolicyUri())
                            + "/" + chosen.securityMode() + "): " + cause(e));
        } catch (final InterruptedException | RuntimeException e) {
            Deadline.awaitQuietly(client.disconnectAsync(), CLOSE_WAIT);
            throw e;
        }
        return new ServerSession(
                client,
                endpoint.getEndpointUrl(),
                EndpointFacts.policyName(chosen.securityPolicyUri()),
                chosen.securityMode());
    }

    /** The connected client; valid until {@link #close()}. */
    public @NotNull OpcUaClient client() {
        return client;
    }

    /** The URL the session was opened on, after host substitution. */
    public @NotNull String endpointUrl() {
        return endpointUrl;
    }

    /** The short name of the session's security policy, e.g. {@code None} or {@code Basic256Sha256}. */
    public @NotNull String securityPolicy() {
        return securityPolicy;
    }

    /** {@code None}, {@code Sign} or {@code SignAndEncrypt}. */
    public @NotNull String securityMode() {
        return securityMode;
    }

    /** Ends the session, waiting briefly for CloseSession. */
    @Override
    public void close() {
        Deadline.awaitQuietly(client.disconnectAsync(), CLOSE_WAIT);
    }

    /** What {@code failure} means, in words; a timeout is the caller's, not a scan's. */
    public static @NotNull String cause(final @NotNull Throwable failure) {
        final Throwable root = Failures.unwrap(failure);
        if (root instanceof TimeoutException) {
            return "no answer within the timeout";
        }
        return Failures.describe(failure);
    }
}
