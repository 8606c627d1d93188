package dev.baton.adapters.opcua.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/**
 * Tells whether a host name resolves, within a bound: a lookup that the resolver cannot answer in time counts as
 * not resolving, so that a slow DNS server cannot hold a scan past its deadline.
 */
final class HostResolver {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final ExecutorService pool;

    HostResolver(final @NotNull ExecutorService pool) {
        this.pool = pool;
    }

    boolean resolves(final @NotNull String host, final @NotNull Duration wait) throws InterruptedException {
        if (IPV4.matcher(host).matches() || host.indexOf(':') >= 0) {
            return true;
        }
        final Future<Boolean> lookup = pool.submit(() -> {
            try {
                return InetAddress.getAllByName(host).length > 0;
            } catch (final UnknownHostException e) {
                return false;
            }
        });
        try {
            return lookup.get(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
        } catch (final TimeoutException | ExecutionException e) {
            lookup.cancel(true);
            return false;
        }
    }
}
