package dev.baton.hub.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.baton.hub.HubStartException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The hub's MQTT link against a broker that is not there. */
class HubMqttLinkTest {

    @Test
    void aLinkThatCannotReachTheBrokerStopsReconnectingOnceStartGivesUp() throws IOException {
        final HubMqttLink link =
                new HubMqttLink(new MqttEndpoint("127.0.0.1", closedPort(), "hub-test", null, null), "hubs");

        assertThatThrownBy(() -> link.start(Mqtt5Publish::acknowledge, Duration.ofMillis(800)))
                .isInstanceOfSatisfying(HubStartException.class, e -> assertThat(e.reason())
                        .isEqualTo(HubStartException.Reason.MQTT_UNAVAILABLE))
                .hasMessageContaining("cannot reach the MQTT broker at tcp://127.0.0.1:");

        // Before the fix the client stayed in DISCONNECTED_RECONNECT / CONNECTING_RECONNECT for ever.
        await().atMost(Duration.ofSeconds(2)).until(link::state, state -> state == MqttClientState.DISCONNECTED);
        assertThat(link.isConnected()).isFalse();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
