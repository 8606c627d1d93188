package dev.baton.adapters.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.Observation;
import dev.baton.adapters.api.testing.RecordingContext;
import dev.baton.adapters.container.testing.ContainerSpecs;
import dev.baton.adapters.container.testing.PodmanEngine;
import dev.baton.adapters.container.testing.PodmanExtension;
import dev.baton.protocol.ComponentSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The provider against a real Podman serving the Docker Engine API on a unix socket. What the provider did is checked
 * with the podman CLI, an observer independent of the provider's own client.
 */
@ExtendWith(PodmanExtension.class)
class ContainerProviderPodmanTest {

    /** Test containers run busybox as PID 1, which ignores SIGTERM: a short grace keeps replacements quick. */
    private static final Duration TEST_GRACE = Duration.ofSeconds(1);

    private static final String IMAGE = PodmanEngine.BUSYBOX_IMAGE;

    private PodmanEngine podman;
    private RecordingContext context;
    private String name;

    @BeforeEach
    void setUp(final PodmanEngine podman) {
        this.podman = podman;
        this.context =
                new RecordingContext(podman.newNode(), "web", podman.directory().resolve("state"));
        this.name = ContainerProvider.containerName(context.node(), "web");
    }

    @Test
    void applyCreatesAndStartsALabelledContainerWithTheSpecsEnvAndLabels() {
        final ContainerProvider provider = provider();
        final ComponentSpec spec = spec(
                """
                {"image": "%s", "command": ["sleep", "300"], "env": {"GREETING": "hello"}, "labels": {"team": "vision"}}
                """
                        .formatted(IMAGE));

        final String result = provider.apply(spec, context);

        final JsonNode inspected = podman.inspect(name);
        assertThat(inspected).as("container %s", name).isNotNull();
        final String id = inspected.path("Id").asText();
        assertThat(result)
                .isEqualTo("created and started container " + name + " (" + id.substring(0, 12) + ") from " + IMAGE);
        assertThat(inspected.path("State").path("Running").asBoolean()).isTrue();
        assertThat(labels(inspected))
                .containsEntry("dev.baton.managed", "true")
                .containsEntry("dev.baton.node", context.node())
                .containsEntry("dev.baton.component", "web")
                .containsEntry("dev.baton.spec-hash", spec.specHash())
                .containsEntry("team", "vision");
        assertThat(strings(inspected.path("Config").path("Env"))).contains("GREETING=hello");
        assertThat(strings(inspected.path("Config").path("Cmd"))).containsExactly("sleep", "300");
        assertThat(provider.observe(spec, context)).isEqualTo(Observation.inSync());
    }

    @Test
    void reapplyingTheSameSpecLeavesTheRunningContainerUntouched() {
        final ContainerProvider provider = provider();
        final ComponentSpec spec = sleeper("{}");
        provider.apply(spec, context);
        final JsonNode before = podman.inspect(name);

        final String result = provider.apply(spec, context);

        final JsonNode after = podman.inspect(name);
        assertThat(after.path("Id").asText()).isEqualTo(before.path("Id").asText());
        assertThat(after.path("State").path("StartedAt").asText())
                .isEqualTo(before.path("State").path("StartedAt").asText());
        assertThat(result).isEqualTo("running as container " + name + " (" + shortId(after) + ")");
    }

