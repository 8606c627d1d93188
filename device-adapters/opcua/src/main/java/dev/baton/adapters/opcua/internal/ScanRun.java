package dev.baton.adapters.opcua.internal;

import dev.baton.adapters.api.discovery.DiscoveryException;
import dev.baton.adapters.api.discovery.ScanContext;
import dev.baton.adapters.api.discovery.ScanResult;
import dev.baton.adapters.opcua.OpcTcpUrl;
import dev.baton.adapters.opcua.OpcUaDiscoveryConfig;
import dev.baton.adapters.opcua.OpcUaServerProperties;
import dev.baton.protocol.Device;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scan of the {@code opcua} handler, in two rounds on the probe pool: FindServers at every configured discovery
 * URL at once, then one inspection per distinct server found (by application URI) at once. The calling thread only
 * waits, never past the working {@link Deadline}; whatever has not finished by then is cancelled and named in the
 * problems.
 */
public final class ScanRun {

    private static final Logger LOG = LoggerFactory.getLogger(ScanRun.class);

    private final OpcUaDiscoveryConfig config;
    private final ClientResources resources;
    private final ClientIdentityStore identities;
    private final Deadline deadline;
    private final List<Future<?>> started = new ArrayList<>();

    /** A server found, with every discovery URL that listed it and the first through which it was found. */
    private record Found(
            @NotNull ApplicationFacts application, @NotNull OpcTcpUrl via, @NotNull Set<String> advertised) {}

    private ScanRun(
            final OpcUaDiscoveryConfig config,
            final ClientResources resources,
            final ClientIdentityStore identities,
            final Deadline deadline) {
        this.config = config;
        this.resources = resources;
        this.identities = identities;
        this.deadline = deadline;
    }

    /**
     * Scans the servers {@code config} names, returning by {@code context}'s deadline.
     *
     * @throws InterruptedException when the calling thread is interrupted; every probe is cancelled first
     */
    public static @NotNull ScanResult run(
            final @NotNull OpcUaDiscoveryConfig config,
            final @NotNull ClientResources resources,
            final @NotNull ClientIdentityStore identities,
            final @NotNull ScanContext context)
            throws InterruptedException {
        final ScanRun run = new ScanRun(config, resources, identities, Deadline.of(context));
        try {
            return run.scan();
        } finally {
            run.started.forEach(future -> future.cancel(true));
        }
    }

    private ScanResult scan() throws InterruptedException {
        final long started = System.nanoTime();
        final List<String> problems = new ArrayList<>();
        final Map<String, Found> servers = findServers(problems);
        LOG.debug(
                "FindServers at {} URLs found {} servers in {} ms",
                config.discoveryUrls().size(),
                servers.size(),
                (System.nanoTime() - started) / 1_000_000);
        final Map<String, Future<ServerReport>> inspections = new LinkedHashMap<>();
        final ServerInspector inspector = new ServerInspector(config, resources, identities, deadline);
        servers.forEach((key, found) ->
                inspections.put(key, submit(() -> inspector.inspect(found.application(), found.via()))));
        final Map<String, Device> devices = new TreeMap<>();
        for (final Map.Entry<String, Future<ServerReport>> entry : inspections.entrySet()) {
            final Found found = servers.get(entry.getKey());
            final ServerReport report = await(entry.getValue(), found);
            problems.addAll(report.problems());
            final Device device = DeviceAssembler.assemble(report, found.advertised(), "opcua:" + found.via(), config);
            devices.putIfAbsent(device.id(), device);
        }
        problems.sort(Comparator.naturalOrder());
        LOG.debug(
                "scan found {} servers with {} problems in {} ms",
                devices.size(),
                problems.size(),
                (System.nanoTime() - started) / 1_000_000);
        return new ScanResult(List.copyOf(devices.values()), problems);
    }

    private Map<String, Found> findServers(final List<String> problems) throws InterruptedException {
        final Map<OpcTcpUrl, Future<List<ApplicationFacts>>> finds = new LinkedHashMap<>();
        for (final OpcTcpUrl url : config.discoveryUrls()) {
            finds.put(url, submit(() -> ServerFinder.find(url, resources, ServerInspector.CONNECT_TIMEOUT, deadline)));
        }
        final Map<String, Found> servers = new LinkedHashMap<>();
        for (final Map.Entry<OpcTcpUrl, Future<List<ApplicationFacts>>> entry : finds.entrySet()) {
            final OpcTcpUrl url = entry.getKey();
            try {
                for (final ApplicationFacts application : deadline.await(entry.getValue())) {
                    if (!application.isServer()) {
                        continue;
                    }
                    final String key =
                            application.applicationUri().isEmpty() ? "url:" + url : application.applicationUri();
                    // A server that advertises no discovery URL is known by the one it answered at.
                    servers.computeIfAbsent(key, k -> new Found(application, url, new LinkedHashSet<>()))
                            .advertised()
                            .addAll(
                                    application.discoveryUrls().isEmpty()
                                            ? List.of(url.toString())
                                            : application.discoveryUrls());
                }
            } catch (final TimeoutException e) {
                entry.getValue().cancel(true);
                problems.add("OPC UA discovery URL " + url + " did not answer FindServers before the scan deadline;"
                        + " check that the server runs, or raise discovery.opcua.timeoutMs");
            } catch (final ExecutionException e) {
                problems.add("OPC UA discovery URL " + url + " could not be queried: " + Failures.describe(e)
                        + "; check that the server or Local Discovery Server runs there and that"
                        + " discovery.opcua.discoveryUrls is right");
            }
        }
        return servers;
    }

    private <T> Future<T> submit(final java.util.concurrent.Callable<T> task) {
        try {
            final Future<T> future = resources.probes().submit(task);
            started.add(future);
            return future;
        } catch (final RejectedExecutionException e) {
            throw new DiscoveryException(
                    DiscoveryException.Reason.UNAVAILABLE, "the opcua handler was stopped during the scan", e);
        }
    }

    private ServerReport await(final Future<ServerReport> future, final Found found) throws InterruptedException {
        try {
            return deadline.await(future);
        } catch (final TimeoutException e) {
            future.cancel(true);
            return unreachable(found, "was not inspected before the scan deadline; raise discovery.opcua.timeoutMs");
        } catch (final ExecutionException e) {
            // ServerInspector turns what a server does into a report; anything else is a fault of the handler.
            return unreachable(found, "could not be inspected: " + Failures.describe(e));
        }
    }

    private static ServerReport unreachable(final Found found, final String problem) {
        return new ServerReport(
                found.application(),
                OpcUaServerProperties.STATUS_UNREACHABLE,
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of("OPC UA server " + ServerInspector.name(found.application()) + ", listed by " + found.via()
                        + ", " + problem));
    }
}
