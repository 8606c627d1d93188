package dev.baton.adapters.onvif.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.baton.adapters.api.discovery.DiscoveryConfig;
import dev.baton.adapters.api.discovery.DiscoveryEnvironment;
import dev.baton.adapters.api.discovery.DiscoveryListener;
import dev.baton.adapters.api.discovery.ScanContext;
import dev.baton.adapters.api.discovery.ScanResult;
import dev.baton.protocol.Device;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handler against peers that misbehave on purpose, over real UDP and HTTP on loopback: a WS-Discovery target
 * that sends garbage, an oversized datagram, an external entity and an unrelated answer before its real
 * ProbeMatches, and cameras whose SOAP answers are oversized, malformed, hostile, wrong, slow or absent.
 */
class HostilePeersTest {

    @TempDir
    Path secrets;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private HttpServer cameras;
    private DatagramChannel target;
    private Thread responder;
    private OnvifDiscoveryHandler handler;
    private int closedPort;

    @BeforeEach
    void startPeers() throws IOException {
        cameras = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        cameras.createContext("/big", exchange -> reply(exchange, 200, "<a>" + "x".repeat(2 * 1024 * 1024) + "</a>"));
        cameras.createContext("/chunked", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0); // chunked: no length to refuse up front
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 64; i++) {
                    out.write(new byte[64 * 1024]);
                }
            } catch (final IOException e) {
                // The handler stops reading at its limit.
            }
        });
        cameras.createContext("/malformed", exchange -> reply(exchange, 200, "<s:Envelope><unclosed>"));
        cameras.createContext(
                "/xxe",
                exchange -> reply(
                        exchange,
                        200,
                        "<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY"
                                + " x SYSTEM \"file:///etc/passwd\">]><s:Envelope xmlns:s=\"" + Namespaces.SOAP12
                                + "\"><s:Body>"
                                + "<tds:GetDeviceInformationResponse xmlns:tds=\"" + Namespaces.TDS
                                + "\"><tds:Manufacturer>&x;"
                                + "</tds:Manufacturer></tds:GetDeviceInformationResponse></s:Body></s:Envelope>"));
        cameras.createContext(
                "/wrong",
                exchange -> reply(
                        exchange,
                        200,
                        "<s:Envelope xmlns:s=\"" + Namespaces.SOAP12
                                + "\"><s:Body><tds:GetSystemDateAndTimeResponse xmlns:tds=\"" + Namespaces.TDS + "\"/>"
                                + "</s:Body></s:Envelope>"));
        cameras.createContext("/slow", exchange -> {
            try {
                Thread.sleep(10_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        cameras.setExecutor(Executors.newCachedThreadPool(r -> {
            final Thread thread = new Thread(r, "hostile-camera");
            thread.setDaemon(true);
            return thread;
        }));
        cameras.start();
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = unused.getLocalPort();
        }
        target = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        responder = new Thread(this::answerFirstProbe, "hostile-ws-discovery-target");
        responder.setDaemon(true);
        responder.start();
        handler = new OnvifDiscoveryHandler(new DiscoveryEnvironment(secrets, scheduler, new DiscoveryListener() {
            @Override
            public void rescan(final @NotNull String name) {}

            @Override
            public void departed(final @NotNull String name, final @NotNull String deviceId) {}
        }));
    }

    @AfterEach
    void stopPeers() throws IOException {
        handler.close();
        target.close();
        cameras.stop(0);
        scheduler.shutdownNow();
    }

    @Test
    void hostileDatagramsAreDroppedAndMisbehavingCamerasAreListedWithTheirStatusAndProblem() throws Exception {
        final DiscoveryConfig config = DiscoveryConfig.of("onvif", (ObjectNode) new ObjectMapper()
                .readTree("{\"multicast\": false, \"listen\": false, \"timeoutMs\": 1500, \"unicast\": [\"127.0.0.1:"
                        + ((InetSocketAddress) target.getLocalAddress()).getPort() + "\"]}"));
        final Instant deadline = Instant.now().plusMillis(1500);

        final ScanResult result = handler.scan(config, new ScanContext(deadline));

        assertThat(Instant.now()).as("the scan returns by its deadline").isBefore(deadline.plusSeconds(2));
        final Map<String, String> statuses =
                result.devices().stream().collect(Collectors.toMap(Device::id, d -> d.property("status")));
        assertThat(statuses)
                .containsOnly(
                        Map.entry("onvif:urn:uuid:big", "error"),
                        Map.entry("onvif:urn:uuid:chunked", "error"),
                        Map.entry("onvif:urn:uuid:malformed", "error"),
                        Map.entry("onvif:urn:uuid:xxe", "error"),
                        Map.entry("onvif:urn:uuid:wrong", "error"),
                        Map.entry("onvif:urn:uuid:closed", "unreachable"),
                        Map.entry("onvif:urn:uuid:slow", "unreachable"));
        assertThat(problem(result, "urn:uuid:big")).contains("answered with more than 1048576 bytes");
        assertThat(problem(result, "urn:uuid:chunked")).contains("answered with more than 1048576 bytes (sent more");
        assertThat(problem(result, "urn:uuid:malformed")).contains("is not well-formed XML");
        assertThat(problem(result, "urn:uuid:xxe"))
                .contains("a document type declaration is refused")
                .doesNotContain("root:");
        assertThat(problem(result, "urn:uuid:wrong"))
                .contains("GetDeviceInformation answered with element GetSystemDateAndTimeResponse");
        assertThat(problem(result, "urn:uuid:closed")).contains("did not answer at http://127.0.0.1:" + closedPort);
        assertThat(problem(result, "urn:uuid:slow")).contains("raise discovery.onvif.timeoutMs");
        assertThat(result.devices())
                .allSatisfy(device ->
                        assertThat(device.properties().has("manufacturer")).isFalse());
    }

    private static String problem(final ScanResult result, final String uuid) {
        return result.problems().stream()
                .filter(p -> p.contains("camera " + uuid + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no problem about " + uuid + " in " + result.problems()));
    }

    /** Answers the first Probe it gets with hostile datagrams, then one ProbeMatches for all the cameras. */
    private void answerFirstProbe() {
        final ByteBuffer buffer = ByteBuffer.allocate(65_536);
        try {
            final InetSocketAddress prober = (InetSocketAddress) target.receive(buffer);
            final WsDiscoveryMessage probe = WsDiscoveryCodec.decode(buffer.array(), buffer.position(), prober);
            final String relatesTo = probe.messageId();
            final String base = "http://127.0.0.1:" + cameras.getAddress().getPort();
            send(prober, "\u0000\u0001\u0002 not a SOAP message");
            send(prober, "<x>" + " ".repeat(40_000) + "</x>");
            send(
                    prober,
                    "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                            + matches(relatesTo, match("urn:uuid:xxe-datagram", base + "/xxe"))
                                    .replace("<d:Scopes>", "<d:Scopes>&x;"));
            send(prober, matches("urn:uuid:not-our-probe", match("urn:uuid:unrelated", base + "/big")));
            send(
                    prober,
                    matches(
                            relatesTo,
                            match("urn:uuid:big", base + "/big")
                                    + match("urn:uuid:chunked", base + "/chunked")
                                    + match("urn:uuid:malformed", base + "/malformed")
                                    + match("urn:uuid:xxe", base + "/xxe")
                                    + match("urn:uuid:wrong", base + "/wrong")
                                    + match(
                                            "urn:uuid:closed",
                                            "http://127.0.0.1:" + closedPort + "/onvif/device_service")
                                    + match("urn:uuid:slow", base + "/slow")));
        } catch (final IOException e) {
            // The test ends and closes the socket.
        }
    }

    private void send(final InetSocketAddress to, final String text) throws IOException {
        target.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), to);
    }

    private static String matches(final String relatesTo, final String matches) {
        return "<s:Envelope xmlns:s=\"" + Namespaces.SOAP12 + "\" xmlns:a=\"" + Namespaces.WSA + "\" xmlns:d=\""
                + Namespaces.WSD + "\" xmlns:dn=\"" + Namespaces.DN + "\"><s:Header><a:Action>"
                + WsDiscoveryCodec.ACTION_PROBE_MATCHES + "</a:Action><a:MessageID>urn:uuid:r-" + System.nanoTime()
                + "</a:MessageID><a:RelatesTo>" + relatesTo + "</a:RelatesTo></s:Header><s:Body><d:ProbeMatches>"
                + matches + "</d:ProbeMatches></s:Body></s:Envelope>";
    }

    private static String match(final String address, final String xaddr) {
        return "<d:ProbeMatch><a:EndpointReference><a:Address>" + address + "</a:Address></a:EndpointReference>"
                + "<d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>onvif://www.onvif.org/Profile/Streaming"
                + "</d:Scopes><d:XAddrs>" + xaddr + "</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>"
                + "</d:ProbeMatch>";
    }

    private static void reply(final HttpExchange exchange, final int status, final String body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/soap+xml");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (final IOException e) {
            // The handler stops reading an oversized answer.
        }
        exchange.close();
    }
}
