package dev.baton.bench.fleet;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.ComponentState;
import dev.baton.protocol.ComponentStatus;
import dev.baton.protocol.Condition;
import dev.baton.protocol.DesiredDocument;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.NodeStatus;
import dev.baton.protocol.ProtocolException;
import dev.baton.protocol.ReportedState;
import dev.baton.protocol.Topics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.annotations.NotNull;

/**
 * One edge node at the protocol level: what {@code agent/}'s {@code MqttLink} and reconciler put on the wire, without
 * their store, providers and outbox, so that thousands fit in one JVM.
 *
 * <ul>
 *   <li>Connects as its enrolled identity (client identifier = username = {@code tenant.node}) with a persistent
 *       session (clean start off, one day's expiry, keep-alive 30 s — the agent's defaults) and a will: {@link
 *       NodeStatus} offline, retained, QoS 1.
 *   <li>Then publishes its birth ({@code NodeStatus} online, retained, QoS 1) and subscribes to its {@code desired}
 *       and {@code cmd/req} topics at QoS 1; it counts as connected once PUBACK and SUBACK are in.
 *   <li>On a desired document: decodes and validates it as the agent does, ignores one whose generation it has
 *       already observed, and otherwise publishes a complete {@link ReportedState} at QoS 1 — every component
 *       {@code healthy} at that generation, {@code observedGeneration} = the document's, {@code seq} one above the
 *       previous report's. Nothing is applied: the figure is the hub's, not a provider's.
 * </ul>
 *
 * <p>Unlike the agent it does not reconnect: a lost connection is counted in {@link FleetCounters} and the node shows
 * up as not converged, which is what a benchmark should report rather than hide.
 *
 * <p>Threading: the client's Netty threads and the fleet's application scheduler (shared by every simulated agent,
 * see {@link SimulatedFleet}) run the callbacks; a node's publishes arrive one at a time. The timing fields are
 * written there and read by the benchmark once a round is over.
 */
final class SimulatedAgent {

    static final String AGENT_VERSION = "fleet-sim/1";
    private static final long SESSION_EXPIRY_SECONDS = TimeUnit.DAYS.toSeconds(1);
    private static final int KEEP_ALIVE_SECONDS = 30;
    private static final String JSON = "application/json";

    private final String tenant;
    private final String node;
    private final MessageCodec codec;
    private final FleetCounters counters;
    private final Mqtt5AsyncClient client;
    private final String bootId = UUID.randomUUID().toString();
    private final String statusTopic;
    private final String desiredTopic;
    private final String commandTopic;
    private final String reportedTopic;
    private final AtomicLong seq = new AtomicLong();
    private volatile boolean closing;

    /** The newest generation this node observed and reported. */
    private volatile long observedGeneration;
    /** {@link System#nanoTime()} when the document of {@link #observedGeneration} arrived. */
    private volatile long desiredReceivedNanos;
    /** {@link System#nanoTime()} when the broker acknowledged the report of {@link #observedGeneration}; 0 before. */
    private volatile long reportAckedNanos;

    SimulatedAgent(
            final @NotNull EnrollmentResponse identity,
            final @NotNull MqttClientExecutorConfig executors,
            final @NotNull MessageCodec codec,
            final @NotNull FleetCounters counters) {
        this.tenant = identity.tenant();
        this.node = identity.node();
        this.codec = codec;
        this.counters = counters;
        this.statusTopic = Topics.topic(tenant, node, Topics.Channel.STATUS);
        this.desiredTopic = Topics.topic(tenant, node, Topics.Channel.DESIRED);
        this.commandTopic = Topics.topic(tenant, node, Topics.Channel.COMMAND_REQUEST);
        this.reportedTopic = Topics.topic(tenant, node, Topics.Channel.REPORTED);
        final URI server = URI.create(identity.mqtt().serverUri());
        this.client = Mqtt5Client.builder()
                .identifier(identity.mqtt().clientId())
                .serverHost(server.getHost())
                .serverPort(server.getPort())
                .executorConfig(executors)
                .simpleAuth()
                .username(identity.mqtt().username())
                .password(identity.mqtt().password().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .addDisconnectedListener(context -> {
                    if (!closing && context.getSource() != MqttDisconnectSource.USER) {
                        counters.disconnected(node, context.getCause());
                    }
                })
                .buildAsync();
        client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, this::onPublish);
    }

