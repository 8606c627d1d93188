package dev.baton.sim.onvif;

import com.sun.net.httpserver.HttpServer;
import dev.baton.sim.onvif.internal.CameraSoapService;
import dev.baton.sim.onvif.internal.DiscoveryResponder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.annotations.NotNull;

/**
 * Many simulated ONVIF cameras in one process, for tests, benchmarks and the demo. Each camera has its own HTTP
 * endpoint (device and media services with WS-Security checks, on the interface's IPv4 address and a free port)
 * and its own UDP socket; together they answer WS-Discovery on one network interface (tests use {@code lo}), send
 * Hello when added and Bye when removed or closed.
 *
 * <pre>{@code
 * try (OnvifCameraSimulator sim = OnvifCameraSimulator.builder().interfaceName("lo").cameras(3).start()) {
 *     sim.cameras().forEach(camera -> System.out.println(camera.deviceService()));
 * }
 * }</pre>
 *
 * <p>Several simulators may run on one host at once (the group socket is shared with SO_REUSEADDR), and each
 * answers every Probe: tests count only the cameras they created, by UUID or by a scope of their own. Thread-safe.
 */
public final class OnvifCameraSimulator implements AutoCloseable {

    static {
        // The JDK's HTTP server writes a response's headers and body in two segments; without TCP_NODELAY, Nagle's
        // algorithm holds the body until the client's delayed ACK, some 40 ms per request on Linux, which no camera
        // costs. The property is read once, when the JVM's first HTTP server starts; one set on the command line wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final InetAddress address;
    private final DiscoveryResponder responder;
    private final ExecutorService httpWorkers;
    private final Map<String, Running> cameras = Collections.synchronizedMap(new LinkedHashMap<>());

    private record Running(SimulatedCamera camera, HttpServer server, CameraSoapService service) {}

    private OnvifCameraSimulator(
            final InetAddress address, final DiscoveryResponder responder, final ExecutorService httpWorkers) {
        this.address = address;
        this.responder = responder;
        this.httpWorkers = httpWorkers;
    }

    public static @NotNull Builder builder() {
        return new Builder();
    }

    /** Starts a camera: its HTTP services, its WS-Discovery socket, and its Hello. */
    public @NotNull SimulatedCamera add(final @NotNull CameraSpec spec) {
        if (cameras.containsKey(spec.uuid())) {
            throw new IllegalArgumentException("a camera " + spec.uuid() + " is already running");
        }
        try {
            final HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 64);
            final String base = "http://" + address.getHostAddress() + ":"
                    + server.getAddress().getPort();
            final URI device = URI.create(base + CameraSoapService.DEVICE_PATH);
            final URI media = URI.create(base + CameraSoapService.MEDIA_PATH);
            final String snapshot = spec.snapshotUri().orElse(base + "/snapshot.jpg");
            final CameraSoapService service = new CameraSoapService(spec, device, media, snapshot);
            server.createContext(CameraSoapService.DEVICE_PATH, service);
            server.createContext(CameraSoapService.MEDIA_PATH, service);
            server.setExecutor(httpWorkers);
            server.start();
            final InetSocketAddress discovery;
            try {
                discovery = responder.add(
                        new DiscoveryResponder.Announcement(spec.uuid(), spec.scopes(), device.toString()));
            } catch (final IOException e) {
                server.stop(0);
                throw e;
            }
            final SimulatedCamera camera = new SimulatedCamera(spec, device, media, discovery);
            cameras.put(spec.uuid(), new Running(camera, server, service));
            return camera;
        } catch (final IOException e) {
            throw new UncheckedIOException("camera " + spec.uuid() + " could not start", e);
        }
    }

    /** Sends the camera's Bye and stops it; does nothing for an unknown UUID. */
    public void remove(final @NotNull String uuid) {
        final Running running = cameras.remove(uuid);
        if (running != null) {
            responder.remove(uuid);
            running.server().stop(0);
        }
    }

    /** The running cameras, in the order they were added. */
    public @NotNull List<SimulatedCamera> cameras() {
        synchronized (cameras) {
            return cameras.values().stream().map(Running::camera).toList();
        }
    }

    /** SOAP requests the camera has answered, including refusals. */
    public int requests(final @NotNull String uuid) {
        return service(uuid).requests();
    }

