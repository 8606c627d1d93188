package dev.baton.bench;

import dev.baton.bench.fleet.FleetBenchmarkRun;
import dev.baton.bench.fleet.FleetOptions;

/**
 * One hub, N simulated agents (real MQTT connections from this JVM, see {@code fleet/SimulatedAgent}), and one change
 * to all of them: how fast the fleet enrolls and connects, how long the N {@code PUT …/desired} take to issue, and
 * how long from the first PUT until the hub's API shows every node with the new generation observed — with per-node
 * percentiles, CPU of hub and load generator, memory, and the machine's load.
 *
 * <pre>
 * mvn -q -B -o -pl hardware-tests test-compile
 * mvn -q -B -o -pl hardware-tests exec:exec -Dbench=FleetBenchmark -Dbench.args="1000 [REPEATS] [hub=launcher] …"
 * </pre>
 *
 * <p>{@code exec:exec} runs what {@code test-compile} last built: compile again after every change. The first round
 * runs on cold JITs in hub and load generator (on 2 cores the compiler threads take seconds of CPU for several
 * rounds), so give REPEATS of 3 or more and read the later rounds for the steady state.
 *
 * <p>{@code hub=launcher} runs {@code bin/baton-hub} as its own process (build it first: {@code mvn -q -B -o -pl hub
 * package -DskipTests}), so that its CPU time and memory are measured apart from the load generator's; its JVM
 * options come from {@code BATON_HUB_JAVA_OPTS}. Every agent costs one socket on each side: in-process, N agents hold
 * 2N descriptors in one JVM, so beyond about 9,000 agents on a machine with {@code ulimit -n} 20,000 use the
 * launcher. Other options: see {@link FleetOptions#parse}.
 */
public final class FleetBenchmark {

    public static void main(final String[] args) throws Exception {
        try {
            new FleetBenchmarkRun(FleetOptions.parse(args), System.out).run();
        } catch (final Exception e) {
            // HiveMQ CE installs a default uncaught-exception handler that logs into the hub's log: say it here.
            System.err.println("FleetBenchmark failed: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
    }

    private FleetBenchmark() {}
}
