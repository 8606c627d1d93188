package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.baton.cli.BatonCli;
import dev.baton.hub.testing.FakeNode;
import dev.baton.hub.testing.HubApi;
import dev.baton.hub.testing.SharedHub;
import dev.baton.hub.testing.TestMessages;
import dev.baton.protocol.ComponentState;
import dev.baton.protocol.EnrollmentRequest;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.Topics;
import dev.baton.protocol.testing.Fixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code baton} CLI against a real hub, run in-process with captured output. */
@ExtendWith(SharedHub.class)
class BatonCliTest {

    /** One CLI run. */
    record Run(int exitCode, String out, String err) {}

    @TempDir
    Path tmp;

    private String hubUrl;
    private String token;

    @BeforeEach
    void locate(final BatonHub hub) {
        hubUrl = "http://127.0.0.1:" + hub.httpPort();
        token = hub.adminToken();
    }

    @Test
    void tokenCreatePrintsOnlyTheTokenAndItEnrollsANodeWithTheLabels(final HubApi api) {
        final Run run = cli("token", "create", "--expires", "30m", "--max-uses", "2", "--label", "site=lab");

        assertThat(run.exitCode()).as(run.err()).isZero();
        final String printed = run.out().strip();
        assertThat(printed).startsWith("bt_").doesNotContain("\n");
        assertThat(api.enroll(new EnrollmentRequest(printed, "cli-enrolled", Map.of(), null))
                        .status())
                .isEqualTo(201);
        assertThat(api.node("cli-enrolled").get("labels").get("site").asText()).isEqualTo("lab");
    }

    @Test
    void desiredSetPrintsTheNewGenerationAndDesiredGetPrintsTheDocument() throws IOException {
        final Path file = tmp.resolve("desired.json");
        Files.writeString(file, Fixtures.text("desired-spec.json"));

        final Run set = cli("desired", "set", "cli-desired", file.toString());
        final Run stale = cli("desired", "set", "cli-desired", file.toString(), "--if-generation", "0");
        final Run got = cli("desired", "get", "cli-desired");

        assertThat(set.exitCode()).as(set.err()).isZero();
        assertThat(set.out().strip()).isEqualTo("generation 1");
        assertThat(stale.exitCode()).isEqualTo(1);
        assertThat(stale.err()).contains("is at generation 1, not 0");
        assertThat(got.exitCode()).isZero();
        final JsonNode document = json(got.out());
        assertThat(document.get("generation").asLong()).isEqualTo(1);
        assertThat(document.get("node").asText()).isEqualTo("cli-desired");
    }

    @Test
    void nodesAndNodePrintTablesWithTheStatesANodeReported(final HubApi api) {
        final EnrollmentResponse enrolled = api.enroll("cli-shown");
        api.putDesired("cli-shown", "{\"components\": []}");
        api.putDesired("cli-shown", "{\"components\": []}");
        api.putDesired("cli-shown", "{\"components\": []}");
        final Run nodes;
        final Run node;
        try (FakeNode agent = FakeNode.connect("default", "cli-shown", enrolled.mqtt())) {
            agent.publish(Topics.Channel.STATUS, TestMessages.birth("boot-cli-shown", 3));
            agent.publish(Topics.Channel.REPORTED, TestMessages.goldenReported());
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                final JsonNode shown = api.node("cli-shown");
                return shown.get("online").asBoolean()
                        && shown.get("reported").get("components").size() == 2;
            });