    /** Requests the camera refused for their credentials. */
    public int refusedCredentials(final @NotNull String uuid) {
        return service(uuid).refusedCredentials();
    }

    /** ProbeMatches sent so far, by all cameras. */
    public int probesAnswered() {
        return responder.probesAnswered();
    }

    private CameraSoapService service(final String uuid) {
        final Running running = cameras.get(uuid);
        if (running == null) {
            throw new IllegalArgumentException("no camera " + uuid + " is running");
        }
        return running.service();
    }

    /** Sends Bye for every camera and stops everything. */
    @Override
    public void close() {
        final List<Running> all;
        synchronized (cameras) {
            all = new ArrayList<>(cameras.values());
            cameras.clear();
        }
        responder.close();
        all.forEach(running -> running.server().stop(0));
        httpWorkers.shutdownNow();
    }

    /** Configures and starts an {@link OnvifCameraSimulator}; not thread-safe. */
    public static final class Builder {

        private String interfaceName = "lo";
        private Duration maxMatchDelay = Duration.ofMillis(500);
        private final List<CameraSpec> specs = new ArrayList<>();
        private int generated;
        private String username = "admin";
        private String password = "baton-sim";
        private String scopeForGenerated;

        private Builder() {}

        /** The interface to answer WS-Discovery on and whose IPv4 address the cameras bind to; default {@code lo}. */
        public @NotNull Builder interfaceName(final @NotNull String name) {
            this.interfaceName = Objects.requireNonNull(name);
            return this;
        }

        /**
         * The longest random delay before answering a multicast Probe; default 500 ms, WS-Discovery's
         * APP_MAX_DELAY, which spreads the answers of many cameras. Zero answers at once.
         */
        public @NotNull Builder maxMatchDelay(final @NotNull Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("maxMatchDelay must not be negative, but was " + delay);
            }
            this.maxMatchDelay = delay;
            return this;
        }

        /** Adds {@code count} cameras with default identities and the builder's credentials. */
        public @NotNull Builder cameras(final int count) {
            if (count < 0) {
                throw new IllegalArgumentException("count must not be negative, but was " + count);
            }
            generated += count;
            return this;
        }

        /** The credentials of the cameras {@link #cameras(int)} adds; default {@code admin} / {@code baton-sim}. */
        public @NotNull Builder credentials(final @NotNull String username, final @NotNull String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** A scope added to every camera {@link #cameras(int)} adds, so that a test can tell its own cameras. */
        public @NotNull Builder scopeForGenerated(final @NotNull String scope) {
            this.scopeForGenerated = scope;
            return this;
        }

        /** Adds one camera as specified. */
        public @NotNull Builder camera(final @NotNull CameraSpec spec) {
            specs.add(spec);
            return this;
        }

        /** Joins the multicast group and starts every camera. */
        public @NotNull OnvifCameraSimulator start() {
            final NetworkInterface nif;
            final InetAddress address;
            try {
                nif = NetworkInterface.getByName(interfaceName);
                if (nif == null) {
                    throw new IllegalArgumentException("there is no network interface " + interfaceName);
                }
                address = Collections.list(nif.getInetAddresses()).stream()
                        .filter(Inet4Address.class::isInstance)
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(
                                "network interface " + interfaceName + " has no IPv4 address"));
            } catch (final SocketException e) {
                throw new UncheckedIOException(e);
            }
            final AtomicInteger threads = new AtomicInteger();
            final ExecutorService workers = Executors.newFixedThreadPool(8, r -> {
                final Thread thread = new Thread(r, "onvif-sim-http-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            final DiscoveryResponder responder;
            try {
                responder = DiscoveryResponder.start(nif, address, maxMatchDelay);
            } catch (final IOException e) {
                workers.shutdownNow();
                throw new UncheckedIOException("the WS-Discovery responder could not start on " + interfaceName, e);
            }
            final OnvifCameraSimulator simulator = new OnvifCameraSimulator(address, responder, workers);
            try {
                specs.forEach(simulator::add);
                for (int i = 0; i < generated; i++) {
                    final CameraSpec.Builder spec = CameraSpec.builder().credentials(username, password);
                    if (scopeForGenerated != null) {
                        spec.addScope(scopeForGenerated);
                    }
                    simulator.add(spec.build());
                }
            } catch (final RuntimeException e) {
                simulator.close();
                throw e;
            }
            return simulator;
        }
    }
}
