package dev.baton.adapters.host.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.discovery.HostFactsSource;
import dev.baton.protocol.Limits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The facts of the machine the tests run on, checked against independent sources rather than fixed values. */
class HostFactsOnThisHostTest {

    private static final boolean LINUX = System.getProperty("os.name").startsWith("Linux");

    private static HostFactsSource loaded() {
        final var sources = ServiceLoader.load(HostFactsSource.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
        assertThat(sources).hasSize(1).first().isInstanceOf(SystemHostFacts.class);
        return sources.get(0);
    }

    @Test
    void serviceLoaderFindsTheSystemFactsAndTheyDescribeThisHost() throws Exception {
        final ObjectNode facts = loaded().collect();

        assertThat(facts.get("architecture").asText())
                .isEqualTo(SystemHostFacts.architecture(System.getProperty("os.arch")))
                .isNotBlank();
        assertThat(facts.get("cpu").get("logicalProcessors").asInt()).isPositive();
        assertThat(facts.get("memory").get("totalBytes").asLong()).isPositive();
        assertThat(facts.get("hostname").asText()).isNotBlank();
        assertThat(facts.get("network")).anySatisfy(entry -> {
            assertThat(entry.get("loopback").asBoolean()).isTrue();
            assertThat(entry.get("ipv4").toString()).contains("127.0.0.1/8");
        });
        assertThat(facts.get("containers").has("present")).isTrue();
        assertThat(new ObjectMapper().writeValueAsBytes(facts).length).isLessThan(Limits.MAX_HOST_FACTS_BYTES);
    }

    @Test
    void onLinuxTheFactsAgreeWithUnameProcAndTheJvm() throws Exception {
        assumeThat(LINUX).as("Linux host").isTrue();
        final ObjectNode facts = loaded().collect();

        assertThat(facts.get("os").get("family").asText()).isEqualTo("linux");
        assertThat(facts.get("kernel").get("release").asText()).isEqualTo(command("uname", "-r"));
        assertThat(facts.get("hostname").asText()).isEqualTo(command("uname", "-n"));
        if (Files.isRegularFile(Path.of("/etc/os-release"))) {
            assertThat(Files.readString(Path.of("/etc/os-release")))
                    .contains(facts.get("os").get("id").asText());
        }
        assertThat(facts.get("cpu").get("logicalProcessors").asLong())
                .isEqualTo(Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                        .filter(l -> l.startsWith("processor"))
                        .count());
        final String memTotal = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(l -> l.startsWith("MemTotal:"))
                .findFirst()
                .orElseThrow();
        assertThat(facts.get("memory").get("totalBytes").asLong())
                .isEqualTo(Long.parseLong(memTotal.replaceAll("[^0-9]", "")) * 1024);
        assertThat(facts.get("disks")).anySatisfy(disk -> {
            assertThat(disk.get("mountPoint").asText()).isEqualTo("/");
            assertThat(disk.get("totalBytes").asLong())
                    .isEqualTo(Files.getFileStore(Path.of("/")).getTotalSpace());
        });
    }

    @Test
    void twoCollectionsInARowAreEqualSinceNothingThatChangesBySecondsIsCollected() {
        final HostFactsSource source = loaded();

        final ObjectNode first = source.collect();
        final ObjectNode second = source.collect();
        // Interfaces can come and go while other tests run containers; the rest must be stable.
        first.remove("network");
        second.remove("network");

        assertThat(second).isEqualTo(first);
    }

    private static String command(final String... command) throws Exception {
        final Process process =
                new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
