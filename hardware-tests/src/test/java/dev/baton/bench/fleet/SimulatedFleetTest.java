package dev.baton.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.hub.BatonHub;
import dev.baton.hub.HubConfig;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.testing.HubApi;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet benchmark's load generator against a real in-process hub: if simulated agents stopped speaking the
 * protocol the hub ingests, the benchmark would time nothing; this fails first.
 */
class SimulatedFleetTest {

    private static final int AGENTS = 3;

    @TempDir
    Path tmp;

    @Test
    void simulatedAgentsComeOnlineAndEachChangeToAllIsReportedAndShownConvergedByTheHub() throws Exception {
        try (BatonHub hub = BatonHub.start(HubConfig.builder()
                        .dataDir(tmp.resolve("hub"))
                        .bindHost("127.0.0.1")
                        .httpPort(0)
                        .mqttPort(0)
                        .build());
                FleetApi api = new FleetApi(URI.create("http://127.0.0.1:" + hub.httpPort()), hub.adminToken())) {
            final String token = api.createEnrollmentToken(AGENTS);
            final List<EnrollmentResponse> identities = new ArrayList<>();
            for (int i = 1; i <= AGENTS; i++) {
                identities.add(api.enroll(token, "sim-" + i, new Semaphore(1)).join());
            }
            final FleetCounters counters = new FleetCounters();
            try (SimulatedFleet fleet = new SimulatedFleet(identities, counters)) {
                final SimulatedFleet.ConnectResult connected = fleet.connect(2, Duration.ofSeconds(30));
                assertThat(connected.failed()).isZero();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> api.nodes().stream()
                                        .filter(FleetApi.NodeLine::online)
                                        .count()
                                == AGENTS);

                final FleetRound round =
                        new FleetRound(api, fleet.agents(), counters, FleetOptions.parse("3 timeoutSeconds=30"));
                for (int generation = 1; generation <= 2; generation++) {
                    final FleetRound.Result result = round.run(generation, FleetRound.change(generation));

                    assertThat(result.converged()).isEqualTo(AGENTS);
                    assertThat(result.allVisibleNanos()).isPositive();
                    // -1 marks a node without the figure.
                    assertThat(result.storedNanos()).hasSize(AGENTS).doesNotContain(-1L);
                    assertThat(result.reportAckedNanos()).hasSize(AGENTS).doesNotContain(-1L);
                }

                assertThat(counters.desiredReceivedCount()).isEqualTo(2 * AGENTS);
                assertThat(counters.reportsAckedCount()).isEqualTo(2 * AGENTS);
                assertThat(counters.disconnectedCount()).isZero();
                final JsonNode node =
                        new HubApi(URI.create("http://127.0.0.1:" + hub.httpPort()), hub.adminToken()).node("sim-2");
                assertThat(node.get("online").asBoolean()).isTrue();
                assertThat(node.get("agentVersion").asText()).isEqualTo(SimulatedAgent.AGENT_VERSION);
                assertThat(HubApi.converged(node, 2)).isTrue();
                assertThat(node.get("reported").get("components")).hasSize(1);
                assertThat(node.get("reported")
                                .get("components")
                                .get(0)
                                .get("name")
                                .asText())
                        .isEqualTo("fleet-config");
            }
        }
    }
}
