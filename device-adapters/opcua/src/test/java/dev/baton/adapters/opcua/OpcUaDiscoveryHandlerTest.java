package dev.baton.adapters.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.discovery.DiscoveryConfig;
import dev.baton.adapters.api.discovery.DiscoveryEnvironment;
import dev.baton.adapters.api.discovery.DiscoveryException;
import dev.baton.adapters.api.discovery.DiscoveryHandler;
import dev.baton.adapters.api.discovery.DiscoveryHandlerFactory;
import dev.baton.adapters.api.discovery.DiscoveryListener;
import dev.baton.adapters.api.discovery.ScanContext;
import dev.baton.adapters.api.discovery.ScanResult;
import dev.baton.protocol.testing.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handler against real sockets that are not OPC UA servers: nothing listening, and a listener that never
 * answers. Scans of real servers are tested against the OPC UA simulator in hardware-tests.
 */
class OpcUaDiscoveryHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private DiscoveryHandler handler;

    @AfterEach
    void closeEverything() throws Exception {
        if (handler != null) {
            handler.close();
        }
        for (final AutoCloseable closeable : open) {
            closeable.close();
        }
        scheduler.shutdownNow();
    }

    @Test
    void theFactoryIsFoundByTheServiceLoaderUnderTheNameOpcua() {
        final List<String> names = ServiceLoader.load(DiscoveryHandlerFactory.class).stream()
                .map(provider -> provider.get().name())
                .toList();

        assertThat(names).contains("opcua");
        assertThat(create().name()).isEqualTo("opcua");
    }

    @Test
    void aDiscoveryUrlWhereNothingListensIsAProblemNamingTheUrlAndTheCause() throws Exception {
        final String url = "opc.tcp://127.0.0.1:" + Ports.freeLoopbackPort() + "/none";

        final ScanResult result = scan("{\"discoveryUrls\": [\"" + url + "\"]}", Duration.ofSeconds(5));

        assertThat(result.devices()).isEmpty();
        assertThat(result.problems())
                .singleElement()
                .asString()
                .startsWith("OPC UA discovery URL " + url + " could not be queried: connection refused")
                .contains("discovery.opcua.discoveryUrls");
    }

    @Test
    void aListenerThatNeverAnswersCostsTheScanNoMoreThanItsDeadline() throws Exception {
        final ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        open.add(silent);
        final Thread acceptor = new Thread(() -> {
            try {
                while (!silent.isClosed()) {
                    open.add(silent.accept()); // holds the connection and never answers Hello
                }
            } catch (final IOException closed) {
                // The test is over.
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        final String url = "opc.tcp://127.0.0.1:" + silent.getLocalPort();
        final Instant deadline = Instant.now().plusMillis(1_500);

        final ScanResult result = scan("{\"discoveryUrls\": [\"" + url + "\"]}", deadline);

        // Without the deadline, Milo would wait 5 s for the Acknowledge and 60 s for FindServers; the second of slack
        // is for a loaded build machine.
        assertThat(Instant.now()).as("scan returned by its deadline").isBefore(deadline.plusSeconds(1));
        assertThat(result.devices()).isEmpty();
        assertThat(result.problems()).singleElement().asString().contains(url).contains("before the scan deadline");
    }

    @Test
    void aDisabledHandlerScansNothingAndStartsNoThread() throws Exception {
        // Threads of handlers closed by earlier tests may take a moment to end.
        await().atMost(Duration.ofSeconds(10)).until(() -> handlerThreads().isEmpty());

        final ScanResult result = scan("{\"enabled\": false}", Duration.ofSeconds(1));

        assertThat(result.devices()).isEmpty();
        assertThat(result.problems()).isEmpty();
        assertThat(handlerThreads()).isEmpty();
    }

    @Test
    void aClosedHandlerRefusesToScanAsUnavailable() {
        handler = create();
        handler.close();

        assertThatThrownBy(() -> handler.scan(
                        config("{\"discoveryUrls\": [\"opc.tcp://127.0.0.1:1\"]}"),
                        new ScanContext(Instant.now().plusSeconds(1))))
                .isInstanceOfSatisfying(DiscoveryException.class, e -> assertThat(e.reason())
                        .isEqualTo(DiscoveryException.Reason.UNAVAILABLE));
    }

    private static List<Thread> handlerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("baton-opcua-"))
                .toList();
    }

    private ScanResult scan(final String json, final Duration timeout) throws InterruptedException {
        return scan(json, Instant.now().plus(timeout));
    }

    private ScanResult scan(final String json, final Instant deadline) throws InterruptedException {
        if (handler == null) {
            handler = create();
        }
        final DiscoveryConfig config = config(json);
        handler.validate(config);
        handler.configure(config);
        return handler.scan(config, new ScanContext(deadline));
    }

    private DiscoveryHandler create() {
        return new OpcUaDiscoveryHandlerFactory()
                .create(new DiscoveryEnvironment(tmp, scheduler, new DiscoveryListener() {
                    @Override
                    public void rescan(final String name) {}

                    @Override
                    public void departed(final String name, final String deviceId) {}
                }));
    }

    private static DiscoveryConfig config(final String json) {
        try {
            return DiscoveryConfig.of("opcua", (ObjectNode) JSON.readTree(json));
        } catch (final IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
