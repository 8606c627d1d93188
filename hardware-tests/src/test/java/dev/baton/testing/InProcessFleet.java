package dev.baton.testing;

import dev.baton.agent.AgentConfig;
import dev.baton.agent.BatonAgent;
import dev.baton.agent.Enrollment;
import dev.baton.hub.BatonHub;
import dev.baton.hub.HubConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A hub with its embedded broker and SQLite store, and agents enrolled with it, all in this JVM on loopback with
 * ephemeral ports. {@link #close()} stops the agents, then the hub.
 */
public final class InProcessFleet implements AutoCloseable {

    private final Path directory;
    private final BatonHub hub;
    private final HubApi api;
    private final List<BatonAgent> agents = new ArrayList<>();

    private InProcessFleet(final Path directory, final BatonHub hub) {
        this.directory = directory;
        this.hub = hub;
        this.api = new HubApi(URI.create("http://127.0.0.1:" + hub.httpPort()), hub.adminToken());
    }

    /** Starts a hub with its data under {@code directory}/hub. */
    public static InProcessFleet start(final Path directory) {
        return new InProcessFleet(
                directory,
                BatonHub.start(HubConfig.builder()
                        .dataDir(directory.resolve("hub"))
                        .httpHost("127.0.0.1")
                        .httpPort(0)
                        .mqttHost("127.0.0.1")
                        .mqttPort(0)
                        .build()));
    }

    public HubApi api() {
        return api;
    }

    public BatonHub hub() {
        return hub;
    }

    /** Enrolls {@code node} with a fresh token; its data directory is {@code agent-<node>} beside the hub's. */
    public AgentConfig enroll(final String node) {
        return Enrollment.builder()
                .hubUrl(api.base().toString())
                .token(api.createEnrollmentToken())
                .node(node)
                .dataDirectory(directory.resolve("agent-" + node))
                .build()
                .enroll();
    }

    public BatonAgent startAgent(final AgentConfig config) {
        final BatonAgent agent = BatonAgent.start(config);
        agents.add(agent);
        return agent;
    }

    @Override
    public void close() {
        for (int i = agents.size() - 1; i >= 0; i--) {
            agents.get(i).close();
        }
        hub.close();
    }
}