            nodes = cli("nodes");
            node = cli("node", "cli-shown");
        }

        assertThat(nodes.exitCode()).as(nodes.err()).isZero();
        final List<String> lines = nodes.out().lines().toList();
        assertThat(lines.get(0)).matches("NAME +ONLINE +DESIRED +OBSERVED +IN-SYNC +HEALTHY/TOTAL +LAST-SEEN");
        assertThat(lines).anyMatch(line -> line.matches("cli-shown +yes +3 +3 +yes +1/2 +\\S+"));
        assertThat(node.exitCode()).as(node.err()).isZero();
        assertThat(node.out()).contains("Node:      default/cli-shown").contains("generation 3 (in sync)");
        assertThat(node.out()).contains("Online:    yes");
        assertThat(node.out().lines().toList())
                .contains("NAME        KIND     STATE    MESSAGE")
                .anyMatch(line -> line.matches("collector +process +failed +cannot start /usr/bin/collector.*"));
    }

    @Test
    void nodeShowsARollbackAndThePlanOfTheLastDocument(final HubApi api) {
        final EnrollmentResponse enrolled = api.enroll("cli-rolled");
        final Run node;
        try (FakeNode agent = FakeNode.connect("default", "cli-rolled", enrolled.mqtt())) {
            agent.publish(Topics.Channel.STATUS, TestMessages.birth("boot-cli-rolled", 8));
            agent.publish(Topics.Channel.REPORTED, dev.baton.protocol.testing.Fixtures.bytes("reported-plan.json"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> api.node("cli-rolled").get("reported").has("plan"));
            node = cli("node", "cli-rolled");
        }

        assertThat(node.exitCode()).as(node.err()).isZero();
        assertThat(node.out().lines().toList())
                .contains("Rolled back: generation 8 failed (api: not healthy within 60 s); returned to generation 6")
                .contains("Plan of generation 8: 3 unchanged")
                .contains("  update api (process): spec changed");
    }

    @Test
    void globalOptionsMayAlsoFollowTheCommand() {
        final CommandLine commandLine = BatonCli.commandLine();
        final StringWriter out = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(new StringWriter()));

        final int exit = commandLine.execute("nodes", "--json", "--hub", hubUrl, "--token", token);

        assertThat(exit).isZero();
        assertThat(json(out.toString()).get("items").isArray()).isTrue();
    }

    @Test
    void waitReturnsOnceTheNodeRunsItsDesiredStateAndFailsAtOnceOnAFailedComponent(final HubApi api) {
        final EnrollmentResponse enrolled = api.enroll("cli-wait");
        api.putDesired("cli-wait", Fixtures.text("desired-spec.json"));
        try (FakeNode node = FakeNode.connect("default", "cli-wait", enrolled.mqtt())) {
            node.publish(Topics.Channel.REPORTED, TestMessages.reported(1, 1, "motd", "wrote 17 bytes"));

            final Run converged = cli("wait", "cli-wait", "--timeout", "10s");

            assertThat(converged.exitCode()).as(converged.err()).isZero();
            assertThat(converged.out()).contains("node cli-wait runs desired generation 1");

            api.putDesired("cli-wait", "{\"components\": []}");
            api.putDesired("cli-wait", "{\"components\": []}");
            node.publish(Topics.Channel.REPORTED, TestMessages.goldenReported());
            final Run failed = cli("wait", "cli-wait", "--timeout", "10s");

            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(failed.err()).contains("component collector failed: cannot start /usr/bin/collector");
        }
    }

    @Test
    void waitEndsAtOnceWhenTheNodeSettledWithARolledBackComponent(final HubApi api) {
        final EnrollmentResponse enrolled = api.enroll("cli-wait-rollback");
        api.putDesired("cli-wait-rollback", Fixtures.text("desired-spec.json"));
        try (FakeNode node = FakeNode.connect("default", "cli-wait-rollback", enrolled.mqtt())) {
            node.publish(
                    Topics.Channel.REPORTED,
                    TestMessages.reported(
                            1, 1, "motd", ComponentState.ROLLED_BACK, "generation 0 kept after generation 1 failed"));

            final Run run = cli("wait", "cli-wait-rollback", "--timeout", "60s");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err())
                    .contains("worked through desired generation 1 but component motd is rolled-back: generation 0"
                            + " kept after generation 1 failed");
        }
    }

    @Test
    void aRefusalPrintsTheHubsMessageAndExits1() {
        final Run run = cli("node", "nobody-here");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("node 'nobody-here' does not exist in tenant 'default'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnreachableHubExits2() throws IOException {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }

        final Run run = run("--hub", "http://127.0.0.1:" + closedPort, "--token", token, "nodes");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cannot reach the hub at http://127.0.0.1:" + closedPort);
    }

    @Test
    void theTokenMayComeFromAFile() throws IOException {
        final Path file = tmp.resolve("admin.token");
        Files.writeString(file, token + "\n");

        final Run run = run("--hub", hubUrl, "--token-file", file.toString(), "nodes");
        final Run missing =
                run("--hub", hubUrl, "--token-file", tmp.resolve("nope").toString(), "nodes");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("does not exist");
    }

    @Test
    void bothCommandsPrintTheirOwnNameWithTheVersion() {
        final StringWriter hubOut = new StringWriter();
        final CommandLine hubMain = new CommandLine(new HubMain());
        hubMain.setOut(new PrintWriter(hubOut));

        final Run baton = run("--version");
        final int hubExit = hubMain.execute("--version");

        assertThat(baton.exitCode()).isZero();
        assertThat(baton.out()).startsWith("baton ").doesNotStartWith("baton-hub");
        assertThat(hubExit).isZero();
        assertThat(hubOut.toString()).startsWith("baton-hub ");
    }

    @Test
    void artifactUploadPrintsTheSha256ListShowsItAndDeleteRemovesIt() throws Exception {
        final Path file = tmp.resolve("server-1.0.tar.gz");
        final byte[] content = new byte[200_000];
        new Random(7).nextBytes(content);
        Files.write(file, content);
        final String sha256 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));

        final Run upload = cli("artifact", "upload", file.toString(), "--name", "server 1.0");
        final Run list = cli("artifact", "list");

        assertThat(upload.exitCode()).as(upload.err()).isZero();
        assertThat(upload.out().strip()).isEqualTo(sha256);
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("SHA256").contains(sha256 + "  200000  server 1.0");

        final Run delete = cli("artifact", "delete", sha256);
        final Run after = cli("artifact", "list", "--json");

        assertThat(delete.exitCode()).as(delete.err()).isZero();
        assertThat(delete.out().strip()).isEqualTo("deleted " + sha256);
        assertThat(after.out()).doesNotContain(sha256);
    }

    @Test
    void artifactUploadWithoutNameUsesTheFileNameAndUploadingTwiceIsFine() throws IOException {
        final Path file = tmp.resolve("tool.bin");
        Files.writeString(file, "a tool, uploaded twice");

        final Run first = cli("artifact", "upload", file.toString());
        final Run second = cli("artifact", "upload", file.toString(), "--json");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(json(second.out()).get("sha256").asText())
                .isEqualTo(first.out().strip());
        assertThat(cli("artifact", "list").out()).contains("tool.bin");
    }

    @Test
    void artifactDeleteIsRefusedWhileADesiredStateNamesItAndBadInputIsRefusedLocally() throws IOException {
        final Path file = tmp.resolve("in-use.bin");
        Files.writeString(file, "named by a desired state");
        final String sha256 = cli("artifact", "upload", file.toString()).out().strip();
        final Path desired = tmp.resolve("desired.json");
        Files.writeString(
                desired,
                "{\"components\": [{\"name\": \"web\", \"kind\": \"service\", \"properties\": {\"artifact\": \""
                        + sha256 + "\", \"command\": [\"bin/server\"]}}]}");
        assertThat(cli("desired", "set", "cli-artifact-user", desired.toString())
                        .exitCode())
                .isZero();

        final Run inUse = cli("artifact", "delete", sha256);
        final Run badSha = cli("artifact", "delete", "not-a-sha");
        final Run missingFile =
                cli("artifact", "upload", tmp.resolve("absent.bin").toString());

        assertThat(inUse.exitCode()).isEqualTo(1);
        assertThat(inUse.err()).contains("cli-artifact-user").contains("change their desired state first");
        assertThat(badSha.exitCode()).isEqualTo(1);
        assertThat(badSha.err()).contains("SHA256 must be 64 lower-case hex digits, but was 'not-a-sha'");
        assertThat(missingFile.exitCode()).isEqualTo(1);
        assertThat(missingFile.err()).contains("does not exist");
    }

    private Run cli(final String... args) {
        final List<String> all = new ArrayList<>(List.of("--hub", hubUrl, "--token", token));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    private static Run run(final String... args) {
        final CommandLine commandLine = BatonCli.commandLine();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        final int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static JsonNode json(final String text) {
        try {
            return new JsonMapper().readTree(text);
        } catch (final IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
