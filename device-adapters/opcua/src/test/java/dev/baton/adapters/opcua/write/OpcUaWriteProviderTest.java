package dev.baton.adapters.opcua.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ComponentProvider;
import dev.baton.adapters.api.ComponentProviderFactory;
import dev.baton.adapters.api.Observation;
import dev.baton.adapters.api.testing.RecordingContext;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.Device;
import dev.baton.protocol.testing.Ports;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.ServiceLoader;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UNumber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code opcua-write} provider against a real Milo server on loopback ({@link WritableTestServer}). */
class OpcUaWriteProviderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static WritableTestServer server;

    @TempDir
    Path tmp;

    private ComponentProvider provider;
    private RecordingContext context;

    @BeforeAll
    static void startServer() throws Exception {
        server = WritableTestServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void createProvider() {
        server.reset();
        provider = new OpcUaWriteProviderFactory()
                .create(java.util.concurrent.Executors.newSingleThreadScheduledExecutor());
        // The agent's layout: <data>/state/components/<name>, secrets in <data>/secrets.
        context = new RecordingContext("line1", tmp.resolve("data/state/components/line1"))
                .secretsDirectory(tmp.resolve("data/secrets"));
    }

    @AfterEach
    void closeProvider() {
        provider.close();
    }

    @Test
    void theFactoryIsFoundByTheServiceLoaderUnderTheKindOpcuaWrite() {
        assertThat(ServiceLoader.load(ComponentProviderFactory.class).stream()
                        .map(factory -> factory.get().kind()))
                .contains("opcua-write");
        assertThat(provider.kind()).isEqualTo("opcua-write");
    }

    @Test
    void everyDataTypeIsWrittenReadBackAndReportedInTheOutputs() {
        final ComponentSpec spec = spec("{\"endpointUrl\": \"" + server.url() + "\", \"writes\": ["
                + write("Boolean", "true") + "," + write("SByte", "-128") + "," + write("Byte", "255") + ","
                + write("Int16", "-32768") + "," + write("UInt16", "65535") + "," + write("Int32", "40") + ","
                + write("UInt32", "4294967295") + "," + write("Int64", "-9223372036854775808") + ","
                + write("UInt64", "18446744073709551615") + "," + write("Float", "2.5") + ","
                + write("Double", "1234.125") + "," + write("String", "\"auto\"") + "]}");
        provider.validate(spec);
        final Instant before = Instant.now().minusSeconds(1);

        final String message = provider.apply(spec, context);

        assertThat(message).isEqualTo("wrote 12 values to " + server.url() + " and read them back");
        assertThat(server.value("Boolean")).isEqualTo(true);
        assertThat(server.value("SByte")).isEqualTo((byte) -128);
        assertThat(((UNumber) server.value("Byte")).intValue()).isEqualTo(255);
        assertThat(server.value("Int16")).isEqualTo((short) -32768);
        assertThat(((UNumber) server.value("UInt16")).intValue()).isEqualTo(65535);
        assertThat(server.value("Int32")).isEqualTo(40);
        assertThat(((UNumber) server.value("UInt32")).longValue()).isEqualTo(4294967295L);
        assertThat(server.value("Int64")).isEqualTo(Long.MIN_VALUE);
        assertThat(((UNumber) server.value("UInt64")).toBigInteger()).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(server.value("Float")).isEqualTo(2.5f);
        assertThat(server.value("Double")).isEqualTo(1234.125d);
        assertThat(server.value("String")).isEqualTo("auto");
        final ObjectNode outputs = context.outputs();
        assertThat(outputs.get("endpoint").asText()).isEqualTo(server.url());
        assertThat(outputs.get("written").asInt()).isEqualTo(12);
        assertThat(Instant.parse(outputs.get("lastConfirmed").asText())).isAfter(before);
        assertThat(outputs.get("security").asText()).isEqualTo("None/None");
        assertThat(provider.observe(spec, context)).isEqualTo(Observation.inSync());
    }

    @Test
    void aValueChangedOnTheServerIsDriftNamingTheNodeWithActualAndDesiredAndApplyRepairsIt() {
        final ComponentSpec spec = spec("{\"endpointUrl\": \"" + server.url() + "\", \"writes\": ["
                + write("Int32", "40") + "," + write("String", "\"auto\"") + "]}");
        provider.apply(spec, context);

        server.set("Int32", Variant.ofInt32(12));
        final Observation drift = provider.observe(spec, context);

        assertThat(drift.synced()).isFalse();
        assertThat(drift.detail()).contains("'" + server.nodeId("Int32") + "' is 12, desired 40");
        assertThat(drift.detail()).doesNotContain("Line1.String");

        provider.apply(spec, context);
        assertThat(server.value("Int32")).isEqualTo(40);
        assertThat(provider.observe(spec, context).synced()).isTrue();
    }

    @Test
    void aFloatWithinItsToleranceIsInSyncAndOneBeyondItIsDrift() {
        final ComponentSpec spec = spec("{\"endpointUrl\": \"" + server.url() + "\", \"writes\": [{\"nodeId\": \""
                + server.nodeId("Double") + "\", \"value\": 50.0, \"dataType\": \"Double\", \"tolerance\": 0.5}]}");
        provider.apply(spec, context);

        server.set("Double", Variant.ofDouble(50.4));
        assertThat(provider.observe(spec, context).synced()).isTrue();

        server.set("Double", Variant.ofDouble(50.6));
        assertThat(provider.observe(spec, context).detail()).contains("is 50.6, desired 50.0");
    }

    @Test
    void nodesTheServerRefusesFailTheApplyNamingEachNodeWithItsStatus() {
        final ComponentSpec spec = spec("{\"endpointUrl\": \"" + server.url() + "\", \"writes\": ["
                + write("Int32", "7") + ", {\"nodeId\": \"" + server.nodeId("SerialNumber")
                + "\", \"value\": \"SN-9\", \"dataType\": \"String\"}, {\"nodeId\": \"" + server.nodeId("Locked")
                + "\", \"value\": 4, \"dataType\": \"Int32\"}]}");

        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComponentException.Reason.APPLY_FAILED))
                .hasMessageContaining("refused 2 of 3 writes")
                .hasMessageContaining("'" + server.nodeId("SerialNumber") + "': Bad_NotWritable")
                .hasMessageContaining("'" + server.nodeId("Locked") + "': Bad_UserAccessDenied");
        assertThat(server.value("SerialNumber")).isEqualTo("SN-0001");
        assertThat(server.value("Int32")).as("the writable node was written").isEqualTo(7);
    }

    @Test
    void aDataTypeThatIsNotTheNodesFailsBeforeAnythingIsWritten() {
        final ComponentSpec spec = spec("{\"endpointUrl\": \"" + server.url() + "\", \"writes\": ["
                + write("Boolean", "true") + ", {\"nodeId\": \"" + server.nodeId("Int32")
                + "\", \"value\": 1.5, \"dataType\": \"Double\"}]}");

        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("nothing was written")
                .hasMessageContaining(
                        "'" + server.nodeId("Int32") + "' has DataType Int32 (i=6), but writes[1].dataType is Double");
        assertThat(server.value("Boolean")).isEqualTo(false);
    }

    @Test
    void anUnknownNodeIdFailsTheApplyNamingIt() {
        final String missing = "ns=" + server.namespaceIndex() + ";s=Line1.NoSuchTag";
        final ComponentSpec spec = spec("{\"endpointUrl\": \"" + server.url() + "\", \"writes\": [{\"nodeId\": \""
                + missing + "\", \"value\": 1, \"dataType\": \"Int32\"}]}");

        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("'" + missing + "' does not exist on the server (Bad_NodeIdUnknown)");
        assertThat(provider.observe(spec, context).detail())
                .contains("'" + missing + "' could not be read: Bad_NodeIdUnknown");
    }

    @Test
    void aNodeIdWithTheNamespaceUriIsResolvedOnTheServer() {
        final ComponentSpec spec = spec("{\"endpointUrl\": \"" + server.url() + "\", \"writes\": [{\"nodeId\": \"nsu="
                + WritableTestServer.NAMESPACE_URI + ";s=Line1.UInt16\", \"value\": 1200, \"dataType\": \"UInt16\"}]}");

        provider.apply(spec, context);

        assertThat(((UNumber) server.value("UInt16")).intValue()).isEqualTo(1200);
    }

    @Test
    void theServerIsChosenByItsDeviceIdThroughTheInventoryAtTheHostDiscoveryReached() {
        // As discovery reports a server that advertises a host name the agent cannot resolve.
        final String advertised = server.url().replace("127.0.0.1", "plc-17.invalid");
        final ObjectNode properties = (ObjectNode) read("{\"discoveryUrls\": [\"" + advertised + "\"],"
                + " \"advertisedHost\": \"plc-17.invalid\", \"reachedHost\": \"127.0.0.1\", \"status\": \"ok\"}");
        context.devices(List.of(new Device("opcua:urn:plc-17", "opcua-server", "opcua", "PLC 17", properties)));
        final ComponentSpec spec =
                spec("{\"device\": \"opcua:urn:plc-17\", \"writes\": [" + write("Int32", "99") + "]}");

        provider.apply(spec, context);

        assertThat(server.value("Int32")).isEqualTo(99);
        assertThat(context.outputs().get("endpoint").asText()).isEqualTo(server.url());
    }

    @Test
    void aDeviceThatIsNotInTheInventoryIsAnApplyFailureSayingItIsNotYetDiscovered() {
        final ComponentSpec spec =
                spec("{\"device\": \"opcua:urn:nowhere\", \"writes\": [" + write("Int32", "1") + "]}");

        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComponentException.Reason.APPLY_FAILED))
                .hasMessageContaining("device 'opcua:urn:nowhere' is not (yet) discovered on this node");
    }

    @Test
    void aServerThatIsDownIsAnApplyFailureWithAConnectionMessageAndNoHang() {
        final String url = "opc.tcp://127.0.0.1:" + Ports.freeLoopbackPort() + "/plant";
        final ComponentSpec spec = spec(
                "{\"endpointUrl\": \"" + url + "\", \"timeoutMs\": 2000, \"writes\": [" + write("Int32", "1") + "]}");

        // Generous: the point is that the call returns at all, bounded by timeoutMs.
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            assertThatThrownBy(() -> provider.apply(spec, context))
                    .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.reason())
                            .isEqualTo(ComponentException.Reason.APPLY_FAILED))
                    .hasMessageStartingWith(
                            "OPC UA server at " + url + " did not answer GetEndpoints: connection refused");
            assertThat(provider.observe(spec, context).detail())
                    .startsWith("could not read the values: OPC UA server at " + url);
        });
    }

    @Test
    void aTrustedThumbprintGivesASecureSessionOnWhichAUserNameLogsIn() throws Exception {
        writePasswords(
                "{\"" + WritableTestServer.USER + "\": {\"password\": \"" + WritableTestServer.PASSWORD + "\"}}");
        final ComponentSpec spec = spec("{\"endpointUrl\": \"" + server.url() + "\", \"certificatePolicy\":"
                + " \"trusted-thumbprints\", \"trustedThumbprints\": [\"" + server.sha256() + "\"], \"username\": \""
                + WritableTestServer.USER + "\", \"writes\": [" + write("Int64", "77") + "]}");

        provider.apply(spec, context);

        assertThat(server.value("Int64")).isEqualTo(77L);
        assertThat(context.outputs().get("security").asText()).isEqualTo("Basic256Sha256/SignAndEncrypt");
        assertThat(tmp.resolve("data/secrets/opcua-client-cert.der"))
                .as("the client certificate discovery uses, in the agent's secrets")
                .isRegularFile();
    }

    @Test
    void aWrongPasswordIsAnApplyFailureThatNamesTheRefusal() throws Exception {
        writePasswords("{\"" + WritableTestServer.USER + "\": {\"password\": \"wrong\"}}");
        final ComponentSpec spec = spec("{\"endpointUrl\": \"" + server.url() + "\", \"certificatePolicy\":"
                + " \"trusted-thumbprints\", \"trustedThumbprints\": [\"" + server.sha256() + "\"], \"username\": \""
                + WritableTestServer.USER + "\", \"writes\": [" + write("Int64", "77") + "]}");

        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("no session could be opened")
                .hasMessageContaining("Bad_UserAccessDenied");
        assertThat(server.value("Int64")).isEqualTo(0L);
    }

    @Test
    void aUserNameLogsInOnTheUnsecuredEndpointWhenTheServerEncryptsThePasswordToken() throws Exception {
        // Milo's UserName token policy names its own security policy, so the password is encrypted even without a
        // secure channel (the refusal of clear-text passwords is in SessionEndpointChoiceTest).
        writePasswords(
                "{\"" + WritableTestServer.USER + "\": {\"password\": \"" + WritableTestServer.PASSWORD + "\"}}");
        final ComponentSpec spec = spec("{\"endpointUrl\": \"" + server.url() + "\", \"username\": \""
                + WritableTestServer.USER + "\", \"writes\": [" + write("Int32", "5") + "]}");

        provider.apply(spec, context);

        assertThat(server.value("Int32")).isEqualTo(5);
        assertThat(context.outputs().get("security").asText()).isEqualTo("None/None");
    }

    @Test
    void aMissingPasswordEntryIsAnApplyFailureThatSaysWhatToAdd() {
        final ComponentSpec spec = spec("{\"endpointUrl\": \"" + server.url() + "\", \"username\": \"nobody\","
                + " \"writes\": [" + write("Int32", "5") + "]}");

        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("opcua.json does not exist")
                .hasMessageContaining("{\"nobody\": {\"password\": \"…\"}}");
    }

    @Test
    void removingTheComponentLeavesTheValuesOnTheServer() {
        final ComponentSpec spec =
                spec("{\"endpointUrl\": \"" + server.url() + "\", \"writes\": [" + write("Int32", "40") + "]}");
        provider.apply(spec, context);

        provider.remove(spec, context);

        assertThat(server.value("Int32")).isEqualTo(40);
    }

    private void writePasswords(final String json) throws IOException {
        Files.createDirectories(tmp.resolve("data/secrets"));
        Files.writeString(tmp.resolve("data/secrets/opcua.json"), json);
    }

    private static String write(final String type, final String value) {
        return "{\"nodeId\": \"" + server.nodeId(type) + "\", \"value\": " + value + ", \"dataType\": \"" + type
                + "\"}";
    }

    private static ComponentSpec spec(final String json) {
        return new ComponentSpec("line1", "opcua-write", (ObjectNode) read(json), List.of());
    }

    private static com.fasterxml.jackson.databind.JsonNode read(final String json) {
        try {
            return JSON.readTree(json);
        } catch (final IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
