package dev.baton.hub.internal.mqtt;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.baton.hub.internal.desired.ReportSignals;
import dev.baton.hub.internal.store.BirthOutcome;
import dev.baton.hub.internal.store.DeviceStore;
import dev.baton.hub.internal.store.HubStore;
import dev.baton.hub.internal.store.IngestOutcome;
import dev.baton.protocol.Event;
import dev.baton.protocol.InventoryReport;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.Names;
import dev.baton.protocol.NodeStatus;
import dev.baton.protocol.ProtocolException;
import dev.baton.protocol.ReportedState;
import dev.baton.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns messages from nodes into store updates. Every message is decoded and validated first; a bad one is logged
 * at WARN with its topic and reason and changes nothing. Messages arrive at least once and in no guaranteed order
 * across topics, so each update is idempotent:
 *
 * <ul>
 *   <li>{@code status} birth: the node is online with that boot; if it observed an older generation than the
 *       newest desired one, the desired document is published again (re-sync on connect).
 *   <li>{@code status} will or orderly offline: the node goes offline only if the boot matches its latest birth, so
 *       the will of an older connection cannot undo a newer birth.
 *   <li>{@code reported}: stored only when its {@code seq} is above the last stored one.
 *   <li>{@code events}: stored once per {@code seq}.
 *   <li>{@code inventory}: a snapshot replaces the node's devices, a delta applies on top of the inventory the hub
 *       holds only when its base hash matches; otherwise the hub asks the node for a snapshot
 *       ({@code inventory.snapshot} on {@code cmd/req}, at most once per {@link #SNAPSHOT_REQUEST_INTERVAL} per node).
 * </ul>
 *
 * <p>A store write that fails with an IO error is tried again a few times ({@link StoreWriteRetries}); only then is
 * the message acknowledged and logged at ERROR as dropped. Messages that are valid but change nothing (duplicates,
 * unknown nodes) and malformed ones are acknowledged at once.
 *
 * <p>Threading: called on the MQTT client's threads; all store work is asynchronous, and each message is
 * acknowledged once the store has answered.
 */
public final class NodeMessageIngest implements Consumer<Mqtt5Publish> {

    private static final Logger log = LoggerFactory.getLogger(NodeMessageIngest.class);
    private static final Supplier<CompletableFuture<Void>> NOTHING = () -> CompletableFuture.completedFuture(null);

    /** How often the hub asks one node for an inventory snapshot at most. */
    static final Duration SNAPSHOT_REQUEST_INTERVAL = Duration.ofSeconds(30);

    private final HubStore store;
    private final DeviceStore devices;
    private final MessageCodec codec;
    private final DesiredPublisher publisher;
    private final CommandPublisher commands;
    private final ReportSignals reportSignals;
    private final Map<String, Instant> snapshotRequested = new ConcurrentHashMap<>();
    private final StoreWriteRetries retries = new StoreWriteRetries(StoreWriteRetries.DEFAULT_DELAYS);

    public NodeMessageIngest(
            final @NotNull HubStore store,
            final @NotNull DeviceStore devices,
            final @NotNull MessageCodec codec,
            final @NotNull DesiredPublisher publisher,
            final @NotNull CommandPublisher commands,
            final @NotNull ReportSignals reportSignals) {
        this.reportSignals = reportSignals;
        this.store = store;
        this.devices = devices;
        this.codec = codec;
        this.publisher = publisher;
        this.commands = commands;
    }

    @Override
    public void accept(final @NotNull Mqtt5Publish publish) {
        final String topic = publish.getTopic().toString();
        final Supplier<CompletableFuture<Void>> write;
        try {
            write = decode(topic, publish.getPayloadAsBytes());
        } catch (final ProtocolException e) {
            log.warn("refused message on '{}': {} ({})", Names.printable(topic), e.getMessage(), e.reason());
            publish.acknowledge();
            return;
        }
        retries.run("the message on '" + Names.printable(topic) + "'", write).whenComplete((ignored, error) -> {
            if (error != null) {
                log.error(
                        "dropped the message on '{}' because it could not be stored: {}",
                        Names.printable(topic),
                        error.getMessage());
            }
            publish.acknowledge();
        });
    }

    /**
     * Decodes and validates the message and returns the store write it asks for, run once per attempt.
     *
     * @throws ProtocolException when the message is malformed
     */
    private Supplier<CompletableFuture<Void>> decode(final String topic, final byte[] payload) {
        final Optional<Topics.NodeTopic> parsed = Topics.parse(topic);
        if (parsed.isEmpty()) {
            log.warn("ignored message on '{}': not a baton/v1 node topic", Names.printable(topic));
            return NOTHING;
        }
        if (payload.length == 0) {
            // An empty retained message clears a topic; there is nothing to record.
            log.debug("ignored empty message on {}", topic);
            return NOTHING;
        }
        final String tenant = parsed.get().tenant();
        final String node = parsed.get().node();
        return switch (parsed.get().channel()) {
            case STATUS -> {
                final NodeStatus status = codec.decode(payload, MessageType.STATUS);
                yield () -> status(tenant, node, status);
            }
            case REPORTED -> {
                final ReportedState reported = codec.decode(payload, MessageType.REPORTED);
                yield () -> reported(tenant, node, reported, payload);
            }
            case EVENTS -> {
                final Event event = codec.decode(payload, MessageType.EVENT);
                yield () -> event(tenant, node, event);
            }
            case INVENTORY -> {
                final InventoryReport report = codec.decode(payload, MessageType.INVENTORY);
                yield () -> inventory(tenant, node, report);
            }
            default -> {
                log.debug("ignored message on {}: the hub does not ingest this channel yet", topic);
                yield NOTHING;
            }
        };
    }

    private CompletableFuture<Void> status(final String tenant, final String node, final NodeStatus status) {
        if (!status.online()) {
            return store.recordOffline(tenant, node, status.bootId()).thenAccept(outcome -> {
                switch (outcome) {
                    case STORED -> log.info("node {}/{} is offline (boot {})", tenant, node, status.bootId());
                    case IGNORED -> log.debug(
                            "ignored offline status of {}/{} for boot {}: not its latest boot",
                            tenant,
                            node,
                            status.bootId());
                    case UNKNOWN_NODE -> unknown(tenant, node, "status");
                }
            });
        }
        return store.recordBirth(tenant, node, status).thenAccept(recorded -> {
            if (recorded.isEmpty()) {
                unknown(tenant, node, "status");
                return;
            }
            final BirthOutcome birth = recorded.get();
            log.info(
                    "node {}/{} is online (boot {}, agent {}, observed generation {} of {})",
                    tenant,
                    node,
                    status.bootId(),
                    status.agentVersion(),
                    status.observedGeneration(),
                    birth.desiredGeneration());
            birth.missed()
                    .ifPresentOrElse(
                            document -> {
                                log.info(
                                        "node {}/{} observed generation {} but {} is desired; publishing it again",
                                        tenant,
                                        node,
                                        status.observedGeneration(),
                                        document.generation());
                                publisher.publish(document);
                            },
                            () -> log.debug(
                                    "node {}/{} needs no desired document again (observed generation {} of {})",
                                    tenant,
                                    node,
                                    status.observedGeneration(),
                                    birth.desiredGeneration()));
        });
    }

    private CompletableFuture<Void> reported(
            final String tenant, final String node, final ReportedState reported, final byte[] payload) {
        return store.recordReported(
                        tenant,
                        node,
                        reported.seq(),
                        reported.observedGeneration(),
                        new String(payload, StandardCharsets.UTF_8))
                .thenCompose(outcome -> {
                    log(outcome, tenant, node, "reported state", reported.seq());
                    if (outcome == IngestOutcome.STORED) {
                        reportSignals.reported(tenant, node);
                    }
                    return outcome == IngestOutcome.STORED
                            ? devices.recordFirmware(tenant, node, FirmwareOutputs.read(reported))
                                    .thenAccept(changed -> {
                                        if (changed > 0) {
                                            log.debug("{}/{} reported firmware on {} devices", tenant, node, changed);
                                        }
                                    })
                            : CompletableFuture.completedFuture(null);
                });
    }

    private CompletableFuture<Void> inventory(final String tenant, final String node, final InventoryReport report) {
        return devices.recordInventory(tenant, node, report).thenAccept(outcome -> {
            switch (outcome) {
                case STORED -> log.debug(
                        "stored inventory {} seq {} of {}/{}: {} devices, {} removed",
                        report.mode().wire(),
                        report.seq(),
                        tenant,
                        node,
                        report.devices().size(),
                        report.removed().size());
                case IGNORED -> log.debug(
                        "ignored inventory seq {} of {}/{}: already stored or older", report.seq(), tenant, node);
                case OUT_OF_STEP -> requestSnapshot(tenant, node, report.seq());
                case UNKNOWN_NODE -> unknown(tenant, node, "inventory");
            }
        });
    }

    private void requestSnapshot(final String tenant, final String node, final long seq) {
        final Instant now = Instant.now();
        final String key = tenant + '/' + node;
        final Instant last = snapshotRequested.get(key);
        if (last != null && last.plus(SNAPSHOT_REQUEST_INTERVAL).isAfter(now)) {
            log.debug("inventory delta seq {} of {} is out of step; a snapshot was asked for at {}", seq, key, last);
            return;
        }
        snapshotRequested.put(key, now);
        log.info(
                "inventory delta seq {} of {} does not follow the inventory the hub holds; asking for a snapshot",
                seq,
                key);
        commands.send(tenant, node, "inventory.snapshot", SNAPSHOT_REQUEST_INTERVAL);
    }

    private CompletableFuture<Void> event(final String tenant, final String node, final Event event) {
        return store.recordEvent(tenant, node, event)
                .thenAccept(outcome -> log(outcome, tenant, node, "event " + event.type(), event.seq()));
    }

    private static void log(
            final IngestOutcome outcome, final String tenant, final String node, final String what, final long seq) {
        switch (outcome) {
            case STORED -> log.debug("stored {} seq {} of {}/{}", what, seq, tenant, node);
            case IGNORED -> log.debug("ignored {} seq {} of {}/{}: already stored or older", what, seq, tenant, node);
            case UNKNOWN_NODE -> unknown(tenant, node, what);
        }
    }

    private static void unknown(final String tenant, final String node, final String what) {
        log.warn("ignored {} from {}/{}: the hub has no such node", what, tenant, node);
    }
}