    @NotNull
    String node() {
        return node;
    }

    /** Connects, publishes the birth and subscribes; completes once CONNACK, PUBACK and SUBACK are all in. */
    @NotNull
    CompletableFuture<Void> connect() {
        return client.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(SESSION_EXPIRY_SECONDS)
                .keepAlive(KEEP_ALIVE_SECONDS)
                .willPublish()
                .topic(statusTopic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .contentType(JSON)
                .payload(status(false))
                .applyWillPublish()
                .send()
                .thenCompose(connAck -> {
                    final CompletableFuture<Mqtt5PublishResult> birth = client.publishWith()
                            .topic(statusTopic)
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .retain(true)
                            .contentType(JSON)
                            .payload(status(true))
                            .send();
                    final CompletableFuture<Mqtt5SubAck> subscribed = client.subscribeWith()
                            .addSubscription()
                            .topicFilter(desiredTopic)
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .applySubscription()
                            .addSubscription()
                            .topicFilter(commandTopic)
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .applySubscription()
                            .send();
                    return birth.thenCombine(subscribed, (published, subAck) -> {
                        published.getError().ifPresent(error -> {
                            throw new IllegalStateException("birth of " + node + " refused: " + error, error);
                        });
                        if (subAck.getReasonCodes().stream().anyMatch(Mqtt5SubAckReasonCode::isError)) {
                            throw new IllegalStateException(
                                    "subscriptions of " + node + " refused: " + subAck.getReasonCodes());
                        }
                        return null;
                    });
                });
    }

    /** Disconnects (the will is not sent after a clean DISCONNECT); completes at once when not connected. */
    @NotNull
    CompletableFuture<Void> disconnect() {
        closing = true;
        if (!client.getState().isConnected()) {
            return CompletableFuture.completedFuture(null);
        }
        return client.disconnect().exceptionally(error -> null);
    }

    long observedGeneration() {
        return observedGeneration;
    }

    long desiredReceivedNanos() {
        return desiredReceivedNanos;
    }

    long reportAckedNanos() {
        return reportAckedNanos;
    }

    boolean connected() {
        return client.getState().isConnected();
    }

    private void onPublish(final Mqtt5Publish publish) {
        if (!desiredTopic.equals(publish.getTopic().toString())) {
            counters.ignored();
            return;
        }
        final long received = System.nanoTime();
        final DesiredDocument document;
        try {
            document = codec.decode(publish.getPayloadAsBytes(), MessageType.DESIRED);
        } catch (final ProtocolException e) {
            counters.invalid(node, e);
            return;
        }
        if (!document.tenant().equals(tenant) || !document.node().equals(node)) {
            counters.invalid(node, new IllegalStateException("document for " + document.node() + " on my topic"));
            return;
        }
        final long generation = document.generation();
        if (generation <= observedGeneration) {
            counters.stale();
            return;
        }
        desiredReceivedNanos = received;
        reportAckedNanos = 0;
        observedGeneration = generation;
        counters.desiredReceived();
        final byte[] report = codec.encode(report(document), MessageType.REPORTED);
        client.publishWith()
                .topic(reportedTopic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .contentType(JSON)
                .payload(report)
                .send()
                .whenComplete((result, error) -> {
                    final Throwable failure =
                            error != null ? error : result.getError().orElse(null);
                    if (failure != null) {
                        counters.reportFailed(node, failure);
                        return;
                    }
                    if (observedGeneration == generation) {
                        reportAckedNanos = System.nanoTime();
                    }
                    counters.reportAcked();
                });
    }

    private ReportedState report(final DesiredDocument document) {
        final Instant now = Instant.now();
        final List<ComponentStatus> components =
                new ArrayList<>(document.components().size());
        for (final ComponentSpec component : document.components()) {
            components.add(new ComponentStatus(
                    component.name(), component.kind(), ComponentState.HEALTHY, "", document.generation(), now));
        }
        return new ReportedState(
                seq.incrementAndGet(),
                bootId,
                now,
                document.generation(),
                components,
                List.of(new Condition(Condition.DESIRED_ACCEPTED, true, "Accepted", "", now)));
    }

    private byte[] status(final boolean online) {
        return codec.encode(
                new NodeStatus(
                        bootId, online, Instant.now(), AGENT_VERSION, observedGeneration, List.of(Topics.PROTOCOL_V1)),
                MessageType.STATUS);
    }
}
