package dev.baton.agent.testing;

import dev.baton.agent.AgentConfig;
import dev.baton.agent.Backoff;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Agent configurations for tests: fast reconnects and retries, a given provider instead of the ServiceLoader's. */
public final class Agents {

    public static final String TENANT = "default";
    public static final Backoff FAST_RECONNECT = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), 0.2);
    public static final Backoff FAST_RETRY = new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 0.2);

    private Agents() {}

    public static AgentConfig.Builder config(
            final Path dataDirectory, final String serverUri, final String node, final RecordingProvider provider) {
        return AgentConfig.builder()
                .dataDirectory(dataDirectory)
                .tenant(TENANT)
                .node(node)
                .mqttServerUri(serverUri)
                .mqttPassword("secret-" + node)
                .reconnectBackoff(FAST_RECONNECT)
                .retryBackoff(FAST_RETRY)
                .providerFactories(List.of(provider.factory()));
    }
}
