package dev.baton.hub.internal.desired;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jetbrains.annotations.NotNull;

/**
 * Tells whoever waits on a node that this hub has just stored a reported state of it: the wake-up behind {@code GET
 * …/nodes/{node}?waitForGeneration=G}. Signals carry no data; a waiter reads the store again when woken.
 *
 * <p>Only reports ingested by this hub signal. With several hubs (shared subscriptions split ingest between them) a
 * waiter also re-reads the store on a short interval of its own, so a report stored by another hub is seen late,
 * never missed.
 *
 * <p>Threading: any thread. All waiters on one node share one future, so the map holds at most one entry per node
 * being waited on; an entry is removed when its report arrives.
 */
public final class ReportSignals {

    private final ConcurrentMap<String, CompletableFuture<Void>> next = new ConcurrentHashMap<>();

    /**
     * A future completed when this hub next stores a reported state of {@code tenant/node}. Take it before reading
     * the store, so that a report stored in between is not missed.
     */
    public @NotNull CompletableFuture<Void> next(final @NotNull String tenant, final @NotNull String node) {
        return next.computeIfAbsent(key(tenant, node), ignored -> new CompletableFuture<>());
    }

    /** Called by ingest once a reported state of {@code tenant/node} is stored. */
    public void reported(final @NotNull String tenant, final @NotNull String node) {
        final CompletableFuture<Void> waiting = next.remove(key(tenant, node));
        if (waiting != null) {
            waiting.complete(null);
        }
    }

    private static String key(final String tenant, final String node) {
        // '/' appears in neither name (both are validated names), so the key is unambiguous.
        return tenant + '/' + node;
    }
}
