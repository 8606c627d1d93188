package dev.baton.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.agent.BatonAgent;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.DesiredSpec;
import dev.baton.protocol.ReconcilePolicy;
import dev.baton.testing.Desired;
import dev.baton.testing.HubApi;
import dev.baton.testing.InProcessFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 4's convergence figures: a 50-component document (40 files, 10 supervised processes, each process depending
 * on a file) applied from empty, and one file changed within it. Each figure is the time from {@code PUT …/desired}
 * to {@code GET …/nodes/{n}} showing the generation observed with every component healthy (or, for the teardown,
 * removed). For a one-component change the node's reported {@code plan} shows how many components the agent touched.
 * Hub, embedded broker and agent run in this JVM on loopback.
 *
 * <pre>
 * mvn -q -B -DskipTests install &amp;&amp; mvn -q -B -pl hardware-tests exec:exec -Dbench=ConvergenceBenchmark [-Dbench.args="5 20"]
 * (rounds from empty; one-component changes)
 * </pre>
 */
public final class ConvergenceBenchmark {

    private static final int FILES = 40;
    private static final int PROCESSES = 10;
    private static final long POLL_NANOS = 500_000;

    public static void main(final String[] args) throws Exception {
        final String[] words = String.join(" ", args).strip().split("\\s+");
        final int rounds = words.length > 0 && !words[0].isBlank() ? Integer.parseInt(words[0]) : 5;
        final int changes = words.length > 1 ? Integer.parseInt(words[1]) : 20;
        final Path dir = Files.createTempDirectory("baton-bench-convergence");
        try (InProcessFleet fleet = InProcessFleet.start(dir)) {
            final HubApi api = fleet.api();
            final BatonAgent agent = fleet.startAgent(fleet.enroll("bench"));
            agent.awaitConnected(Duration.ofSeconds(30));
            final long[] fromEmpty = new long[rounds];
            final long[] teardown = new long[rounds];
            for (int round = 0; round < rounds; round++) {
                final long started = System.nanoTime();
                final long generation = api.setDesired("bench", document(dir, contents("round " + round)));
                await(api, generation, FILES + PROCESSES);
                fromEmpty[round] = System.nanoTime() - started;
                final long cleared = System.nanoTime();
                await(api, api.setDesired("bench", new DesiredSpec(List.of(), ReconcilePolicy.DEFAULT)), 0);
                teardown[round] = System.nanoTime() - cleared;
            }
            final String[] steady = contents("steady");
            await(api, api.setDesired("bench", document(dir, steady)), FILES + PROCESSES);
            final long[] oneChange = new long[changes];
            final List<String> touched = new ArrayList<>();
            for (int i = 0; i < changes; i++) {
                final long started = System.nanoTime();
                steady[i % FILES] = "steady, change " + i;
                final long generation = api.setDesired("bench", document(dir, steady));
                final JsonNode node = await(api, generation, FILES + PROCESSES);
                oneChange[i] = System.nanoTime() - started;
                final JsonNode plan = node.get("reported").get("plan");
                touched.add(plan.get("steps").size() + " touched/"
                        + plan.get("unchanged").asInt() + " unchanged");
            }
            // Supervised processes outlive the agent by design: stop them before it closes.
            await(api, api.setDesired("bench", new DesiredSpec(List.of(), ReconcilePolicy.DEFAULT)), 0);
            Arrays.sort(fromEmpty);
            Arrays.sort(teardown);
            Arrays.sort(oneChange);
            System.out.printf(
                    "50 components (%d files, %d processes) from empty to all healthy at the hub, %d rounds:"
                            + " median %.0f ms, min %.0f ms, max %.0f ms; removing them all: median %.0f ms%n",
                    FILES,
                    PROCESSES,
                    rounds,
                    fromEmpty[rounds / 2] / 1e6,
                    fromEmpty[0] / 1e6,
                    fromEmpty[rounds - 1] / 1e6,
                    teardown[rounds / 2] / 1e6);
            System.out.printf(
                    "one file changed within the 50, %d changes: median %.1f ms, max %.1f ms; plans: %s%n",
                    changes,
                    oneChange[changes / 2] / 1e6,
                    oneChange[changes - 1] / 1e6,
                    touched.stream().distinct().toList());
        }
    }

    private static String[] contents(final String content) {
        final String[] contents = new String[FILES];
        Arrays.fill(contents, content);
        return contents;
    }

    /** 40 files with these contents and 10 processes, each depending on one of the files. */
    private static DesiredSpec document(final Path dir, final String[] contents) {
        final List<ComponentSpec> components = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            components.add(Desired.file("file-" + i, dir.resolve("out/file-" + i + ".conf"), contents[i]));
        }
        for (int i = 0; i < PROCESSES; i++) {
            components.add(Desired.process("proc-" + i, List.of("sleep", "100000" + i), "file-" + i));
        }
        return new DesiredSpec(components, ReconcilePolicy.DEFAULT);
    }

    private static JsonNode await(final HubApi api, final long generation, final int components) {
        final long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            final JsonNode node = api.node("bench");
            final JsonNode reported = node.get("reported");
            if (reported.get("observedGeneration").asLong() == generation && settled(reported, components)) {
                return node;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        throw new IllegalStateException("generation " + generation + " did not converge within 120 s");
    }

    /** Every component of the document healthy, and every other one removed. */
    private static boolean settled(final JsonNode reported, final int components) {
        int healthy = 0;
        for (final JsonNode component : reported.get("components")) {
            final String state = component.get("state").asText();
            if (state.equals("healthy")) {
                healthy++;
            } else if (!state.equals("removed")) {
                return false;
            }
        }
        return healthy == components;
    }

    private ConvergenceBenchmark() {}
}
