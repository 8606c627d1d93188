package dev.baton.hub.internal.desired;

import dev.baton.hub.internal.mqtt.DesiredPublisher;
import dev.baton.hub.internal.store.DesiredRecord;
import dev.baton.hub.internal.store.HubStore;
import dev.baton.hub.internal.store.PutDesiredOutcome;
import dev.baton.protocol.DesiredDocument;
import dev.baton.protocol.DesiredSpec;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets a node's desired state: stores the next generation (compare-and-set when asked), then publishes the document
 * to the node. Storing is what counts; publishing is best effort, because every node is re-synced when it connects.
 *
 * <p>Thread-safe; futures complete on the store thread.
 */
public final class DesiredStateService {

    private static final Logger log = LoggerFactory.getLogger(DesiredStateService.class);

    private final HubStore store;
    private final MessageCodec codec;
    private final DesiredPublisher publisher;

    public DesiredStateService(
            final @NotNull HubStore store,
            final @NotNull MessageCodec codec,
            final @NotNull DesiredPublisher publisher) {
        this.store = store;
        this.codec = codec;
        this.publisher = publisher;
    }

    /**
     * @param expectedGeneration when present, store only if the current generation equals it
     * @return {@link PutDesiredOutcome.Stored} or {@link PutDesiredOutcome.Conflict}; fails with a {@code
     *     ProtocolException} when the complete document breaks a protocol rule (e.g. grows too large)
     */
    public @NotNull CompletableFuture<PutDesiredOutcome> put(
            final @NotNull String tenant,
            final @NotNull String node,
            final @NotNull DesiredSpec spec,
            final @NotNull OptionalLong expectedGeneration) {
        return store.putDesired(tenant, node, expectedGeneration, generation -> encode(tenant, node, generation, spec))
                .thenApply(outcome -> {
                    if (outcome instanceof PutDesiredOutcome.Stored stored) {
                        log.info(
                                "desired state of {}/{} is now generation {} ({} components)",
                                tenant,
                                node,
                                stored.record().generation(),
                                spec.components().size());
                        publisher.publish(stored.record());
                    }
                    return outcome;
                });
    }

    public @NotNull CompletableFuture<Optional<DesiredRecord>> current(
            final @NotNull String tenant, final @NotNull String node) {
        return store.findCurrentDesired(tenant, node);
    }

    private String encode(final String tenant, final String node, final long generation, final DesiredSpec spec) {
        final DesiredDocument document =
                new DesiredDocument(tenant, node, generation, spec.components(), spec.discovery(), spec.reconcile());
        return new String(codec.encode(document, MessageType.DESIRED), StandardCharsets.UTF_8);
    }
}
