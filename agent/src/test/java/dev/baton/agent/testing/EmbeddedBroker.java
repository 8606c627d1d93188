package dev.baton.agent.testing;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jetbrains.annotations.NotNull;

/**
 * A real HiveMQ CE broker on a free loopback port, with an authentication extension the test controls: a client
 * passes unless its client identifier was {@linkplain #refuse refused} or its password does not match one
 * {@linkplain #expectPassword expected}. (The hub registers its own extension, with node identities and ACLs.)
 */
public final class EmbeddedBroker implements AutoCloseable {

    private final int port;
    private final Path config;
    private final Path directory;
    private EmbeddedHiveMQ hivemq;
    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    private EmbeddedBroker(final Path directory) throws IOException {
        this.directory = directory;
        port = freePort();
        config = Files.createDirectories(directory.resolve("conf"));
        Files.writeString(
                config.resolve("config.xml"),
                """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>127.0.0.1</bind-address>
                    </tcp-listener>
                  </listeners>
                  <persistence><mode>in-memory</mode></persistence>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """
                        .formatted(port));
        hivemq = build();
    }

    private EmbeddedHiveMQ build() {
        final EmbeddedExtension authentication = EmbeddedExtension.builder()
                .withId("baton-test-authentication")
                .withName("Baton test authentication")
                .withVersion("1")
                .withAuthor("Baton")
                .withPriority(1000)
                .withStartPriority(1000)
                .withExtensionMain(new Authentication())
                .build();
        try {
            return EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(config)
                    .withDataFolder(Files.createDirectories(directory.resolve("data")))
                    .withExtensionsFolder(Files.createDirectories(directory.resolve("extensions")))
                    .withEmbeddedExtension(authentication)
                    .withoutLoggingBootstrap()
                    .build();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static EmbeddedBroker start(final Path directory) {
        try {
            final EmbeddedBroker broker = new EmbeddedBroker(directory);
            broker.startAgain();
            return broker;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String serverUri() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Clients with this user name must present this password. */
    public void expectPassword(final String username, final String password) {
        passwords.put(username, password);
    }

    /** Refuses connections of this client identifier (CONNACK "not authorized") until {@link #admit}. */
    public void refuse(final String clientId) {
        refused.add(clientId);
    }

    public void admit(final String clientId) {
        refused.remove(clientId);
    }

    /** Drops a client's connection as a network failure would: the broker publishes its will. */
    public void dropConnection(final String clientId) {
        await(Services.clientService().disconnectClient(clientId, false));
    }

    /**
     * Stops the broker; its in-memory sessions and retained messages are lost, as after a crash. (A fresh instance
     * on the same port replaces it at {@link #startAgain()}: HiveMQ CE 2025.5 cannot restart an in-memory instance,
     * whose metrics outlive its stop.)
     */
    public void stop() {
        close();
        hivemq = build();
    }

    public void startAgain() {
        await(hivemq.start());
    }

    @Override
    public void close() {
        try {
            hivemq.close();
        } catch (final ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T await(final java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private final class Authentication implements ExtensionMain {
        @Override
        public void extensionStart(
                final @NotNull ExtensionStartInput input, final @NotNull ExtensionStartOutput output) {
            Services.securityRegistry()
                    .setAuthenticatorProvider(providerInput -> (SimpleAuthenticator) (authInput, authOutput) -> {
                        final var connect = authInput.getConnectPacket();
                        if (refused.contains(connect.getClientId())) {
                            authOutput.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "refused by the test");
                            return;
                        }
                        final String username = connect.getUserName().orElse("");
                        final String expected = passwords.get(username);
                        if (expected != null) {
                            final String password = connect.getPassword()
                                    .map(EmbeddedBroker::text)
                                    .orElse("");
                            if (!expected.equals(password)) {
                                authOutput.failAuthentication(
                                        ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "wrong password");
                                return;
                            }
                        }
                        authOutput.authenticateSuccessfully();
                    });
        }

        @Override
        public void extensionStop(final @NotNull ExtensionStopInput input, final @NotNull ExtensionStopOutput output) {}
    }

    private static String text(final ByteBuffer buffer) {
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
