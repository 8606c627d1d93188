package dev.baton.adapters.container.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.adapters.container.EngineEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a real socket whose peer answers with fixed bytes: what goes on the wire, and what each way of
 * failing to get an answer reads like. The provider's tests run the same client against real Podman.
 */
class EngineHttpClientTest {

    @TempDir
    Path dir;

    private ServerSocketChannel server;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void closeServer() throws IOException {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void requestGoesOutAsHttp11WithHostLengthAndCloseAndTheAnswerComesBack() throws Exception {
        final Path socket = dir.resolve("engine.sock");
        final CompletableFuture<String> received = serveOnce(
                unixServer(socket),
                "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"Id\":\"c1\"}");
        final EngineHttpClient client = new EngineHttpClient(new EngineEndpoint.Unix(socket));

        final HttpResponse response = client.exchange(HttpRequest.postJson(
                "/v1.41/containers/create?name=baton-n_web", "{\"Image\":\"web\"}".getBytes(StandardCharsets.UTF_8)));

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.bodyText()).isEqualTo("{\"Id\":\"c1\"}");
        assertThat(received.get(5, TimeUnit.SECONDS))
                .isEqualTo("POST /v1.41/containers/create?name=baton-n_web HTTP/1.1\r\n"
                        + "Host: docker\r\n"
                        + "User-Agent: baton-agent\r\n"
                        + "Accept: application/json\r\n"
                        + "Connection: close\r\n"
                        + "Content-Type: application/json\r\n"
                        + "Content-Length: 15\r\n"
                        + "\r\n"
                        + "{\"Image\":\"web\"}");
    }

    @Test
    void tcpEndpointSendsItsHostAndPort() throws Exception {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        final int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        final CompletableFuture<String> received = serveOnce(server, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK");
        final EngineHttpClient client = new EngineHttpClient(new EngineEndpoint.Tcp("127.0.0.1", port));

        final HttpResponse response = client.exchange(HttpRequest.get("/_ping"));

        assertThat(response.bodyText()).isEqualTo("OK");
        assertThat(received.get(5, TimeUnit.SECONDS))
                .startsWith("GET /_ping HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
    }

    @Test
    void engineThatNeverAnswersTimesOutNamingTheRequestAndLimit() throws Exception {
        final Path socket = dir.resolve("engine.sock");
        serveOnce(unixServer(socket), null);
        final EngineHttpClient client = new EngineHttpClient(new EngineEndpoint.Unix(socket));

        assertThatThrownBy(() -> client.exchange(
                        HttpRequest.get("/v1.41/containers/x/json").withTimeout(Duration.ofMillis(300))))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.reason()).isEqualTo(EngineException.Reason.TIMEOUT))
                .hasMessage("the engine at unix://" + socket + " took too long to answer for GET"
                        + " /v1.41/containers/x/json (limit 300 ms)");
    }

    @Test
    void streamThatFallsSilentTimesOutAtTheIdleLimitBeforeTheOverallOne() throws Exception {
        final Path socket = dir.resolve("engine.sock");
        serveOnce(unixServer(socket), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{}\n\r\n");
        final EngineHttpClient client = new EngineHttpClient(new EngineEndpoint.Unix(socket));

        assertThatThrownBy(() -> client.exchange(HttpRequest.post("/v1.41/images/create?fromImage=a&tag=1")
                        .withStreamingTimeouts(Duration.ofMinutes(5), Duration.ofMillis(300))))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("took too long to answer (silent for 300 ms) for POST /v1.41/images/create");
    }

    @Test
    void missingSocketIsNoEngineWithWhatToDo() {
        final Path socket = dir.resolve("absent.sock");
        final EngineHttpClient client = new EngineHttpClient(new EngineEndpoint.Unix(socket));

        assertThatThrownBy(() -> client.exchange(HttpRequest.get("/_ping")))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason())
                        .isEqualTo(EngineException.Reason.UNREACHABLE))
                .hasMessage("no Docker-compatible engine at unix://" + socket + " (the socket does not exist): start"
                        + " Docker or `podman system service`, or set DOCKER_HOST to the engine's socket");
    }

    @Test
    void socketWithoutListenerIsNoEngineSayingConnectionRefused() throws IOException {
        final Path socket = dir.resolve("stale.sock");
        // Binding creates the socket file; closing leaves it behind with nobody listening, as a crashed engine does.
        unixServer(socket).close();
        final EngineHttpClient client = new EngineHttpClient(new EngineEndpoint.Unix(socket));

        assertThatThrownBy(() -> client.exchange(HttpRequest.get("/_ping")))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason())
                        .isEqualTo(EngineException.Reason.UNREACHABLE))
                .hasMessageContaining("(the socket exists but nothing listens on it (connection refused))");
    }

    @Test
    void answerCutOffByTheEngineIsABrokenResponse() throws Exception {
        final Path socket = dir.resolve("engine.sock");
        serveOnce(unixServer(socket), "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"Id\":");
        final EngineHttpClient client = new EngineHttpClient(new EngineEndpoint.Unix(socket));

        assertThatThrownBy(() -> client.exchange(HttpRequest.get("/v1.41/containers/x/json")))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason())
                        .isEqualTo(EngineException.Reason.BROKEN_RESPONSE))
                .hasMessage("the engine closed the connection after 6 of the 100 bytes of the body");
    }

    @Test
    void requestTargetThatCouldSplitTheRequestLineIsRefused() {
        assertThatThrownBy(() -> HttpRequest.get("/containers/x y/json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpRequest.get("/x\r\nHost: evil")).isInstanceOf(IllegalArgumentException.class);
    }

    private ServerSocketChannel unixServer(final Path socket) throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket));
        return server;
    }

    /**
     * Accepts one connection, reads the request (head and Content-Length body), answers {@code answer} and closes;
     * with a null answer, holds the connection open and silent until the test ends.
     */
    private CompletableFuture<String> serveOnce(final ServerSocketChannel listening, final String answer) {
        return CompletableFuture.supplyAsync(() -> {
            try (SocketChannel peer = listening.accept()) {
                final String request = readRequest(peer);
                if (answer == null) {
                    release.await(10, TimeUnit.SECONDS);
                } else {
                    final ByteBuffer out = ByteBuffer.wrap(answer.getBytes(StandardCharsets.ISO_8859_1));
                    while (out.hasRemaining()) {
                        peer.write(out);
                    }
                    if (answer.contains("chunked")) {
                        // Keep the stream open and silent after what was sent.
                        release.await(10, TimeUnit.SECONDS);
                    }
                }
                return request;
            } catch (final IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    private static String readRequest(final SocketChannel peer) throws IOException {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (true) {
            final String text = received.toString(StandardCharsets.ISO_8859_1);
            final int headEnd = text.indexOf("\r\n\r\n");
            if (headEnd >= 0) {
                final int length = text.lines()
                        .filter(line -> line.startsWith("Content-Length: "))
                        .map(line -> Integer.parseInt(line.substring("Content-Length: ".length())))
                        .findFirst()
                        .orElse(0);
                if (text.length() >= headEnd + 4 + length) {
                    return text;
                }
            }
            buffer.clear();
            if (peer.read(buffer) < 0) {
                return received.toString(StandardCharsets.ISO_8859_1);
            }
            received.write(buffer.array(), 0, buffer.position());
        }
    }
}
