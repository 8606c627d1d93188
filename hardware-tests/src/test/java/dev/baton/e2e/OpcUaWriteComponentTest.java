package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.agent.AgentConfig;
import dev.baton.agent.Backoff;
import dev.baton.agent.BatonAgent;
import dev.baton.agent.Enrollment;
import dev.baton.hub.BatonHub;
import dev.baton.hub.HubConfig;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.DesiredSpec;
import dev.baton.protocol.ReconcilePolicy;
import dev.baton.sim.opcua.OpcUaServerSimulator;
import dev.baton.testing.HubApi;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code opcua-write} component end to end, in one JVM on loopback: hub, agent with its real {@code opcua}
 * discovery handler and provider (found through {@link java.util.ServiceLoader}), and the OPC UA simulator with
 * writable settings. The component names the server by the device id discovery gave it.
 */
class OpcUaWriteComponentTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void aDiscoveredServerSelectedByDeviceIdGetsItsValuesAndAChangeByAnotherClientIsRepaired() throws Exception {
        final OpcUaServerSimulator plc = OpcUaServerSimulator.builder()
                .applicationUri("urn:baton:e2e:plc-17")
                .folders(1)
                .variablesPerFolder(1)
                .writableSettings(true)
                .start();
        running.add(plc);
        final BatonHub hub = BatonHub.start(HubConfig.builder()
                .dataDir(tmp.resolve("hub"))
                .httpHost("127.0.0.1")
                .httpPort(0)
                .mqttHost("127.0.0.1")
                .mqttPort(0)
                .build());
        running.add(hub);
        final HubApi api = new HubApi(URI.create("http://127.0.0.1:" + hub.httpPort()), hub.adminToken());
        final AgentConfig config = Enrollment.builder()
                .hubUrl(api.base().toString())
                .token(api.createEnrollmentToken())
                .node("opcua-edge")
                .dataDirectory(tmp.resolve("agent"))
                .build()
                .enroll()
                .toBuilder()
                // The first apply may come before the first scan found the server: retry soon.
                .retryBackoff(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1), 0.1))
                .build();
        running.add(BatonAgent.start(config));

        final ObjectNode properties = (ObjectNode) JSON.readTree("{\"device\": \"opcua:urn:baton:e2e:plc-17\","
                + " \"writes\": [{\"nodeId\": \"" + plc.settingNodeId("Speed") + "\", \"value\": 1500, \"dataType\":"
                + " \"Int32\"}, {\"nodeId\": \"nsu=" + plc.namespaceUri() + ";s=Settings/Setpoint\", \"value\": 42.5,"
                + " \"dataType\": \"Double\", \"tolerance\": 0.01}]}");
        final ObjectNode discovery = (ObjectNode)
                JSON.readTree("{\"discoveryUrls\": [\"" + plc.discoveryUrl() + "\"], \"intervalSeconds\": 1}");
        api.setDesired(
                "opcua-edge",
                new DesiredSpec(
                        List.of(new ComponentSpec("line1-settings", "opcua-write", properties, List.of())),
                        Map.of("opcua", discovery),
                        new ReconcilePolicy(true, 1)));

        await().atMost(WAIT).until(() -> "healthy".equals(state(api)));
        assertThat(plc.setting("Speed")).isEqualTo(1500);
        assertThat(plc.setting("Setpoint")).isEqualTo(42.5);
        final JsonNode reported = component(api);
        assertThat(reported.toString()).contains(plc.discoveryUrl());

        // Another OPC UA client (an HMI, say) changes the speed.
        final OpcUaClient hmi = OpcUaClient.create(
                plc.discoveryUrl(),
                endpoints -> endpoints.stream()
                        .filter(endpoint -> SecurityPolicy.None.getUri().equals(endpoint.getSecurityPolicyUri()))
                        .findFirst(),
                transport -> {},
                client -> {});
        hmi.connect();
        try {
            final StatusCode status = hmi.writeValues(
                            List.of(NodeId.parse(plc.settingNodeId("Speed"))),
                            List.of(DataValue.valueOnly(Variant.ofInt32(7))))
                    .get(0);
            assertThat(status.isGood()).isTrue();
        } finally {
            hmi.disconnect();
        }
        assertThat(plc.setting("Speed")).isEqualTo(7);

        await().atMost(WAIT).until(() -> Integer.valueOf(1500).equals(plc.setting("Speed")));
        await().atMost(WAIT).until(() -> "healthy".equals(state(api)));
    }

    private static JsonNode component(final HubApi api) {
        final JsonNode reported = api.node("opcua-edge").path("reported").path("components");
        for (final JsonNode component : reported) {
            if ("line1-settings".equals(component.path("name").asText())) {
                return component;
            }
        }
        return JSON.createObjectNode();
    }

    private static String state(final HubApi api) {
        return component(api).path("state").asText("");
    }
}
