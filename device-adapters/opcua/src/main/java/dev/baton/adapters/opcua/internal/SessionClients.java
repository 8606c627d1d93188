package dev.baton.adapters.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransport;
import org.jetbrains.annotations.NotNull;

/**
 * Builds the agent's OPC UA clients, one way for every user (discovery's sessions, the {@code opcua-write} provider):
 * the agent's application identity, an explicit certificate validator (never Milo's insecure default), the handler's
 * own threads, and a request timeout no longer than the time left.
 */
final class SessionClients {

    private SessionClients() {}

    /** A client for {@code endpoint}, not yet connected. */
    static @NotNull OpcUaClient create(
            final @NotNull EndpointDescription endpoint,
            final @NotNull Optional<ClientIdentity> identity,
            final @NotNull CertificateValidator validator,
            final @NotNull IdentityProvider user,
            final @NotNull String sessionName,
            final @NotNull ClientResources resources,
            final @NotNull Duration connectTimeout,
            final @NotNull Deadline deadline) {
        final OpcUaClientConfigBuilder builder = OpcUaClientConfig.builder()
                .setEndpoint(endpoint)
                .setApplicationName(LocalizedText.english(ClientIdentity.APPLICATION_NAME))
                .setApplicationUri(ClientIdentity.APPLICATION_URI)
                .setProductUri(ClientIdentity.APPLICATION_URI)
                .setSessionName(() -> sessionName)
                .setIdentityProvider(user)
                .setCertificateValidator(validator)
                .setRequestTimeout(uint(Math.max(1, deadline.remaining().toMillis())))
                .setSessionTimeout(uint(60_000));
        identity.ifPresent(id -> builder.setKeyPair(id.keyPair())
                .setCertificate(id.certificate())
                .setCertificateChain(new X509Certificate[] {id.certificate()}));
        return new OpcUaClient(
                builder.build(), new OpcTcpClientTransport(resources.transportConfig(deadline.cap(connectTimeout))));
    }
}
