package dev.baton.agent.internal.link;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientReconnector;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientReconnector;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5WillPublish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.baton.agent.AgentConfig;
import dev.baton.agent.ConnectionState;
import dev.baton.agent.internal.outbox.MessageRefusedException;
import dev.baton.agent.internal.outbox.OutboxTransport;
import dev.baton.protocol.Limits;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.NodeStatus;
import dev.baton.protocol.Topics;
import io.reactivex.disposables.Disposable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
 *   <li>Leaves a will (MQTT 5, 3.1.3.2): {@code NodeStatus} offline, retained, QoS 1, on the status topic; it is
 *       built afresh for every connect attempt, so that its observed generation and time are those of the last
 *       connect rather than of the agent's start.
 *   <li>On every (re)connect publishes the birth ({@code NodeStatus} online, retained, QoS 1) directly, subscribes
 *       to {@code desired} and {@code cmd/req}, and only then reports {@link ConnectionState#CONNECTED}.
 *   <li>Reconnects from its disconnected listener with the configured capped, jittered backoff; a CONNACK that
 *       refuses the credentials is logged as an actionable error and retried the same way.
 *   <li>Hands the client a gate instead of a delay for each reconnect, so that {@link #close()} can cancel a
 *       pending reconnect: in HiveMQ client 1.4 {@code disconnect()} fails while the client waits for or is making
 *       a reconnect, and a reconnect scheduled with a delay would still fire, keeping the client's non-daemon Netty
 *       thread alive after the agent was closed. Connect attempts are bounded by a socket and a CONNACK timeout,
 *       so that an attempt in flight at close ends soon.
 * </ul>
 *
 * <p>Threading: the connected and disconnected listeners and the reconnect gate's callback run on the MQTT client's
 * Netty event loop; incoming publishes, publish callbacks and the completions of the client's futures (birth,
 * SUBACK, PUBACK) run on RxJava computation threads. The state is guarded by a monitor that any thread may read.
 * {@link #close()} may be called from any thread but the event loop.
 */
public final class MqttLink implements OutboxTransport, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);
    private static final String JSON = "application/json";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);
    /**
     * The largest packet the broker may send us (MQTT 5, 3.1.2.11.4): the largest desired document plus room for
     * the PUBLISH header and properties. Without it the broker may send up to 256 MB into an agent sized for tens.
     */
    static final int MAX_INCOMING_PACKET_BYTES = Limits.MAX_DESIRED_BYTES + 16 * 1024;
    /** Bounds the TCP (and TLS) connect of one attempt; the client's default is 10 s. */
    static final Duration SOCKET_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Bounds the wait for CONNACK of one attempt; the client's default is 60 s. */
    static final Duration MQTT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

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
    /** Every channel's topic, built once rather than per publish. */
    private final Map<Topics.Channel, String> topics;

    private final Mqtt5AsyncClient client;
    private final Object stateMonitor = new Object();
    private ConnectionState state = ConnectionState.DISCONNECTED; // guarded by stateMonitor
    /** Opens the pending reconnect; {@link #close()} opens it early to cancel the reconnect. */
    private @Nullable CompletableFuture<Void> reconnectGate; // guarded by stateMonitor

    private boolean started; // guarded by stateMonitor
    /** Completed once the client gave up its connection and will not reconnect: its event loop is released. */
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    /** Identifies the open incoming publish flow; null once the client has ended it. */
    private final AtomicReference<Object> currentPublishFlow = new AtomicReference<>();
    /**
     * The subscription to the open flow, disposed on close: with a persistent session the client keeps an open
     * global flow, and with it its non-daemon Netty event loop, after DISCONNECT.
     */
    private volatile @Nullable Disposable publishFlow;
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
        final Map<Topics.Channel, String> byChannel = new EnumMap<>(Topics.Channel.class);
        for (final Topics.Channel channel : Topics.Channel.values()) {
            byChannel.put(channel, Topics.topic(config.tenant(), config.node(), channel));
        }
        this.topics = byChannel;

        MqttClientTransportConfigBuilder transport = MqttClientTransportConfig.builder()
                .serverHost(config.mqttServerUri().getHost())
                .serverPort(config.mqttServerUri().getPort())
                .socketConnectTimeout(SOCKET_CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .mqttConnectTimeout(MQTT_CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if ("ssl".equals(config.mqttServerUri().getScheme())) {
            transport = transport.sslWithDefaultConfig();
        }
        final Mqtt5ClientBuilder builder = Mqtt5Client.builder()
                .identifier(config.mqttClientId())
                .transportConfig(transport.build())
                // One Netty thread is plenty for one connection and keeps the agent's memory small.
                .executorConfig()
                .nettyThreads(1)
                .applyExecutorConfig()
                .simpleAuth()
                .username(config.mqttUsername())
                .password(config.mqttPassword().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .addConnectedListener(this::onConnected)
                .addDisconnectedListener(this::onDisconnected);
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
        final @Nullable Disposable previous = publishFlow;
        publishFlow = client.toRx()
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
        if (previous != null) {
            previous.dispose();
        }
    }

    /** Starts connecting; returns at once. */
    public void start() {
        synchronized (stateMonitor) {
            if (started || state != ConnectionState.DISCONNECTED) {
                throw new IllegalStateException("the MQTT link was already started or closed");
            }
            started = true;
            state = ConnectionState.CONNECTING;
            stateMonitor.notifyAll();
        }
        LOG.info("connecting to {} as {}", config.mqttServerUri(), config.mqttClientId());
        client.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(config.sessionExpiry().toSeconds())
                .keepAlive((int) config.keepAlive().toSeconds())
                // Reconnects send this CONNECT again, restrictions included.
                .restrictions()
                .maximumPacketSize(MAX_INCOMING_PACKET_BYTES)
                .applyRestrictions()
                .willPublish(will())
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
                    .topic(topics.get(channel))
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
     * Publishes an offline status (if connected) and disconnects, keeping the session for the next start; cancels a
     * pending reconnect, and waits (a bounded time) until the client has let go of its connection and its event
     * loop. Idempotent.
     */
    @Override
    public void close() {
        final long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        final ConnectionState previous;
        final @Nullable CompletableFuture<Void> gate;
        synchronized (stateMonitor) {
            previous = state;
            state = ConnectionState.CLOSED;
            stateMonitor.notifyAll();
            gate = reconnectGate;
            reconnectGate = null;
            if (!started) {
                terminated.complete(null);
            }
        }
        if (previous == ConnectionState.CLOSED) {
            return;
        }
        if (gate != null) {
            // Runs the gate's callback on the event loop, which sees CLOSED and cancels the reconnect.
            gate.complete(null);
        }
        try {
            // Ask the client, not the link: after CONNACK but before the birth and SUBACK completed the link is
            // still CONNECTING, yet the retained birth may be out, and the clean DISCONNECT below suppresses the
            // will (MQTT 5, 3.14.4), so only an explicit goodbye replaces the birth. Both are QoS 1 publishes on one
            // connection, so the broker retains the goodbye last.
            if (client.getState().isConnected()) {
                client.publishWith()
                        .topic(statusTopic)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .retain(true)
                        .contentType(JSON)
                        .payload(status(false))
                        .send()
                        .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            }
            // Only a connected client can disconnect: one that is connecting ends its attempt in a listener,
            // which sees CLOSED and does not reconnect (or disconnects, once connected).
            final @Nullable Disposable flow = publishFlow;
            if (flow != null) {
                flow.dispose();
            }
            if (client.getState() == MqttClientState.CONNECTED) {
                client.disconnect().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            }
        } catch (final ExecutionException | TimeoutException e) {
            LOG.debug("goodbye or disconnect: {}", e.toString());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            terminated.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            LOG.info("disconnected from {}", config.mqttServerUri());
        } catch (final ExecutionException | TimeoutException e) {
            LOG.warn(
                    "the MQTT client to {} did not stop within {} ms (state {}); a connect attempt in flight ends"
                            + " within {} s and is not retried",
                    config.mqttServerUri(),
                    CLOSE_TIMEOUT.toMillis(),
                    client.getState(),
                    MQTT_CONNECT_TIMEOUT.plus(SOCKET_CONNECT_TIMEOUT).toSeconds());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long remainingMillis(final long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    /** The client's own state, for tests. */
    @NotNull
    MqttClientState clientState() {
        return client.getState();
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
        final MqttClientReconnector reconnector = context.getReconnector();
        // Failed connect attempts since the last connection: 0 right after losing one, 1 after the first failure.
        final int attempts = reconnector.getAttempts();
        final Duration delay = config.reconnectBackoff().delay(Math.max(0, attempts - 1));
        final CompletableFuture<Void> gate = new CompletableFuture<>();
        final ConnectionState previous;
        synchronized (stateMonitor) {
            previous = state;
            if (state == ConnectionState.CLOSED || context.getSource() == MqttDisconnectSource.USER) {
                reconnector.reconnect(false);
                terminated.complete(null);
                return;
            }
            state = ConnectionState.DISCONNECTED;
            stateMonitor.notifyAll();
            // From here on close() opens this gate, whose callback then cancels the reconnect.
            reconnectGate = gate;
        }
        reconnector
                // We subscribe on every connect ourselves, and the outbox resends what the session lost.
                .resubscribeIfSessionExpired(false)
                .republishIfSessionExpired(false)
                .delay(0, TimeUnit.MILLISECONDS)
                // The client runs this on its event loop before it decides whether to reconnect.
                .reconnectWhen(gate, (ignored, error) -> onReconnectGateOpened(context, epoch));
        logDisconnect(context.getCause(), previous, attempts, delay);
        scheduler.schedule(() -> gate.complete(null), delay.toMillis(), TimeUnit.MILLISECONDS);
        if (previous == ConnectionState.CONNECTED) {
            listener.onDisconnected();
        }
    }

    /** On the client's event loop, when the backoff elapsed or {@link #close()} opened the gate early. */
    private void onReconnectGateOpened(final MqttClientDisconnectedContext context, final long epoch) {
        final MqttClientReconnector reconnector = context.getReconnector();
        synchronized (stateMonitor) {
            if (state == ConnectionState.CLOSED) {
                reconnector.reconnect(false);
                terminated.complete(null);
                return;
            }
            reconnectGate = null;
            if (connectionEpoch.get() == epoch && state == ConnectionState.DISCONNECTED) {
                state = ConnectionState.CONNECTING;
                stateMonitor.notifyAll();
            }
        }
        if (context instanceof Mqtt5ClientDisconnectedContext mqtt5) {
            // The reconnect sends this CONNECT; the rest of it is the previous one's.
            final Mqtt5ClientReconnector connect = mqtt5.getReconnector();
            connect.connectWith().willPublish(will()).applyConnect();
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

    private Mqtt5WillPublish will() {
        return Mqtt5WillPublish.builder()
                .topic(statusTopic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .contentType(JSON)
                .payload(status(false))
                .build();
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

    private static String describe(final @Nullable Throwable cause) {
        if (cause == null) {
            return "unknown cause";
        }
        final Throwable root = cause.getCause() != null ? cause.getCause() : cause;
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
