package dev.baton.agent.internal.outbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.protocol.ComponentStatus;
import dev.baton.protocol.Condition;
import dev.baton.protocol.Device;
import dev.baton.protocol.Event;
import dev.baton.protocol.InventoryReport;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.Plan;
import dev.baton.protocol.ProtocolException;
import dev.baton.protocol.ReportedState;
import dev.baton.protocol.Severity;
import dev.baton.protocol.Texts;
import dev.baton.protocol.Topics;
import java.time.Clock;
import java.util.List;
import java.util.function.LongFunction;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Puts this boot's reports and events into the outbox, each encoded (and so validated) with the sequence number the
 * outbox assigns.
 */
public final class NodeReporter {

    /** Message length a report falls back to when full messages would exceed the reported-state size limit. */
    private static final int SHORT_MESSAGE_CHARS = 160;

    private final OutboxStore outbox;
    private final MessageCodec codec;
    private final String bootId;
    private final Clock clock;

    public NodeReporter(
            final @NotNull OutboxStore outbox,
            final @NotNull MessageCodec codec,
            final @NotNull String bootId,
            final @NotNull Clock clock) {
        this.outbox = outbox;
        this.codec = codec;
        this.bootId = bootId;
        this.clock = clock;
    }

    /** Enqueues a complete report, replacing any unsent one. */
    public long report(
            final long observedGeneration,
            final @NotNull List<ComponentStatus> components,
            final @NotNull List<Condition> conditions,
            final @Nullable Plan plan) {
        return outbox.enqueue(Topics.Channel.REPORTED, seq -> {
            final ReportedState full =
                    new ReportedState(seq, bootId, clock.instant(), observedGeneration, components, conditions, plan);
            try {
                return codec.encode(full, MessageType.REPORTED);
            } catch (final ProtocolException e) {
                if (e.reason() != ProtocolException.Reason.TOO_LARGE) {
                    throw e;
                }
                // Hundreds of components with long messages: report every state, with shortened messages.
                final List<ComponentStatus> shortened = components.stream()
                        .map(c -> new ComponentStatus(
                                c.name(),
                                c.kind(),
                                c.state(),
                                Texts.truncate(c.message(), SHORT_MESSAGE_CHARS),
                                c.generation(),
                                c.lastTransition(),
                                c.outputs()))
                        .toList();
                return codec.encode(
                        new ReportedState(
                                seq, bootId, clock.instant(), observedGeneration, shortened, conditions, plan),
                        MessageType.REPORTED);
            }
        });
    }

    /**
     * Enqueues an inventory report; a snapshot replaces every unsent inventory message.
     *
     * @throws ProtocolException with {@link ProtocolException.Reason#TOO_LARGE} when the report exceeds the limit
     */
    public long inventory(
            final InventoryReport.@NotNull Mode mode,
            final @Nullable String baseHash,
            final @NotNull String hash,
            final @NotNull List<Device> devices,
            final @NotNull List<String> removed,
            final @Nullable ObjectNode host) {
        final LongFunction<byte[]> encoder = seq -> codec.encode(
                new InventoryReport(seq, bootId, clock.instant(), mode, baseHash, hash, devices, removed, host),
                MessageType.INVENTORY);
        return mode == InventoryReport.Mode.SNAPSHOT
                ? outbox.enqueueReplacingUnsent(Topics.Channel.INVENTORY, encoder)
                : outbox.enqueue(Topics.Channel.INVENTORY, encoder);
    }

    /** Inventory messages not yet acknowledged by the broker. */
    public int unsentInventory() {
        return outbox.unsent(Topics.Channel.INVENTORY);
    }

    /** Enqueues an event. */
    public long event(
            final @NotNull String type,
            final @NotNull Severity severity,
            final @Nullable String component,
            final @NotNull String message) {
        return outbox.enqueue(
                Topics.Channel.EVENTS,
                seq -> codec.encode(
                        new Event(seq, bootId, clock.instant(), type, severity, component, message),
                        MessageType.EVENT));
    }
}