    @Test
    void changedEnvReplacesTheContainerWithOneCarryingTheNewEnvAndHash() {
        final ContainerProvider provider = provider();
        final ComponentSpec oldSpec = sleeper("{\"MODE\": \"old\"}");
        final ComponentSpec newSpec = sleeper("{\"MODE\": \"new\"}");
        provider.apply(oldSpec, context);
        final String oldId = podman.inspect(name).path("Id").asText();

        assertThat(provider.observe(newSpec, context).detail())
                .startsWith("container " + name + " runs another spec (hash "
                        + oldSpec.specHash().substring(0, 12));
        final String result = provider.apply(newSpec, context);

        final JsonNode replacement = podman.inspect(name);
        assertThat(replacement.path("Id").asText()).isNotEqualTo(oldId);
        assertThat(podman.inspect(oldId)).as("the old container").isNull();
        assertThat(strings(replacement.path("Config").path("Env")))
                .contains("MODE=new")
                .doesNotContain("MODE=old");
        assertThat(labels(replacement)).containsEntry("dev.baton.spec-hash", newSpec.specHash());
        assertThat(replacement.path("State").path("Running").asBoolean()).isTrue();
        assertThat(result)
                .isEqualTo("replaced container " + oldId.substring(0, 12) + " (spec changed): created and started"
                        + " container " + name + " (" + shortId(replacement) + ") from " + IMAGE);
        assertThat(provider.observe(newSpec, context)).isEqualTo(Observation.inSync());
    }

    @Test
    void containerKilledOutsideTheAgentIsDriftWithExitCodeAndOutputAndApplyStartsItAgain() {
        final ContainerProvider provider = provider();
        final ComponentSpec spec = spec(
                """
                {"image": "%s", "command": ["sh", "-c", "echo ready; echo warming up >&2; exec sleep 300"]}
                """
                        .formatted(IMAGE));
        provider.apply(spec, context);
        final String id = podman.inspect(name).path("Id").asText();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> podman.podman("logs", name).contains("warming up"));

