package dev.baton.adapters.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EngineEndpointTest {

    @Test
    void withoutDockerHostTheEngineIsDockersDefaultSocket() {
        assertThat(EngineEndpoint.fromEnvironment(Map.of()))
                .isEqualTo(new EngineEndpoint.Unix(Path.of("/var/run/docker.sock")))
                .hasToString("unix:///var/run/docker.sock");
        assertThat(EngineEndpoint.fromEnvironment(Map.of("DOCKER_HOST", ""))).isEqualTo(EngineEndpoint.DEFAULT);
    }

    @ParameterizedTest(name = "DOCKER_HOST={0} is {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            unix:///run/user/1000/podman/podman.sock | unix:///run/user/1000/podman/podman.sock
            tcp://127.0.0.1:2375                     | tcp://127.0.0.1:2375
            tcp://engine.local                       | tcp://engine.local:2375
            tcp://[::1]:2375/                        | tcp://[::1]:2375
            """)
    void dockerHostIsReadAsDockerClientsReadIt(final String dockerHost, final String expected) {
        assertThat(EngineEndpoint.fromEnvironment(Map.of("DOCKER_HOST", dockerHost)))
                .hasToString(expected);
    }

    @Test
    void tcpEndpointKeepsHostAndPort() {
        assertThat(EngineEndpoint.parse("tcp://[::1]:2376")).isEqualTo(new EngineEndpoint.Tcp("::1", 2376));
    }

    @ParameterizedTest(name = "DOCKER_HOST={0} is refused: {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            /var/run/docker.sock             | DOCKER_HOST="/var/run/docker.sock" must be unix:///path/to/socket or tcp://host:port
            unix://docker.sock               | DOCKER_HOST="unix://docker.sock" must name an absolute socket path
            ssh://me@host                    | uses ssh://, which is not supported
            npipe:////./pipe/docker_engine   | uses npipe://, which is not supported
            tcp://host:0                     | has port 0; it must be from 1 to 65535
            tcp://host:2375/engine           | must be tcp://host:port, with nothing after the port
            tcp://user@host:2375             | must be tcp://host:port, with nothing after the port
            """)
    void unusableDockerHostIsRefusedNamingItsValue(final String dockerHost, final String expectedMessage) {
        assertThatThrownBy(() -> EngineEndpoint.fromEnvironment(Map.of("DOCKER_HOST", dockerHost)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expectedMessage);
    }

    @Test
    void tlsIsRefusedRatherThanSpokenInPlainText() {
        assertThatThrownBy(() -> EngineEndpoint.fromEnvironment(
                        Map.of("DOCKER_HOST", "tcp://10.0.0.5:2376", "DOCKER_TLS_VERIFY", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("DOCKER_TLS_VERIFY is set, but TLS to the engine is not supported");
    }
}
