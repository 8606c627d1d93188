package dev.baton.adapters.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;

import dev.baton.adapters.opcua.OpcTcpUrl;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.ApplicationDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransport;
import org.jetbrains.annotations.NotNull;

/**
 * A secure channel without security and without a session, to a server's or a Local Discovery Server's discovery
 * endpoint: the Discovery Service Set of OPC UA Part 4 §5.4 needs no more (§5.4.1). Used by one thread; closed
 * after use.
 */
final class DiscoveryConnection implements AutoCloseable {

    /** Longest wait for CloseSecureChannel before the socket is simply dropped. */
    private static final Duration CLOSE_WAIT = Duration.ofMillis(200);

    private final OpcTcpUrl url;
    private final DiscoveryClient client;
    private final Deadline deadline;

    private DiscoveryConnection(final OpcTcpUrl url, final DiscoveryClient client, final Deadline deadline) {
        this.url = url;
        this.client = client;
        this.deadline = deadline;
    }

    /**
     * Connects to {@code url} by {@code deadline}.
     *
     * @throws ExecutionException when the connection fails (the cause says why)
     * @throws TimeoutException when the deadline passes first
     */
    static @NotNull DiscoveryConnection open(
            final @NotNull OpcTcpUrl url,
            final @NotNull ClientResources resources,
            final @NotNull Duration connectTimeout,
            final @NotNull Deadline deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        final EndpointDescription endpoint = new EndpointDescription(
                url.toString(),
                null,
                null,
                MessageSecurityMode.None,
                SecurityPolicy.None.getUri(),
                null,
                TransportProfile.TCP_UASC_UABINARY.getUri(),
                ubyte(0));
        final OpcTcpClientTransport transport =
                new OpcTcpClientTransport(resources.transportConfig(deadline.cap(connectTimeout)));
        final DiscoveryClient client = new DiscoveryClient(endpoint, transport);
        final DiscoveryConnection connection = new DiscoveryConnection(url, client, deadline);
        try {
            deadline.await(client.connectAsync());
        } catch (final InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** FindServers (OPC UA Part 4 §5.4.2): every server this endpoint knows, itself included. */
    @NotNull
    List<ApplicationDescription> findServers() throws InterruptedException, ExecutionException, TimeoutException {
        final ApplicationDescription[] servers = deadline.await(
                        client.findServers(url.toString(), new String[0], new String[0]))
                .getServers();
        return servers == null
                ? List.of()
                : Arrays.stream(servers).filter(Objects::nonNull).toList();
    }

    /** GetEndpoints (OPC UA Part 4 §5.4.4): every endpoint of the server, of every transport profile. */
    @NotNull
    List<EndpointDescription> getEndpoints() throws InterruptedException, ExecutionException, TimeoutException {
        final EndpointDescription[] endpoints = deadline.await(
                        client.getEndpoints(url.toString(), new String[0], new String[0]))
                .getEndpoints();
        return endpoints == null
                ? List.of()
                : Arrays.stream(endpoints).filter(Objects::nonNull).toList();
    }

    @NotNull
    OpcTcpUrl url() {
        return url;
    }

    @Override
    public void close() {
        Deadline.awaitQuietly(client.disconnectAsync(), CLOSE_WAIT);
    }
}
