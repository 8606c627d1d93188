package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpServer;
import dev.baton.protocol.EnrollmentRequest;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.MqttCredentials;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code baton-agent enroll} and {@code run} against a stand-in for the hub's enrollment endpoint. */
class AgentMainTest {

    private static final MessageCodec CODEC = new MessageCodec();

    @TempDir
    Path data;

    private HttpServer hub;
    private final List<EnrollmentRequest> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 201;
    private volatile byte[] answer;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startHub() throws IOException {
        hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/api/v1/enroll", exchange -> {
            final EnrollmentRequest request =
                    CODEC.decode(exchange.getRequestBody().readAllBytes(), MessageType.ENROLLMENT_REQUEST);
            requests.add(request);
            final byte[] body = answer != null
                    ? answer
                    : CODEC.encode(
                            new EnrollmentResponse(
                                    "default",
                                    request.node(),
                                    new MqttCredentials(
                                            "tcp://127.0.0.1:1883",
                                            "default." + request.node(),
                                            "default." + request.node(),
                                            "s3cret-password")),
                            MessageType.ENROLLMENT_RESPONSE);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        hub.start();
    }

    @AfterEach
    void stopHub() {
        hub.stop(0);
    }

    @Test
    void enrollWritesTheConfigurationAndThePrivateCredentialsFiles() throws Exception {
        final int exit = execute(
                "enroll",
                "--hub",
                hubUrl() + "/",
                "--token",
                "tok-123",
                "--data-dir",
                data.toString(),
                "--node",
                "edge-9",
                "--label",
                "site=berlin",
                "--label",
                "line=3");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("enrolled node edge-9 in tenant default")
                .contains("baton-agent run --data-dir " + data)
                .doesNotContain("s3cret");
        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.token()).isEqualTo("tok-123");
            assertThat(request.node()).isEqualTo("edge-9");
            assertThat(request.labels()).isEqualTo(Map.of("site", "berlin", "line", "3"));
            assertThat(request.hostname()).isNotBlank();
        });

        final JsonNode agentFile =
                JsonMapper.builder().build().readTree(data.resolve("agent.json").toFile());
        assertThat(agentFile.path("hub").asText()).isEqualTo(hubUrl());
        assertThat(agentFile.path("tenant").asText()).isEqualTo("default");
        assertThat(agentFile.path("node").asText()).isEqualTo("edge-9");
        assertThat(agentFile.path("mqtt").path("serverUri").asText()).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(agentFile.path("mqtt").path("clientId").asText()).isEqualTo("default.edge-9");
        assertThat(agentFile.path("mqtt").path("username").asText()).isEqualTo("default.edge-9");
        assertThat(agentFile.path("labels").path("site").asText()).isEqualTo("berlin");
        assertThat(Files.readString(data.resolve("agent.json"))).doesNotContain("s3cret");

        final Path secrets = data.resolve("secrets").resolve("mqtt.json");
        assertThat(Files.readString(secrets)).contains("\"password\" : \"s3cret-password\"");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets.getParent())))
                .isEqualTo("rwx------");

        final AgentConfig config = AgentConfig.fromDataDirectory(data).build();
        assertThat(config.mqttPassword()).isEqualTo("s3cret-password");
        assertThat(config.hubUrl())
                .hasValueSatisfying(uri -> assertThat(uri.toString()).isEqualTo(hubUrl()));
        assertThat(config.labels()).containsEntry("line", "3");
    }

    @Test
    void enrollPrintsTheHubsErrorAndExitsWithOneWhenTheHubRefuses() {
        status = 401;
        answer = "{\"error\":\"the enrollment token has expired\",\"reason\":\"token-expired\"}"
                .getBytes(StandardCharsets.UTF_8);

        final int exit = execute("enroll", "--hub", hubUrl(), "--token", "old", "--data-dir", data.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString())
                .contains("refused the enrollment (HTTP 401): the enrollment token has expired (token-expired)");
        assertThat(data.resolve("agent.json")).doesNotExist();
    }

    @Test
    void enrollExitsWithTwoWhenTheHubCannotBeReached() throws IOException {
        final int exit = execute(
                "enroll", "--hub", "http://127.0.0.1:" + closedPort(), "--token", "t", "--data-dir", data.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("cannot reach the hub at http://127.0.0.1:");
    }

    @Test
    void enrollRefusesAnInvalidNodeNameBeforeAskingTheHub() {
        final int exit =
                execute("enroll", "--hub", hubUrl(), "--token", "t", "--data-dir", data.toString(), "--node", "Edge_9");

        assertThat(exit).isEqualTo(AgentMain.EXIT_USAGE);
        assertThat(err.toString())
                .contains("node must be 1 to 63 lower-case letters")
                .contains("'Edge_9'");
        assertThat(requests).isEmpty();
    }

    @Test
    void runTakesItsConfigurationFromTheDataDirectoryWithFlagsOverridingIt() {
        assertThat(execute("enroll", "--hub", hubUrl(), "--token", "t", "--data-dir", data.toString(), "--node", "n1"))
                .isZero();

        final CommandLine.ParseResult parsed = AgentMain.commandLine()
                .parseArgs(
                        "run",
                        "--data-dir",
                        data.toString(),
                        "--mqtt-url",
                        "tcp://broker.example:8883",
                        "--reconcile-interval-seconds",
                        "5");
        final AgentMain.Run run =
                parsed.subcommand().commandSpec().commandLine().getCommand();
        final AgentConfig config = run.config();

        assertThat(config.node()).isEqualTo("n1");
        assertThat(config.mqttServerUri().toString()).isEqualTo("tcp://broker.example:8883");
        assertThat(config.reconcileInterval()).hasValue(Duration.ofSeconds(5));
        assertThat(config.mqttClientId()).isEqualTo("default.n1");
    }

    @Test
    void runExplainsHowToEnrollWhenTheDataDirectoryHasNoConfiguration() {
        final int exit = execute("run", "--data-dir", data.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("agent.json does not exist: enroll this node first");
    }

    private int execute(final String... args) {
        final CommandLine commandLine = AgentMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private String hubUrl() {
        return "http://127.0.0.1:" + hub.getAddress().getPort();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
