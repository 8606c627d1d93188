package dev.baton.adapters.onvif.internal;

import dev.baton.adapters.api.discovery.DiscoveryConfig;
import dev.baton.adapters.api.discovery.DiscoveryEnvironment;
import dev.baton.adapters.api.discovery.DiscoveryException;
import dev.baton.adapters.api.discovery.DiscoveryHandler;
import dev.baton.adapters.api.discovery.ScanContext;
import dev.baton.adapters.api.discovery.ScanResult;
import dev.baton.adapters.onvif.OnvifConfig;
import dev.baton.adapters.onvif.UnicastTarget;
import dev.baton.protocol.Device;
import dev.baton.protocol.Limits;
import dev.baton.protocol.Names;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code onvif} discovery handler: WS-Discovery (ours, {@link WsDiscoveryProbe}) finds the cameras, then each
 * is asked what it is over SOAP ({@link CameraQuery}) on a small bounded pool while the probe window is still
 * open, so that the scan ends soon after the window.
 *
 * <p>Timing of one scan of timeout T: the probe window is T less a reserve of T/4 (at least 250 ms, at most 2 s,
 * never more than T/2) kept for the queries of cameras that answer late; the scan then waits for the queries
 * still running and returns, at the latest {@link #RETURN_MARGIN} before the deadline. With only unicast targets,
 * the window closes as soon as each has answered.
 *
 * <p>Threading: the agent's discovery scheduler calls {@link #validate}, {@link #configure}, {@link #scan} and
 * {@link #close}, never two scans at once; the Hello/Bye listener, guarded by this object's monitor, has its own
 * thread; queries run on {@value #QUERY_THREADS} pool threads that end when idle.
 */
public final class OnvifDiscoveryHandler implements DiscoveryHandler {

    public static final String NAME = "onvif";

    /**
     * Queries are blocking HTTP calls that mostly wait on the camera: 8 at a time keep 100 cameras on a LAN well
     * within a scan while bounding sockets and threads (and so memory) on a small edge host.
     */
    static final int QUERY_THREADS = 8;

    static final Duration RETURN_MARGIN = Duration.ofMillis(100);

    private static final Logger LOG = LoggerFactory.getLogger(OnvifDiscoveryHandler.class);

    private final DiscoveryEnvironment environment;
    private final SoapTransport transport;
    private final ThreadPoolExecutor queries;
    private @Nullable HelloByeListener helloBye;

    public OnvifDiscoveryHandler(final @NotNull DiscoveryEnvironment environment) {
        this(environment, SoapTransport.DEFAULT_MAX_RESPONSE_BYTES);
    }

    OnvifDiscoveryHandler(final DiscoveryEnvironment environment, final int maxResponseBytes) {
        this.environment = environment;
        this.transport = new SoapTransport(maxResponseBytes);
        final AtomicInteger threads = new AtomicInteger();
        this.queries = new ThreadPoolExecutor(
                QUERY_THREADS, QUERY_THREADS, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                    final Thread thread = new Thread(runnable, "onvif-query-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.queries.allowCoreThreadTimeOut(true);
    }

    @Override
    public @NotNull String name() {
        return NAME;
    }

    @Override
    public void validate(final @NotNull DiscoveryConfig config) {
        OnvifConfig.from(config);
    }

    /** Starts or stops Hello/Bye listening as {@code enabled} and {@code listen} say. */
    @Override
    public synchronized void configure(final @NotNull DiscoveryConfig config) {
        final OnvifConfig onvif = OnvifConfig.from(config);
        List<NetworkInterface> interfaces = List.of();
        boolean listen = config.settings().enabled() && onvif.listen();
        if (listen) {
            try {
                interfaces = MulticastInterfaces.select(onvif.interfaceName());
            } catch (final DiscoveryException e) {
                LOG.warn("Not listening for WS-Discovery Hello and Bye: {}", e.getMessage());
                listen = false;
            }
        }
        if (helloBye != null && (!listen || !helloBye.interfaces().equals(interfaces))) {
            helloBye.close();
            helloBye = null;
        }
        if (listen && helloBye == null && !interfaces.isEmpty()) {
            try {
                helloBye = HelloByeListener.start(interfaces, environment.listener(), NAME);
            } catch (final IOException e) {
                LOG.warn(
                        "Not listening for WS-Discovery Hello and Bye: port 3702 could not be bound or the group"
                                + " joined ({}); new cameras are found at the next scan",
                        Names.printable(e.toString()));
            }
        }
    }

    @Override
    public @NotNull ScanResult scan(final @NotNull DiscoveryConfig config, final @NotNull ScanContext context)
            throws InterruptedException {
        final OnvifConfig onvif = OnvifConfig.from(config);
        final Instant start = Instant.now();
        final Duration timeout = context.remaining();
        final Instant windowEnd = start.plus(probeWindow(timeout));
        final Instant queryDeadline = context.deadline().minus(RETURN_MARGIN);
        final List<String> problems = new ArrayList<>();
        final CredentialStore credentials = CredentialStore.read(environment.secretsDirectory());
        problems.addAll(credentials.problems());
        final List<NetworkInterface> interfaces =
                onvif.multicast() ? MulticastInterfaces.select(onvif.interfaceName()) : List.of();
        final Set<InetSocketAddress> unicast = resolve(onvif.unicast(), problems);
        if (interfaces.isEmpty() && unicast.isEmpty()) {
            throw new DiscoveryException(
                    DiscoveryException.Reason.UNAVAILABLE,
                    onvif.multicast()
                            ? "no network interface is up, multicast-capable and has an IPv4 address, and no unicast"
                                    + " address could be resolved: set discovery.onvif.interface or"
                                    + " discovery.onvif.unicast"
                            : "no discovery.onvif.unicast address could be resolved: " + String.join("; ", problems));
        }

        final Map<String, DiscoveredEndpoint> endpoints = new LinkedHashMap<>();
        final Map<String, Future<CameraQuery.Report>> running = new LinkedHashMap<>();
        try (WsDiscoveryProbe probe = WsDiscoveryProbe.open()) {
            if (probe.send(interfaces, unicast, problems) == 0) {
                throw new DiscoveryException(
                        DiscoveryException.Reason.UNAVAILABLE,
                        "no WS-Discovery Probe could be sent: " + String.join("; ", problems));
            }
            probe.collect(windowEnd, interfaces, unicast, !onvif.multicast(), endpoint -> {
                if (endpoints.containsKey(endpoint.address()) || endpoints.size() >= Limits.MAX_DEVICES) {
                    return;
                }
                endpoints.put(endpoint.address(), endpoint);
                final Credentials forCamera =
                        credentials.lookup(endpoint.address()).orElse(null);
                running.put(
                        endpoint.address(),
                        queries.submit(() -> new CameraQuery(endpoint, forCamera, transport, queryDeadline).run()));
            });
            if (probe.refused() > 0) {
                LOG.debug("Scan dropped {} unrelated or malformed WS-Discovery datagrams", probe.refused());
            }
        } catch (final IOException e) {
            throw new DiscoveryException(
                    DiscoveryException.Reason.UNAVAILABLE,
                    "the WS-Discovery socket could not be opened (" + Names.printable(e.toString()) + ")",
                    e);
        } catch (final InterruptedException e) {
            running.values().forEach(future -> future.cancel(true));
            throw e;
        }

        final List<Device> devices = new ArrayList<>(running.size());
        for (final Map.Entry<String, Future<CameraQuery.Report>> entry : running.entrySet()) {
            final CameraQuery.Report report = await(entry.getValue(), endpoints.get(entry.getKey()), queryDeadline);
            devices.add(report.device());
            report.problem().ifPresent(problems::add);
        }
        devices.sort(Comparator.comparing(Device::id));
        LOG.debug(
                "ONVIF scan found {} cameras in {} ms (probe window {} ms)",
                devices.size(),
                Duration.between(start, Instant.now()).toMillis(),
                Duration.between(start, windowEnd).toMillis());
        return new ScanResult(devices, problems);
    }

    private static CameraQuery.Report await(
            final Future<CameraQuery.Report> future, final DiscoveredEndpoint endpoint, final Instant until)
            throws InterruptedException {
        try {
            final long left = Math.max(0, Duration.between(Instant.now(), until).toMillis());
            return future.get(left, TimeUnit.MILLISECONDS);
        } catch (final TimeoutException e) {
            future.cancel(true);
            return CameraQuery.unfinished(endpoint);
        } catch (final ExecutionException e) {
            // CameraQuery turns every failure of the camera into a report; anything else is our bug.
            throw new IllegalStateException(
                    "querying camera " + Names.printable(endpoint.address()) + " failed unexpectedly", e.getCause());
        } catch (final InterruptedException e) {
            future.cancel(true);
            throw e;
        }
    }

    /**
     * How long a scan of {@code timeout} collects ProbeMatches: {@code timeout} less the reserve for the queries of
     * cameras that answer late and the return margin. Public for benchmarks, which report against it.
     */
    public static @NotNull Duration probeWindow(final @NotNull Duration timeout) {
        final long total = timeout.toMillis();
        final long reserve = Math.max(Math.min(250, total / 2), Math.min(total / 4, 2_000));
        return Duration.ofMillis(Math.max(0, total - reserve - RETURN_MARGIN.toMillis() / 2));
    }

    private static Set<InetSocketAddress> resolve(final List<UnicastTarget> targets, final List<String> problems) {
        final Set<InetSocketAddress> resolved = new LinkedHashSet<>();
        for (final UnicastTarget target : targets) {
            try {
                resolved.add(new InetSocketAddress(InetAddress.getByName(target.host()), target.port()));
            } catch (final UnknownHostException e) {
                problems.add("discovery.onvif.unicast address " + target
                        + " could not be resolved: check the name and this host's DNS");
            }
        }
        return resolved;
    }

    @Override
    public synchronized void close() {
        if (helloBye != null) {
            helloBye.close();
            helloBye = null;
        }
        queries.shutdownNow();
    }
}
