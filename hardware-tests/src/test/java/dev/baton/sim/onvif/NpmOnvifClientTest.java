package dev.baton.sim.onvif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent ONVIF client, the npm package {@code onvif} (agsh/onvif), run by Node.js against the camera
 * simulator: it must authenticate with WS-Security as real cameras demand and read the device information and a
 * stream URI. This checks the simulator (and so what the handler is tested against) with code we did not write.
 * Runs in CI (CI=true) always; elsewhere it is skipped when npm or node is missing.
 */
class NpmOnvifClientTest {

    /** The version this test was written against; pinned so that a new release cannot change the result. */
    private static final String PACKAGE = "onvif@0.8.3";

    private static final Path CACHE = Path.of(System.getProperty("java.io.tmpdir"), "baton-npm-onvif");
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(60);

    private static final String CLIENT =
            """
            const [, , lib, hostname, port, username, password] = process.argv;
            const { Cam } = require(lib);
            const fail = (step, err) => {
              console.log(JSON.stringify({ step, error: String((err && err.message) || err) }));
              process.exit(2);
            };
            new Cam({ hostname, port: Number(port), username, password, timeout: 10000 }, function (err) {
              if (err) return fail('connect', err);
              const cam = this;
              cam.getDeviceInformation((err, info) => {
                if (err) return fail('getDeviceInformation', err);
                cam.getStreamUri({ protocol: 'RTSP' }, (err, stream) => {
                  if (err) return fail('getStreamUri', err);
                  console.log(JSON.stringify({ info, streamUri: stream.uri,
                    profiles: (cam.profiles || []).map(p => p.$.token) }));
                  process.exit(0);
                });
              });
            });
            """;

    @TempDir
    Path tmp;

    private OnvifCameraSimulator simulator;

    @BeforeAll
    static void installTheOnvifPackage() throws Exception {
        final boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        final boolean tools = works("npm", "--version") && works("node", "--version");
        if (!ci) {
            assumeTrue(tools, "npm and node (Node.js) are not installed; this test needs them");
        }
        assertThat(tools)
                .as("CI must have npm and node for the ONVIF interoperability test")
                .isTrue();
        Files.createDirectories(CACHE);
        try (RandomAccessFile lockFile =
                        new RandomAccessFile(CACHE.resolve(".lock").toFile(), "rw");
                FileLock ignored = lockFile.getChannel().lock()) {
            if (!Files.exists(library().resolve("package.json"))) {
                final Result install = run(
                        List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", CACHE.toString(), PACKAGE),
                        NPM_TIMEOUT);
                assertThat(install.exitCode())
                        .as("npm install %s failed:%n%s", PACKAGE, install.output())
                        .isZero();
            }
        }
    }

    @AfterEach
    void stopSimulator() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void theNpmOnvifClientAuthenticatesAndReadsDeviceInformationAndAStreamUri() throws Exception {
        final String password = "pw-" + UUID.randomUUID();
        final CameraSpec spec = CameraSpec.builder()
                .manufacturer("Acme Optics")
                .model("Bullet 4K")
                .firmwareVersion("5.7.3")
                .serialNumber("AC-0042")
                .hardwareId("HW-77")
                .credentials("operator", password)
                .build();
        simulator =
                OnvifCameraSimulator.builder().interfaceName("lo").camera(spec).start();
        final SimulatedCamera camera = simulator.cameras().get(0);

        final JsonNode answer = client(camera, "operator", password);

        assertThat(answer.has("error")).as("client failed: %s", answer).isFalse();
        final JsonNode info = answer.get("info");
        assertThat(info.get("manufacturer").asText()).isEqualTo("Acme Optics");
        assertThat(info.get("model").asText()).isEqualTo("Bullet 4K");
        assertThat(info.get("firmwareVersion").asText()).isEqualTo("5.7.3");
        assertThat(info.get("serialNumber").asText()).isEqualTo("AC-0042");
        assertThat(info.get("hardwareId").asText()).isEqualTo("HW-77");
        assertThat(answer.get("streamUri").asText())
                .isEqualTo(spec.profiles().get(0).streamUri());
        assertThat(answer.get("profiles"))
                .extracting(JsonNode::asText)
                .containsExactlyElementsOf(
                        spec.profiles().stream().map(ProfileSpec::token).toList());
        assertThat(simulator.refusedCredentials(spec.uuid())).isZero();
    }

    @Test
    void theNpmOnvifClientWithAWrongPasswordIsRefusedWithNotAuthorized() throws Exception {
        final CameraSpec spec =
                CameraSpec.builder().credentials("operator", "right-password").build();
        simulator =
                OnvifCameraSimulator.builder().interfaceName("lo").camera(spec).start();

        final JsonNode answer = client(simulator.cameras().get(0), "operator", "wrong-password");

        assertThat(answer.path("error").asText()).containsIgnoringCase("not authorized");
        assertThat(simulator.refusedCredentials(spec.uuid())).isPositive();
    }

    private JsonNode client(final SimulatedCamera camera, final String username, final String password)
            throws Exception {
        final Path script = tmp.resolve("client.js");
        Files.writeString(script, CLIENT);
        final Result result = run(
                List.of(
                        "node",
                        script.toString(),
                        library().toString(),
                        camera.deviceService().getHost(),
                        String.valueOf(camera.deviceService().getPort()),
                        username,
                        password),
                NODE_TIMEOUT);
        final List<String> lines =
                result.output().lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines)
                .as("node printed no JSON (exit %d):%n%s", result.exitCode(), result.output())
                .isNotEmpty();
        return OnvifHandlerHarness.JSON.readTree(lines.get(lines.size() - 1));
    }

    private static Path library() {
        return CACHE.resolve("node_modules").resolve("onvif");
    }

    private record Result(int exitCode, String output) {}

    private static Result run(final List<String> command, final Duration timeout) throws Exception {
        final Process process = new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        final byte[][] output = new byte[1][];
        final Thread reader = new Thread(() -> {
            try {
                output[0] = process.getInputStream().readAllBytes();
            } catch (final IOException e) {
                output[0] = new byte[0];
            }
        });
        reader.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            reader.join(5_000);
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
        }
        reader.join(5_000);
        return new Result(process.exitValue(), new String(output[0], StandardCharsets.UTF_8));
    }

    private static boolean works(final String... command) {
        try {
            final Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (final IOException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
