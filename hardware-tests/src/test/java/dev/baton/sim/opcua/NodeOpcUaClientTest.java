package dev.baton.sim.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent OPC UA client, node-opcua (npm), against the simulator: it connects without security, reads the
 * build info, the namespace array and a variable, and browses, so that the simulator is known to speak OPC UA as
 * another stack understands it and not only as Milo does. node-opcua-client is installed once into
 * {@code ${java.io.tmpdir}/baton-npm-opcua} with npm; in CI (CI=true) a missing node or npm fails the test, on a
 * developer machine it skips it.
 */
class NodeOpcUaClientTest {

    /** The last release that still runs on Node 20 (later ones ask for Node 22.13). */
    static final String PACKAGE = "node-opcua-client@2.182.2";

    private static final String PROBE =
            """
            // Connects without security, reads, browses, prints one RESULT line of JSON.
            const { OPCUAClient, MessageSecurityMode, SecurityPolicy, AttributeIds } = require("node-opcua-client");
            const { OPCUACertificateManager } = require("node-opcua-certificate-manager");

            async function main() {
              const [endpointUrl, variableNodeId, folderNodeId, pkiDir] = process.argv.slice(2);
              const client = OPCUAClient.create({
                applicationName: "baton-node-opcua-check",
                securityMode: MessageSecurityMode.None,
                securityPolicy: SecurityPolicy.None,
                endpointMustExist: false,
                connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
                clientCertificateManager: new OPCUACertificateManager({
                  rootFolder: pkiDir, automaticallyAcceptUnknownCertificate: true }),
              });
              await client.connect(endpointUrl);
              const session = await client.createSession();
              const read = async (nodeId) => (await session.read({ nodeId, attributeId: AttributeIds.Value })).value.value;
              const names = async (nodeId) => (await session.browse(nodeId)).references.map((r) => r.browseName.name);
              const result = {
                productName: await read("ns=0;i=2261"),
                manufacturerName: await read("ns=0;i=2263"),
                softwareVersion: await read("ns=0;i=2264"),
                namespaces: await read("ns=0;i=2255"),
                variable: await read(variableNodeId),
                objects: await names("ns=0;i=85"),
                folder: await names(folderNodeId),
              };
              await session.close();
              await client.disconnect();
              console.log("RESULT " + JSON.stringify(result));
            }

            main().catch((error) => {
              console.error("FAILED " + (error && error.stack ? error.stack : error));
              process.exit(1);
            });
            """;

    @TempDir
    Path tmp;

    @Test
    void nodeOpcuaConnectsReadsTheBuildInfoAndAVariableAndBrowsesTheSimulator() throws Exception {
        final Path node = tool("node");
        final Path modules = installedClient(tool("npm"));
        OpcUaScans.quietMilo();
        try (OpcUaServerSimulator simulator = OpcUaServerSimulator.builder()
                .productName("Sim PLC for node-opcua")
                .manufacturerName("Acme Automation")
                .softwareVersion("7.1")
                .folders(3)
                .variablesPerFolder(25)
                .directory(tmp.resolve("sim"))
                .start()) {
            final Path script = tmp.resolve("probe.js");
            Files.writeString(script, PROBE);
            final int ns = simulator.namespaceIndex();

            final JsonNode result = run(
                    List.of(
                            node.toString(),
                            script.toString(),
                            simulator.discoveryUrl(),
                            "ns=" + ns + ";s=Line002/Tag0003",
                            "ns=" + ns + ";s=Line001",
                            tmp.resolve("pki").toString()),
                    modules);

            assertThat(result.path("productName").asText()).isEqualTo("Sim PLC for node-opcua");
            assertThat(result.path("manufacturerName").asText()).isEqualTo("Acme Automation");
            assertThat(result.path("softwareVersion").asText()).isEqualTo("7.1");
            assertThat(texts(result.path("namespaces"))).contains(simulator.namespaceUri(), simulator.applicationUri());
            assertThat(result.path("variable").asDouble()).isEqualTo(2003.0);
            assertThat(texts(result.path("objects"))).contains("Server", "Controls", "Line001", "Line002", "Line003");
            assertThat(texts(result.path("folder"))).hasSize(25).contains("Tag0001", "Tag0025");
        }
    }

    private JsonNode run(final List<String> command, final Path modules) throws IOException, InterruptedException {
        final ProcessBuilder builder = new ProcessBuilder(command)
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("node.log").toFile());
        builder.environment().put("NODE_PATH", modules.toString());
        builder.environment().put("HOME", tmp.toString()); // node-opcua keeps its settings under the home directory
        final Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("node-opcua did not finish in 90 s: " + Files.readString(tmp.resolve("node.log")));
        }
        final String log = Files.readString(tmp.resolve("node.log"), StandardCharsets.UTF_8);
        assertThat(process.exitValue())
                .as("node-opcua exit code; output:\n" + log)
                .isZero();
        final String line = log.lines()
                .filter(l -> l.startsWith("RESULT "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("node-opcua printed no RESULT line:\n" + log));
        return new ObjectMapper().readTree(line.substring("RESULT ".length()));
    }

    /**
     * {@code node_modules} with node-opcua-client, installed with npm on first use. Test JVMs of several modules
     * may run at once, so the install holds a file lock.
     */
    private static Path installedClient(final Path npm) throws IOException, InterruptedException {
        final Path cache = Path.of(System.getProperty("java.io.tmpdir"), "baton-npm-opcua");
        final Path modules = cache.resolve("node_modules");
        Files.createDirectories(cache);
        try (RandomAccessFile lockFile =
                        new RandomAccessFile(cache.resolve(".lock").toFile(), "rw");
                FileLock ignored = lockFile.getChannel().lock()) {
            if (Files.isRegularFile(modules.resolve("node-opcua-client/package.json"))
                    && Files.isRegularFile(modules.resolve("node-opcua-certificate-manager/package.json"))) {
                return modules;
            }
            final Path log = cache.resolve("npm-install.log");
            final Process install = new ProcessBuilder(
                            npm.toString(),
                            "install",
                            "--no-audit",
                            "--no-fund",
                            "--no-save",
                            "--prefix",
                            cache.toString(),
                            PACKAGE)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!install.waitFor(10, TimeUnit.MINUTES) || install.exitValue() != 0) {
                install.destroyForcibly();
                throw new AssertionError("npm install " + PACKAGE + " failed:\n" + Files.readString(log));
            }
            return modules;
        }
    }

    /** {@code name} on the PATH; in CI a missing tool fails the test, elsewhere it skips it. */
    private static Path tool(final String name) {
        final Optional<Path> found = Stream.of(
                        System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
        if (found.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(name + " is not installed, and CI must run the node-opcua check");
            }
            Assumptions.abort(name + " is not installed: the node-opcua check of the OPC UA simulator is skipped");
        }
        return found.get();
    }

    private static List<String> texts(final JsonNode array) {
        final List<String> out = new ArrayList<>();
        array.forEach(element -> out.add(element.asText()));
        return out;
    }
}
