package dev.baton.agent.testing;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.Topics;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** A test MQTT client in the hub's place: subscribes to a node's topics, records what arrives, publishes. */
public final class MqttProbe implements AutoCloseable {

    /** One message received. */
    public record Received(String topic, byte[] payload, boolean retained) {}

    private static final MessageCodec CODEC = new MessageCodec();

    private final Mqtt5AsyncClient client;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private MqttProbe(final EmbeddedBroker broker) {
        client = Mqtt5Client.builder()
                .identifier("probe-" + UUID.randomUUID())
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildAsync();
        client.publishes(
                MqttGlobalPublishFilter.ALL,
                p -> received.add(new Received(p.getTopic().toString(), p.getPayloadAsBytes(), p.isRetain())));
        join(client.connect());
    }

    /** Connects and subscribes to every topic of the node. */
    public static MqttProbe watching(final EmbeddedBroker broker, final String tenant, final String node) {
        final MqttProbe probe = new MqttProbe(broker);
        probe.join(probe.client
                .subscribeWith()
                .topicFilter(Topics.nodePrefix(tenant, node) + "#")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send());
        return probe;
    }

    public void publish(final String topic, final byte[] payload, final boolean retain) {
        join(client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(retain)
                .payload(payload)
                .send());
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Every message on {@code channel}, decoded, in arrival order. */
    public <T> List<T> messages(final Topics.Channel channel, final MessageType<T> type) {
        return received.stream()
                .filter(r -> r.topic().endsWith("/" + channel.suffix()))
                .map(r -> CODEC.decode(r.payload(), type))
                .toList();
    }

    /** Waits until a message on {@code channel} matches, and returns it. */
    public <T> T await(final Topics.Channel channel, final MessageType<T> type, final Predicate<T> matching) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> messages(channel, type).stream().filter(matching).findFirst(), o -> o.isPresent())
                .orElseThrow();
    }

    @Override
    public void close() {
        client.disconnect()
                .orTimeout(5, TimeUnit.SECONDS)
                .exceptionally(e -> null)
                .join();
    }

    private <T> T join(final java.util.concurrent.CompletableFuture<T> future) {
        return future.orTimeout(10, TimeUnit.SECONDS).join();
    }
}
