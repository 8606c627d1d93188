package dev.baton.hub.internal.broker;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import dev.baton.hub.internal.security.HubIdentity;
import dev.baton.hub.internal.security.NodeIdentity;
import dev.baton.hub.internal.security.SecretTokens;
import dev.baton.protocol.Names;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every CONNECT (MQTT 5, section 3.1.2.8 user name and password): the hub's own identity against its
 * in-memory password, a node's {@code {tenant}.{node}} against the hash the store holds. A node must use its
 * username as client identifier, which is what lets {@link TopicPolicy} trust the client identifier later.
 *
 * <p>Threading: called on HiveMQ's extension threads; the store lookup is asynchronous (the SDK's async output), so
 * those threads never wait for the database. Stateless and thread-safe.
 */
final class NodeAuthenticator implements SimpleAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(NodeAuthenticator.class);
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);
    private static final String RE_ENROLL = "enroll the node again with `baton-agent enroll` to get new credentials";

    private final HubIdentity hub;
    private final CredentialLookup credentials;

    NodeAuthenticator(final @NotNull HubIdentity hub, final @NotNull CredentialLookup credentials) {
        this.hub = hub;
        this.credentials = credentials;
    }

    @Override
    public void onConnect(final @NotNull SimpleAuthInput input, final @NotNull SimpleAuthOutput output) {
        final ConnectPacket connect = input.getConnectPacket();
        final String clientId = connect.getClientId();
        final Optional<String> username = connect.getUserName();
        final Optional<ByteBuffer> password = connect.getPassword();
        if (username.isEmpty() || password.isEmpty()) {
            refuse(output, clientId, ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "username and password are required");
            return;
        }
        final byte[] secret = bytes(password.get());
        if (HubIdentity.USERNAME.equals(username.get())) {
            if (clientId.equals(hub.clientId()) && hub.passwordMatches(secret)) {
                output.authenticateSuccessfully();
            } else {
                refuse(output, clientId, ConnackReasonCode.NOT_AUTHORIZED, "not the hub's identity");
            }
            return;
        }
        final Optional<NodeIdentity> node = NodeIdentity.parse(username.get());
        if (node.isEmpty()) {
            refuse(
                    output,
                    clientId,
                    ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    "username must be <tenant>.<node>, but was '" + Names.printable(username.get()) + "'");
            return;
        }
        if (!clientId.equals(username.get())) {
            refuse(
                    output,
                    clientId,
                    ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "client identifier must equal the username '" + username.get() + "'");
            return;
        }
        final Async<SimpleAuthOutput> async = output.async(
                LOOKUP_TIMEOUT,
                TimeoutFallback.FAILURE,
                ConnackReasonCode.SERVER_UNAVAILABLE,
                "the hub could not check the credentials in time; retry later");
        final String offeredHash = SecretTokens.sha256Hex(secret);
        credentials.credentialHash(node.get().tenant(), node.get().node()).whenComplete((storedHash, error) -> {
            try {
                if (error != null) {
                    log.error("cannot check the credentials of {}: {}", clientId, error.getMessage());
                    output.failAuthentication(
                            ConnackReasonCode.SERVER_UNAVAILABLE, "the hub cannot check credentials now; retry later");
                } else if (storedHash.isPresent() && SecretTokens.hashesEqual(storedHash.get(), offeredHash)) {
                    log.debug("authenticated node {}", clientId);
                    output.authenticateSuccessfully();
                } else {
                    refuse(
                            output,
                            clientId,
                            ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD,
                            storedHash.isPresent()
                                    ? "wrong password; " + RE_ENROLL
                                    : "node is not enrolled; " + RE_ENROLL);
                }
            } finally {
                async.resume();
            }
        });
    }

    private static void refuse(
            final SimpleAuthOutput output, final String clientId, final ConnackReasonCode code, final String reason) {
        log.warn("refused MQTT connection of client '{}': {}", Names.printable(clientId), reason);
        output.failAuthentication(code, reason);
    }

    private static byte[] bytes(final ByteBuffer buffer) {
        final ByteBuffer copy = buffer.asReadOnlyBuffer();
        final byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
