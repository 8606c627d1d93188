package dev.baton.hub.internal.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientReconnector;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5SubscribeBuilder;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.baton.hub.HubStartException;
import dev.baton.protocol.Limits;
import dev.baton.protocol.Topics;
import io.reactivex.disposables.Disposable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's MQTT 5 connection: subscribes to every node's {@code reported}, {@code status}, {@code events} and {@code inventory} through
 * shared subscriptions (MQTT 5, section 4.8.2) so that several hubs split the load, and publishes desired documents.
 *
 * <p>Reconnects by itself with exponential backoff from 250 ms up to 10 s, each delay jittered by ±25 % (the HiveMQ
 * client's {@code MqttClientAutoReconnect}). The session is kept for an hour (clean start off), so QoS 1 messages
 * published while the hub reconnects wait for it at the broker; after a broker restart the client subscribes again.
 *
 * <p>Closing stops the reconnect loop too. HiveMQ client 1.4.2 refuses {@code disconnect()} unless connected, and a
 * scheduled reconnect would otherwise go on for ever, keeping the client's non-daemon Netty threads alive: so {@link
 * #close} marks the link closing, cuts the pending reconnect delay short, and the disconnected listener then cancels
 * the reconnect.
 *
 * <p>Threading: lifecycle listeners run on the client's Netty thread; inbound messages are emitted on the client's
 * RxJava computation threads and acknowledged manually, by the handler, once it has dealt with them (at-least-once
 * into the store).
 */
public final class HubMqttLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HubMqttLink.class);
    private static final long SESSION_EXPIRY_SECONDS = 3_600;
    private static final int KEEP_ALIVE_SECONDS = 30;
    private static final int RECEIVE_MAXIMUM = 256;
    private static final int MAXIMUM_PACKET_BYTES = Limits.MAX_DESIRED_BYTES + 16 * 1024;
    private static final Duration DISCONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final List<Topics.Channel> INGESTED =
            List.of(Topics.Channel.STATUS, Topics.Channel.REPORTED, Topics.Channel.EVENTS, Topics.Channel.INVENTORY);

    private final MqttEndpoint endpoint;
    /** Null: plain subscriptions (this hub is the only subscriber, as with the embedded broker). */
    private final @Nullable String group;

    private final Mqtt5AsyncClient client;
    private final CompletableFuture<Void> firstConnection = new CompletableFuture<>();
    /** Set by {@link #close}; read by the listeners on the client's threads. */
    private volatile boolean closing;
    /** Completed by {@link #close}: ends a pending reconnect delay at once. */
    /** The subscription of {@link #start}'s inbound flow; disposed by {@link #close}. */
    private volatile @Nullable Disposable inboundFlow;

    private final CompletableFuture<Void> closeRequested = new CompletableFuture<>();
    /** Completed once the client stopped reconnecting after {@link #close}. */
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    /** What becomes of the hub's session at the broker when the hub stops in order. */
    public enum SessionAfterClose {
        /**
         * Kept for an hour: messages that arrive while the hub restarts wait for it. For a hub that is the only
         * member of its shared-subscription group.
         */
        KEEP,
        /**
         * Ended (MQTT 5 DISCONNECT with Session Expiry Interval 0, section 3.14.2.2.2): the broker stops handing this
         * hub a share of the group's messages, and the other hubs of the group get them all.
         */
        END
    }

    private final SessionAfterClose afterClose;

    public HubMqttLink(final @NotNull MqttEndpoint endpoint, final @Nullable String group) {
        this(endpoint, group, SessionAfterClose.KEEP);
    }

    /**
     * @param group the shared-subscription group whose hubs split the ingest; null subscribes plainly, for a hub that
     *     is the only subscriber (its own embedded broker): HiveMQ CE queues a shared subscription's messages and
     *     polls them out, which cost about 0.2 ms of the desired-to-visible latency (docs/performance.md)
     */
    public HubMqttLink(
            final @NotNull MqttEndpoint endpoint,
            final @Nullable String group,
            final @NotNull SessionAfterClose afterClose) {
        this.endpoint = endpoint;
        this.group = group;
        this.afterClose = afterClose;
        final Mqtt5ClientBuilder builder = MqttClient.builder()
                .useMqttVersion5()
                .identifier(endpoint.clientId())
                .serverHost(endpoint.host())
                .serverPort(endpoint.port())
                .automaticReconnect()
                .initialDelay(250, TimeUnit.MILLISECONDS)
                .maxDelay(10, TimeUnit.SECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(context -> {
                    if (closing) {
                        // A reconnect that was already under way when close() ran: end it here.
                        disconnectAfterClose();
                        return;
                    }
                    log.info("hub MQTT client connected to {} as {}", endpoint.uri(), endpoint.clientId());
                    firstConnection.complete(null);
                })
                // Runs after the client's own auto-reconnect listener, so it may cancel what that one scheduled.
                .addDisconnectedListener(context -> {
                    if (closing || context.getSource() == MqttDisconnectSource.USER) {
                        context.getReconnector().reconnect(false);
                        stopped.complete(null);
                        return;
                    }
                    final Throwable cause = context.getCause();
                    if (cause instanceof Mqtt5ConnAckException refused && !firstConnection.isDone()) {
                        // Wrong credentials will not get better by retrying.
                        context.getReconnector().reconnect(false);
                        stopped.complete(null);
                        firstConnection.completeExceptionally(refused);
                        return;
                    }
                    log.warn(
                            "hub MQTT client is not connected to {}: {}; reconnecting",
                            endpoint.uri(),
                            describe(cause));
                    waitForReconnectUnlessClosed(context.getReconnector());
                });
        if (endpoint.username() != null) {
            client = builder.simpleAuth()
                    .username(endpoint.username())
                    .password(
                            endpoint.password() == null
                                    ? new byte[0]
                                    : endpoint.password().getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth()
                    .buildAsync();
        } else {
            client = builder.buildAsync();
        }
    }

    /**
     * Replaces the reconnect delay that auto-reconnect chose by a wait that {@link #close} cuts short, and reconnects
     * after it only if the link is not closing by then.
     */
    private void waitForReconnectUnlessClosed(final MqttClientReconnector reconnector) {
        final long delayMillis = reconnector.getDelay(TimeUnit.MILLISECONDS);
        final CompletableFuture<Void> delay = CompletableFuture.runAsync(
                () -> {}, CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS));
        reconnector
                .delay(0, TimeUnit.MILLISECONDS)
                .reconnectWhen(CompletableFuture.anyOf(closeRequested, delay), (ignored, error) -> {
                    // Runs on the client's event loop, before the client decides whether to reconnect.
                    reconnector.reconnect(!closing);
                    if (closing) {
                        stopped.complete(null);
                    }
                });
    }

    private void disconnectAfterClose() {
        client.disconnect();
    }

    /**
     * Connects, subscribes and hands every inbound message to {@code inbound}, which must call {@link
     * Mqtt5Publish#acknowledge()} on each once handled. Blocks until subscribed.
     *
     * @throws HubStartException when the broker is unreachable within {@code timeout}, refuses the connection or a
     *     subscription
     */
    public void start(final @NotNull Consumer<Mqtt5Publish> inbound, final @NotNull Duration timeout) {
        inboundFlow = client.toRx()
                .publishes(MqttGlobalPublishFilter.ALL, true)
                .subscribe(inbound::accept, error -> log.debug("inbound flow ended: {}", error.toString()));
        client.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(SESSION_EXPIRY_SECONDS)
                .keepAlive(KEEP_ALIVE_SECONDS)
                // Receive Maximum (MQTT 5, section 3.1.2.11.3): the broker keeps at most this many QoS 1 messages
                // unacknowledged towards the hub, so one flooding node cannot queue up to 65,535 of them in front of
                // the single store thread. Maximum Packet Size (section 3.1.2.11.4, [MQTT-3.1.2-25]): the broker
                // discards a packet larger than the biggest message of protocol v1 (a desired document) plus room
                // for topic and properties instead of sending it.
                .restrictions()
                .receiveMaximum(RECEIVE_MAXIMUM)
                .maximumPacketSize(MAXIMUM_PACKET_BYTES)
                .applyRestrictions()
                .send()
                .whenComplete((connAck, error) -> {
                    if (error instanceof Mqtt5ConnAckException refused) {
                        firstConnection.completeExceptionally(refused);
                    } else if (error != null) {
                        log.debug("first connection attempt to {} failed: {}", endpoint.uri(), error.toString());
                    }
                });
        final Mqtt5SubAck subAck;
        try {
            firstConnection.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            subAck = client.subscribe(subscription()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            close();
            throw new HubStartException(
                    HubStartException.Reason.MQTT_UNAVAILABLE,
                    "the MQTT broker at " + endpoint.uri() + " refused the hub: " + describe(e.getCause())
                            + "; check the hub's MQTT username and password",
                    e.getCause());
        } catch (final TimeoutException e) {
            close();
            throw new HubStartException(
                    HubStartException.Reason.MQTT_UNAVAILABLE,
                    "cannot reach the MQTT broker at " + endpoint.uri() + " within " + timeout.toSeconds()
                            + " s; check that it runs and that the URL is right",
                    e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new HubStartException(
                    HubStartException.Reason.INTERRUPTED, "interrupted while connecting to " + endpoint.uri(), e);
        }
        final List<String> refused = new ArrayList<>();
        for (int i = 0; i < subAck.getReasonCodes().size(); i++) {
            final Mqtt5SubAckReasonCode code = subAck.getReasonCodes().get(i);
            if (code.isError()) {
                refused.add(filter(INGESTED.get(i)) + " (" + code + ")");
            }
        }
        if (!refused.isEmpty()) {
            close();
            throw new HubStartException(
                    HubStartException.Reason.MQTT_UNAVAILABLE,
                    "the MQTT broker at " + endpoint.uri() + " refused the hub's subscriptions " + refused
                            + "; allow the hub's user to subscribe to "
                            + (group == null ? "" : "$share/" + group + '/') + "baton/v1/#");
        }
        if (group == null) {
            log.info("hub MQTT client subscribed to {}", INGESTED);
        } else {
            log.info("hub MQTT client subscribed to {} in shared group '{}'", INGESTED, group);
        }
    }

    public boolean isConnected() {
        return client.getState().isConnected();
    }

    MqttClientState state() {
        return client.getState();
    }

    /**
     * Publishes at QoS 1. While the client reconnects, the message waits in the client; the future fails when the
     * broker refuses it.
     */
    public @NotNull CompletableFuture<Mqtt5PublishResult> publish(
            final @NotNull String topic, final byte @NotNull [] payload, final boolean retain) {
        return client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(retain)
                .payload(payload)
                .send()
                .thenApply(result -> {
                    if (result.getError().isPresent()) {
                        throw new CompletionException(result.getError().get());
                    }
                    return result;
                });
    }

    /**
     * Disconnects (the session stays at the broker for an hour, or ends, as {@link SessionAfterClose} says) and stops
     * reconnecting; waits up to 15 s for a connection attempt under way to end. Idempotent.
     */
    @Override
    public void close() {
        closing = true;
        closeRequested.complete(null);
        // With a persistent session the client keeps an open global flow, and with it its non-daemon Netty
        // event loop, after DISCONNECT; ending the flow first lets the loop go.
        final @Nullable Disposable flow = inboundFlow;
        if (flow != null) {
            flow.dispose();
        }
        try {
            // A broker such as mosquitto keeps handing a share of a shared subscription to a member whose session
            // lives on while it is offline: a hub that leaves a group of hubs for good must end its session.
            (afterClose == SessionAfterClose.END
                            ? client.disconnectWith().sessionExpiryInterval(0).send()
                            : client.disconnect())
                    .get(DISCONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            log.debug("hub MQTT client was not connected: {}", e.getCause().toString());
            awaitStopped();
        } catch (final TimeoutException e) {
            log.warn("hub MQTT client did not disconnect within {} s", DISCONNECT_TIMEOUT.toSeconds());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the disconnected listener to cancel a reconnect that was pending or under way during close. */
    private void awaitStopped() {
        if (client.getState() == MqttClientState.DISCONNECTED) {
            return;
        }
        try {
            stopped.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final TimeoutException e) {
            log.warn(
                    "hub MQTT client was still {} {} s after close; its threads may keep running",
                    client.getState(),
                    STOP_TIMEOUT.toSeconds());
        } catch (final ExecutionException e) {
            throw new IllegalStateException("never completed exceptionally", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Mqtt5Subscribe subscription() {
        Mqtt5SubscribeBuilder.Complete builder = null;
        for (final Topics.Channel channel : INGESTED) {
            final String filter = filter(channel);
            builder = builder == null
                    ? Mqtt5Subscribe.builder().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
                    : builder.addSubscription()
                            .topicFilter(filter)
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .applySubscription();
        }
        return builder.build();
    }

    private String filter(final Topics.Channel channel) {
        return group == null ? Topics.everyNode(channel) : Topics.sharedSubscription(group, channel);
    }

    private static String describe(final Throwable cause) {
        if (cause instanceof Mqtt5ConnAckException refused) {
            return "CONNACK " + refused.getMqttMessage().getReasonCode()
                    + refused.getMqttMessage()
                            .getReasonString()
                            .map(reason -> " (" + reason + ")")
                            .orElse("");
        }
        return cause == null ? "unknown reason" : cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
