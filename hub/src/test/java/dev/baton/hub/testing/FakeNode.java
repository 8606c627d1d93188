package dev.baton.hub.testing;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.exceptions.MqttClientStateException;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import dev.baton.protocol.DesiredDocument;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.MqttCredentials;
import dev.baton.protocol.Topics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jetbrains.annotations.Nullable;

/**
 * A node as a real agent would connect: HiveMQ MQTT 5 client, the enrollment credentials, client identifier ==
 * username. Test code calls the blocking API; received messages queue up in {@link #received()}.
 */
public final class FakeNode implements AutoCloseable {

    private final Mqtt5BlockingClient client;
    private final String tenant;
    private final String node;
    private final BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();

    private FakeNode(final Mqtt5BlockingClient client, final String tenant, final String node) {
        this.client = client;
        this.tenant = tenant;
        this.node = node;
        client.toAsync().publishes(MqttGlobalPublishFilter.ALL, received::add);
    }

    /** Connects with the credentials; throws the client's exception (e.g. CONNACK refused) on failure. */
    public static FakeNode connect(final String tenant, final String node, final MqttCredentials credentials) {
        return connect(tenant, node, credentials, credentials.clientId(), null, null);
    }

    /**
     * Connects with a chosen client identifier and an optional Will (topic and payload).
     */
    public static FakeNode connect(
            final String tenant,
            final String node,
            final MqttCredentials credentials,
            final String clientId,
            final @Nullable String willTopic,
            final byte @Nullable [] willPayload) {
        final URI uri = URI.create(credentials.serverUri());
        final Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .serverHost(uri.getHost())
                .serverPort(uri.getPort())
                .buildBlocking();
        final FakeNode fake = new FakeNode(client, tenant, node);
        Mqtt5ConnectBuilder.Send<?> connect = client.connectWith()
                .cleanStart(true)
                .simpleAuth()
                .username(credentials.username())
                .password(credentials.password().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth();
        if (willTopic != null) {
            connect = connect.willPublish()
                    .topic(willTopic)
                    .payload(willPayload)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true)
                    .applyWillPublish();
        }
        connect.send();
        return fake;
    }

    public String topic(final Topics.Channel channel) {
        return Topics.topic(tenant, node, channel);
    }

    /** Publishes at QoS 1 and waits for the PUBACK; throws {@code Mqtt5PubAckException} when refused. */
    public void publish(final String topic, final byte[] payload) {
        client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload)
                .send();
    }

    public void publish(final Topics.Channel channel, final byte[] payload) {
        publish(topic(channel), payload);
    }

    /** Subscribes at QoS 1; throws {@code Mqtt5SubAckException} when every filter is refused. */
    public Mqtt5SubAck subscribe(final String topicFilter) {
        return client.subscribeWith()
                .topicFilter(topicFilter)
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
    }

    /**
     * Subscribes to this node's desired topic and returns the document the broker delivers first (the retained
     * one); fails when none arrives within 10 s.
     */
    public DesiredDocument awaitDesired() throws InterruptedException {
        subscribe(topic(Topics.Channel.DESIRED));
        final Mqtt5Publish desired = received.poll(10, TimeUnit.SECONDS);
        if (desired == null) {
            throw new AssertionError("no desired document arrived on " + topic(Topics.Channel.DESIRED) + " in 10 s");
        }
        return TestMessages.CODEC.decode(desired.getPayloadAsBytes(), MessageType.DESIRED);
    }

    public BlockingQueue<Mqtt5Publish> received() {
        return received;
    }

    public boolean isConnected() {
        return client.getState().isConnected();
    }

    /** Disconnects so that the broker publishes the Will (MQTT 5, reason code 0x04). */
    public void dropWithWill() {
        client.disconnectWith()
                .reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
                .send();
    }

    @Override
    public void close() {
        try {
            client.disconnect();
        } catch (final MqttClientStateException e) {
            // The broker disconnected it already (e.g. after a refused PUBLISH).
        }
    }
}
