package dev.baton.hub.internal.mqtt;

import dev.baton.hub.internal.store.DesiredRecord;
import dev.baton.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes desired documents retained at QoS 1 on {@code baton/v1/{tenant}/{node}/desired}.
 *
 * <p>Generations only move forward on the wire: a document older than one already handed to the client for the same
 * node is not published (two concurrent API writes may finish out of order), so the retained message a node finds
 * at connect is never older than the newest this hub sent. Re-publishing the same generation is allowed; that is how
 * a node that missed it catches up.
 *
 * <p>A failed publish is logged and otherwise ignored: the store holds the document, and the node's next birth
 * reports an older observed generation, which makes the hub publish it again.
 *
 * <p>Thread-safe.
 */
public final class DesiredPublisher {

    private static final Logger log = LoggerFactory.getLogger(DesiredPublisher.class);

    private final HubMqttLink link;
    private final ConcurrentMap<String, Long> newestPublished = new ConcurrentHashMap<>();

    public DesiredPublisher(final @NotNull HubMqttLink link) {
        this.link = link;
    }

    /** Completes with true once the broker acknowledged it, false when skipped or failed (already logged). */
    public @NotNull CompletableFuture<Boolean> publish(final @NotNull DesiredRecord desired) {
        final String topic = Topics.topic(desired.tenant(), desired.node(), Topics.Channel.DESIRED);
        final byte[] payload = desired.documentJson().getBytes(StandardCharsets.UTF_8);
        final CompletableFuture<Boolean> published = new CompletableFuture<>();
        // Handing the message to the client inside compute() orders publishes per node by generation.
        newestPublished.compute(topic, (key, newest) -> {
            if (newest != null && newest > desired.generation()) {
                log.debug(
                        "not publishing generation {} on {}: {} was published already",
                        desired.generation(),
                        topic,
                        newest);
                published.complete(false);
                return newest;
            }
            link.publish(topic, payload, true).whenComplete((result, error) -> {
                if (error != null) {
                    log.warn(
                            "desired generation {} for {}/{} was stored but not published: {}; the node gets it when it"
                                    + " next connects",
                            desired.generation(),
                            desired.tenant(),
                            desired.node(),
                            error.getMessage());
                    published.complete(false);
                } else {
                    log.debug("published desired generation {} on {}", desired.generation(), topic);
                    published.complete(true);
                }
            });
            return desired.generation();
        });
        return published;
    }
}