        podman.podman("kill", name);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> !provider.observe(spec, context).synced());
        final Observation drift = provider.observe(spec, context);
        assertThat(drift.detail())
                .startsWith("container " + name + " exited with code 137 at ")
                .endsWith("; last output: \"ready | warming up\"");

        final String result = provider.apply(spec, context);

        assertThat(result)
                .startsWith("started container " + name + " (" + id.substring(0, 12) + "), which exited"
                        + " with code 137");
        assertThat(podman.inspect(name).path("Id").asText()).isEqualTo(id);
        assertThat(podman.inspect(name).path("State").path("Running").asBoolean())
                .isTrue();
        assertThat(provider.observe(spec, context)).isEqualTo(Observation.inSync());
    }

    @Test
    void aNewProviderAdoptsTheRunningContainerWithoutRecreatingIt() {
        final ComponentSpec spec = sleeper("{\"MODE\": \"adopt\"}");
        try (ContainerProvider first = provider()) {
            first.apply(spec, context);
        }
        final JsonNode before = podman.inspect(name);

        // The agent restarted: a new provider, nothing carried over but the engine's state.
        final ContainerProvider second = provider();
        assertThat(second.observe(spec, context)).isEqualTo(Observation.inSync());
        final String result = second.apply(spec, context);

        final JsonNode after = podman.inspect(name);
        assertThat(after.path("Id").asText()).isEqualTo(before.path("Id").asText());
        assertThat(after.path("State").path("StartedAt").asText())
                .isEqualTo(before.path("State").path("StartedAt").asText());
        assertThat(result).startsWith("running as container " + name);
    }

    @Test
    void removeStopsAndDeletesTheContainerAndRemovingAgainSucceeds() {
        final ContainerProvider provider = provider();
        final ComponentSpec spec = sleeper("{}");
        provider.apply(spec, context);
        final String id = podman.inspect(name).path("Id").asText();

        provider.remove(spec, context);

        assertThat(podman.inspect(id)).isNull();
        assertThat(provider.observe(spec, context).detail()).isEqualTo("container " + name + " does not exist");
        provider.remove(spec, context);
        assertThat(podman.containersOf(context.node())).isEmpty();
    }

    @Test
    void imageThatIsNotPresentAndCannotBePulledFailsSayingSoAndCreatesNothing() {
        final ContainerProvider provider = provider();
        // "localhost" is a registry on this host's port 443, where nothing listens.
        final ComponentSpec spec =
                spec("{\"image\": \"localhost/baton-test-absent:1\", \"command\": [\"sleep\", \"300\"]}");

        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComponentException.Reason.APPLY_FAILED))
                .hasMessageStartingWith("image localhost/baton-test-absent:1 is not present on the engine at "
                        + podman.dockerHost() + " and could not be pulled: the registry is not reachable or refused"
                        + " it (")
                .hasMessageEndingWith("); check that this host reaches the registry and the reference is right, or"
                        + " load the image (docker load, podman load)");
        assertThat(podman.containersOf(context.node())).isEmpty();
    }

    @Test
    void pullNeverWithAnAbsentImageFailsWithoutTryingTheRegistry() {
        final ContainerProvider provider = provider();
        final ComponentSpec spec = spec("{\"image\": \"localhost/baton-test-absent:1\", \"pull\": \"never\"}");

        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOf(ComponentException.class)
                .hasMessage("image localhost/baton-test-absent:1 is not present on the engine at " + podman.dockerHost()
                        + ", and property 'pull' is \"never\": load it (docker load, podman load) or allow pulling");
    }

    @Test
    void pullAlwaysFallsBackToTheLocalImageWhenTheRegistryIsUnreachable() {
        final ContainerProvider provider = provider();
        final ComponentSpec spec = spec(
                """
                {"image": "%s", "command": ["sleep", "300"], "pull": "always"}""".formatted(IMAGE));

        final String result = provider.apply(spec, context);

        assertThat(result)
                .startsWith("could not pull image " + IMAGE + " (")
                .contains("), so used the local copy; created and started container " + name);
        assertThat(podman.inspect(name).path("State").path("Running").asBoolean())
                .isTrue();
    }

    @Test
    void imagesOwnCommandRunsWhenTheSpecGivesNone() {
        final ContainerProvider provider = provider();
        final ComponentSpec spec = spec("{\"image\": \"%s\"}".formatted(IMAGE));

        provider.apply(spec, context);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(podman.podman("logs", name))
                .contains(PodmanEngine.IMAGE_DEFAULT_OUTPUT));
    }

    @Test
    void commandThatCannotStartFailsWithTheEnginesReason() {
        final ContainerProvider provider = provider();
        final ComponentSpec spec =
                spec("{\"image\": \"%s\", \"command\": [\"/bin/no-such-program\"]}".formatted(IMAGE));

        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComponentException.Reason.APPLY_FAILED))
                .hasMessageStartingWith("container " + name + " (")
                .hasMessageContaining(") could not be started: the engine could not start container ")
                .hasMessageContaining("/bin/no-such-program")
                .hasMessageEndingWith("; check the command, ports and devices of the spec");
    }

    @Test
    void containerWithoutTheManagedLabelIsNeverTouched() {
        podman.podman("create", "--name", name, "--label", "dev.baton.node=" + context.node(), IMAGE, "sleep", "300");
        final String foreignId = podman.inspect(name).path("Id").asText();
        final ContainerProvider provider = provider();
        final ComponentSpec spec = sleeper("{}");

        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOf(ComponentException.class)
                .hasMessage("a container named " + name + " exists that Baton does not manage (it lacks label"
                        + " dev.baton.managed=true), so the agent leaves it alone: remove or rename it (docker rm,"
                        + " podman rm) to let the component create its own");
        assertThat(provider.observe(spec, context).detail()).startsWith("a container named " + name + " exists that");
        provider.remove(spec, context);

        final JsonNode after = podman.inspect(name);
        assertThat(after.path("Id").asText()).isEqualTo(foreignId);
        assertThat(after.path("State").path("Status").asText()).isEqualTo("created");
    }

    @Test
    void unhealthyContainerIsDriftAndApplyRestartsIt() {
        final String image = podman.healthCheckedImage();
        final ContainerProvider provider = provider();
        final ComponentSpec spec = spec("{\"image\": \"%s\", \"command\": [\"sleep\", \"300\"]}".formatted(image));
        provider.apply(spec, context);
        final String startedAt =
                podman.inspect(name).path("State").path("StartedAt").asText();
        assertThat(provider.observe(spec, context)).isEqualTo(Observation.inSync());

        // /tmp/healthy does not exist, so the check fails; podman without systemd runs checks only when asked.
        podman.run("healthcheck", "run", name);

        assertThat(provider.observe(spec, context).detail())
                .isEqualTo("container " + name + " is unhealthy: its health check failed 1 time in a row");
        final String result = provider.apply(spec, context);

        assertThat(result)
                .startsWith("restarted container " + name + " (")
                .endsWith("), which is unhealthy: its" + " health check failed 1 time in a row");
        final JsonNode after = podman.inspect(name);
        assertThat(after.path("State").path("StartedAt").asText()).isNotEqualTo(startedAt);
        assertThat(after.path("State").path("Running").asBoolean()).isTrue();
        // Until its first check after the restart, its health is "starting", which is not drift.
        assertThat(provider.observe(spec, context)).isEqualTo(Observation.inSync());
    }

    @Test
    void publishedPortAnswersOnLoopback() throws IOException {
        final int hostPort = freePort();
        final ContainerProvider provider = provider();
        final ComponentSpec spec = spec(
                """
                {"image": "%s",
                 "command": ["sh", "-c", "mkdir -p /www && echo served-by-baton > /www/index.html && exec httpd -f -p 8080 -h /www"],
                 "ports": ["127.0.0.1:%d:8080"]}"""
                        .formatted(IMAGE, hostPort));

        provider.apply(spec, context);

        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(
                        httpGet(hostPort, "/index.html"))
                .contains("served-by-baton"));
    }

    @Test
    void volumesAndDevicesReachTheContainer() throws IOException {
        final Path shared = Files.createDirectories(podman.directory().resolve("volume-" + context.node()));
        Files.writeString(shared.resolve("config.txt"), "from-the-host");
        final ContainerProvider provider = provider();
        final ComponentSpec spec = spec(
                """
                {"image": "%s", "command": ["sleep", "300"],
                 "volumes": ["%s:/config:ro"],
                 "devices": ["/dev/zero:/dev/ttyBATON:rw"]}"""
                        .formatted(IMAGE, shared));

        provider.apply(spec, context);

        assertThat(podman.podman("exec", name, "cat", "/config/config.txt")).isEqualTo("from-the-host");
        assertThat(podman.run("exec", name, "touch", "/config/written").succeeded())
                .as("writing to a read-only volume")
                .isFalse();
        assertThat(podman.podman("exec", name, "sh", "-c", "test -c /dev/ttyBATON && echo char-device"))
                .contains("char-device");
    }

    @Test
    void missingDeviceFailsWithTheEnginesReasonNamingIt() {
        final ContainerProvider provider = provider();
        final ComponentSpec spec = spec(
                """
                {"image": "%s", "command": ["sleep", "300"], "devices": ["/dev/ttyBATONMISSING"]}"""
                        .formatted(IMAGE));

        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("the engine could not create container " + name)
                .hasMessageContaining("/dev/ttyBATONMISSING");
    }

    @Test
    void factoryFindsTheEngineThroughDockerHost() {
        final ContainerProvider provider = ContainerProviderFactory.create(Map.of("DOCKER_HOST", podman.dockerHost()));

        provider.apply(sleeper("{}"), context);

        assertThat(podman.inspect(name).path("State").path("Running").asBoolean())
                .isTrue();
    }

    private ContainerProvider provider() {
        return new ContainerProvider(podman.endpoint(), TEST_GRACE);
    }

    private static ComponentSpec spec(final String propertiesJson) {
        return ContainerSpecs.container("web", propertiesJson);
    }

    private static ComponentSpec sleeper(final String envJson) {
        return spec("{\"image\": \"%s\", \"command\": [\"sleep\", \"300\"], \"env\": %s}".formatted(IMAGE, envJson));
    }

    private static Map<String, String> labels(final JsonNode inspected) {
        final Map<String, String> labels = new java.util.HashMap<>();
        inspected
                .path("Config")
                .path("Labels")
                .properties()
                .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    private static List<String> strings(final JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }

    private static String shortId(final JsonNode inspected) {
        return inspected.path("Id").asText().substring(0, 12);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String httpGet(final int port, final String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            final InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
