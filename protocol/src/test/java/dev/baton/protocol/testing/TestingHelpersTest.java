package dev.baton.protocol.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.DesiredSpec;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.ProtocolException;
import dev.baton.protocol.ReconcilePolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestingHelpersTest {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void freeLoopbackPortCanBeBoundOnLoopback() throws IOException {
        final int port = Ports.freeLoopbackPort();

        assertThat(port).isBetween(1, 65535);
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void desiredSpecJsonDecodesBackToTheSameSpec() {
        final ComponentSpec motd = new ComponentSpec(
                "motd",
                "file",
                JsonNodeFactory.instance.objectNode().put("path", "/tmp/a \"quoted\"\npath"),
                List.of());
        final DesiredSpec spec = new DesiredSpec(List.of(motd), new ReconcilePolicy(false, 300));

        final String json = DesiredSpecs.json(spec);

        assertThat(codec.decode(json.getBytes(StandardCharsets.UTF_8), MessageType.DESIRED_SPEC))
                .isEqualTo(spec);
        assertThat(codec.decode(DesiredSpecs.json(motd).getBytes(StandardCharsets.UTF_8), MessageType.DESIRED_SPEC))
                .isEqualTo(new DesiredSpec(List.of(motd), null));
    }

    @Test
    void desiredSpecJsonRefusesAnInvalidSpec() {
        final ComponentSpec badName =
                new ComponentSpec("Not A Label", "file", JsonNodeFactory.instance.objectNode(), List.of());

        assertThatThrownBy(() -> DesiredSpecs.json(badName)).isInstanceOf(ProtocolException.class);
    }
}
