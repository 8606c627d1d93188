package dev.baton.agent.internal.link;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.baton.agent.AgentConfig;
import dev.baton.agent.ConnectionState;
import dev.baton.agent.internal.outbox.MessageRefusedException;
import dev.baton.agent.internal.outbox.OutboxTransport;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.NodeStatus;
import dev.baton.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's MQTT 5 connection to the hub's broker, as an explicit state machine ({@link ConnectionState}).
 *
 * <ul>
 *   <li>Connects with {@code cleanStart=false} and a session expiry, so the broker keeps subscriptions and queued
 *       messages across short outages (a speed-up: correctness rests on generations and re-sync, not on the
 *       session).
 *   <li>Leaves a will (MQTT 5, 3.1.3.2): {@code NodeStatus} offline, retained, QoS 1, on the status topic.
 *   <li>On every (re)connect publishes the birth ({@code NodeStatus} online, retained, QoS 1) directly, subscribes
 *       to {@code desired} and {@code cmd/req}, and only then reports {@link ConnectionState#CONNECTED}.
 *   <li>Reconnects from its disconnected listener with the configured capped, jittered backoff; a CONNACK that
 *       refuses the credentials is logged as an actionable error and retried the same way.
 * </ul>
 *
 * <p>Threading: listener callbacks run on the MQTT client's Netty event loop; the state is an atomic reference
 * that any thread may read. {@link #close()} may be called from any thread.
 */
public final class MqttLink implements OutboxTransport, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);
    private static final String JSON = "application/json";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);

    private final AgentConfig config;
    private final String bootId;
    private final String agentVersion;
    private final LongSupplier observedGeneration;
    private final LinkListener listener;
    private final ScheduledExecutorService scheduler;
    private final MessageCodec codec;
    private final String statusTopic;
    private final String desiredTopic;
    private final String commandRequestTopic;
    private final Mqtt5AsyncClient client;
    private final Object stateMonitor = new Object();
    private ConnectionState state = ConnectionState.DISCONNECTED; // guarded by stateMonitor
    /** Identifies the open incoming publish flow; null once the client has ended it. */
    private final AtomicReference<Object> currentPublishFlow = new AtomicReference<>();
    /** Owned by the client's event loop, which runs every connected callback. */
    private boolean connectedBefore;
    /** Increases with every connect and disconnect, so that a late callback of an older connection is ignored. */
    private final AtomicLong connectionEpoch = new AtomicLong();

    public MqttLink(
            final @NotNull AgentConfig config,
            final @NotNull String bootId,
            final @NotNull String agentVersion,
            final @NotNull LongSupplier observedGeneration,
            final @NotNull LinkListener listener,
            final @NotNull ScheduledExecutorService scheduler,
            final @NotNull MessageCodec codec) {
        this.config = config;
        this.bootId = bootId;
        this.agentVersion = agentVersion;
        this.observedGeneration = observedGeneration;
        this.listener = listener;
        this.scheduler = scheduler;
        this.codec = codec;
        this.statusTopic = Topics.topic(config.tenant(), config.node(), Topics.Channel.STATUS);
        this.desiredTopic = Topics.topic(config.tenant(), config.node(), Topics.Channel.DESIRED);
        this.commandRequestTopic = Topics.topic(config.tenant(), config.node(), Topics.Channel.COMMAND_REQUEST);

        Mqtt5ClientBuilder builder = Mqtt5Client.builder()
                .identifier(config.mqttClientId())
                .serverHost(config.mqttServerUri().getHost())
                .serverPort(config.mqttServerUri().getPort())
                // One Netty thread is plenty for one connection and keeps the agent's memory small.
                .executorConfig()
                .nettyThreads(1)
                .applyExecutorConfig()
                .simpleAuth()
                .username(config.mqttUsername())
                .password(config.mqttPassword().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .willPublish()
                .topic(statusTopic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .contentType(JSON)
                .payload(status(false))
                .applyWillPublish()
                .addConnectedListener(this::onConnected)
                .addDisconnectedListener(this::onDisconnected);
        if ("ssl".equals(config.mqttServerUri().getScheme())) {
            builder = builder.sslWithDefaultConfig();
        }
        this.client = builder.buildAsync();
        openPublishFlow();
    }

    /**
     * Opens one global flow for everything the broker sends us, so that subscribing again on every connect never
     * registers a second callback for the same topic. The client ends all flows when its session ends (a broker
     * that lost the session answers CONNACK with session present = 0, or the session expired while offline), so
     * {@link #onConnected} opens a new one then, before subscribing again.
     */
    private void openPublishFlow() {
        final Object flow = new Object();
        currentPublishFlow.set(flow);
        client.toRx()
                .publishes(MqttGlobalPublishFilter.ALL)
                .subscribe(
                        publish -> {
                            // Should the client have kept an older flow alive, only the newest one delivers.
                            if (currentPublishFlow.get() == flow) {
                                onPublish(publish);
                            }
                        },
                        error -> {
                            if (currentPublishFlow.compareAndSet(flow, null)) {
                                LOG.debug(
                                        "incoming publish flow ended ({}); it opens again on the next connect",
                                        error.toString());
                            }
                        });
    }

    /** Starts connecting; returns at once. */
    public void start() {
        if (!transition(ConnectionState.DISCONNECTED, ConnectionState.CONNECTING)) {
            throw new IllegalStateException("the MQTT link was already started");
        }
        LOG.info("connecting to {} as {}", config.mqttServerUri(), config.mqttClientId());
        client.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(config.sessionExpiry().toSeconds())
                .keepAlive((int) config.keepAlive().toSeconds())
                .send()
                .whenComplete((connAck, error) -> {
                    if (error != null) {
                        // Reconnects are driven by onDisconnected; this only ends when the link is closed.
                        LOG.debug("initial connect ended: {}", error.toString());
                    }
                });
    }

    public @NotNull ConnectionState state() {
        synchronized (stateMonitor) {
            return state;
        }
    }

    @Override
    public boolean isConnected() {
        return state() == ConnectionState.CONNECTED;
    }

    /** Waits until {@link ConnectionState#CONNECTED}; false on timeout or when closed. */
    public boolean awaitConnected(final @NotNull Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stateMonitor) {
            while (state != ConnectionState.CONNECTED && state != ConnectionState.CLOSED) {
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(stateMonitor, remaining);
            }
            return state == ConnectionState.CONNECTED;
        }
    }

    @Override
    public @NotNull CompletableFuture<Void> publish(
            final Topics.@NotNull Channel channel, final byte @NotNull [] payload) {
        final CompletableFuture<Mqtt5PublishResult> sent;
        try {
            sent = client.publishWith()
                    .topic(Topics.topic(config.tenant(), config.node(), channel))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .contentType(JSON)
                    .payload(payload)
                    .send();
        } catch (final RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sent.handle((result, error) -> {
            final Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause()
                    : error != null ? error : result.getError().orElse(null);
            if (cause == null) {
                return null;
            }
            if (cause instanceof Mqtt5PubAckException refused) {
                throw new MessageRefusedException(
                        channel.suffix() + ": " + refused.getMqttMessage().getReasonCode());
            }
            throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
        });
    }

    /**
     * Publishes an offline status (if connected) and disconnects, keeping the session for the next start.
     * Idempotent.
     */
    @Override
    public void close() {
        final ConnectionState previous;
        synchronized (stateMonitor) {
            previous = state;
            state = ConnectionState.CLOSED;
            stateMonitor.notifyAll();
        }
        if (previous == ConnectionState.CLOSED) {
            return;
        }
        try {
            if (previous == ConnectionState.CONNECTED) {
                // A clean DISCONNECT suppresses the will, so say goodbye explicitly.
                client.publishWith()
                        .topic(statusTopic)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .retain(true)
                        .contentType(JSON)
                        .payload(status(false))
                        .send()
                        .get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            client.disconnect().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            LOG.debug("disconnect: {}", e.toString());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("disconnected from {}", config.mqttServerUri());
    }

    private void onConnected(final MqttClientConnectedContext context) {
        final long epoch = connectionEpoch.incrementAndGet();
        final boolean sessionPresent = context instanceof Mqtt5ClientConnectedContext connected
                && connected.getConnAck().isSessionPresent();
        if ((!sessionPresent && connectedBefore) || currentPublishFlow.get() == null) {
            // The client ended the old session and, with it, our publish flow.
            openPublishFlow();
        }
        connectedBefore = true;
        synchronized (stateMonitor) {
            if (state == ConnectionState.CLOSED) {
                client.disconnect();
                return;
            }
            state = ConnectionState.CONNECTING;
        }
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
                .topicFilter(commandRequestTopic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .applySubscription()
                .send();
        CompletableFuture.allOf(birth, subscribed).whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.warn("birth or subscription failed, waiting for the reconnect: {}", error.toString());
                return;
            }
            final List<Mqtt5SubAckReasonCode> codes = subscribed.join().getReasonCodes();
            if (codes.stream().anyMatch(Mqtt5SubAckReasonCode::isError)) {
                LOG.error(
                        "the broker refused this node's subscriptions to {} and {} ({}): the node gets no desired"
                                + " state; check the broker's access rules for client {}",
                        desiredTopic,
                        commandRequestTopic,
                        codes,
                        config.mqttClientId());
            }
            synchronized (stateMonitor) {
                if (connectionEpoch.get() != epoch || state != ConnectionState.CONNECTING) {
                    return;
                }
                state = ConnectionState.CONNECTED;
                stateMonitor.notifyAll();
            }
            LOG.info("connected to {} as {}", config.mqttServerUri(), config.mqttClientId());
            listener.onConnected();
        });
    }

    private void onDisconnected(final MqttClientDisconnectedContext context) {
        final long epoch = connectionEpoch.incrementAndGet();
        final ConnectionState previous;
        synchronized (stateMonitor) {
            previous = state;
            if (state == ConnectionState.CLOSED || context.getSource() == MqttDisconnectSource.USER) {
                context.getReconnector().reconnect(false);
                return;
            }
            state = ConnectionState.DISCONNECTED;
            stateMonitor.notifyAll();
        }
        // Failed connect attempts since the last connection: 0 right after losing one, 1 after the first failure.
        final int attempts = context.getReconnector().getAttempts();
        final Duration delay = config.reconnectBackoff().delay(Math.max(0, attempts - 1));
        context.getReconnector()
                .reconnect(true)
                // We subscribe on every connect ourselves, and the outbox resends what the session lost.
                .resubscribeIfSessionExpired(false)
                .republishIfSessionExpired(false)
                .delay(delay.toMillis(), TimeUnit.MILLISECONDS);
        logDisconnect(context.getCause(), previous, attempts, delay);
        scheduler.schedule(
                () -> {
                    synchronized (stateMonitor) {
                        if (connectionEpoch.get() == epoch && state == ConnectionState.DISCONNECTED) {
                            state = ConnectionState.CONNECTING;
                        }
                    }
                },
                delay.toMillis(),
                TimeUnit.MILLISECONDS);
        if (previous == ConnectionState.CONNECTED) {
            listener.onDisconnected();
        }
    }

    private void logDisconnect(
            final Throwable cause, final ConnectionState previous, final int attempts, final Duration delay) {
        if (cause instanceof Mqtt5ConnAckException refused) {
            final Mqtt5ConnAckReasonCode code = refused.getMqttMessage().getReasonCode();
            if (code == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD
                    || code == Mqtt5ConnAckReasonCode.NOT_AUTHORIZED) {
                LOG.error(
                        "the hub refused this node's credentials ({}) for client {} at {}: re-enroll with"
                                + " `baton-agent enroll --hub {} --token <new token> --data-dir {}`;"
                                + " retrying in {} ms",
                        code,
                        config.mqttClientId(),
                        config.mqttServerUri(),
                        config.hubUrl().map(Object::toString).orElse("<hub url>"),
                        config.dataDirectory(),
                        delay.toMillis());
                return;
            }
            LOG.warn(
                    "the broker at {} refused the connection ({}{}); retrying in {} ms",
                    config.mqttServerUri(),
                    code,
                    refused.getMqttMessage()
                            .getReasonString()
                            .map(reason -> ": " + reason)
                            .orElse(""),
                    delay.toMillis());
            return;
        }
        if (previous == ConnectionState.CONNECTED) {
            LOG.warn(
                    "lost the connection to {}: {}; reconnecting in {} ms",
                    config.mqttServerUri(),
                    describe(cause),
                    delay.toMillis());
        } else {
            LOG.warn(
                    "cannot connect to {} (attempt {}): {}; retrying in {} ms",
                    config.mqttServerUri(),
                    attempts,
                    describe(cause),
                    delay.toMillis());
        }
    }

    private void onPublish(final Mqtt5Publish publish) {
        final String topic = publish.getTopic().toString();
        final byte[] payload = publish.getPayloadAsBytes();
        if (topic.equals(desiredTopic)) {
            listener.onDesired(payload);
        } else if (topic.equals(commandRequestTopic)) {
            listener.onCommandRequest(payload);
        } else {
            LOG.debug("ignoring a message on {}", topic);
        }
    }

    private byte[] status(final boolean online) {
        return codec.encode(
                new NodeStatus(
                        bootId,
                        online,
                        Instant.now(),
                        agentVersion,
                        observedGeneration.getAsLong(),
                        List.of(Topics.PROTOCOL_V1)),
                MessageType.STATUS);
    }

    private boolean transition(final ConnectionState from, final ConnectionState to) {
        synchronized (stateMonitor) {
            if (state != from) {
                return false;
            }
            state = to;
            stateMonitor.notifyAll();
            return true;
        }
    }

    private static String describe(final @Nullable Throwable cause) {
        if (cause == null) {
            return "unknown cause";
        }
        final Throwable root = cause.getCause() != null ? cause.getCause() : cause;
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
