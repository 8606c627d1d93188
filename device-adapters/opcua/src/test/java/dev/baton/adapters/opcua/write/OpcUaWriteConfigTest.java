package dev.baton.adapters.opcua.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.opcua.CertificatePolicy;
import dev.baton.protocol.ComponentSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every property of an {@code opcua-write} component is checked without a connection, with a message naming it. */
class OpcUaWriteConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String URL = "\"endpointUrl\": \"opc.tcp://10.0.0.5:4840\"";
    private static final String ONE_WRITE =
            "\"writes\": [{\"nodeId\": \"ns=2;s=Line1.Speed\", \"value\": 40, \"dataType\": \"Int32\"}]";

    @Test
    void aMinimalComponentGetsTheDefaults() {
        final OpcUaWriteConfig config = parse("{" + URL + ", " + ONE_WRITE + "}");

        assertThat(config.endpointUrl()).map(Object::toString).contains("opc.tcp://10.0.0.5:4840");
        assertThat(config.certificatePolicy()).isEqualTo(CertificatePolicy.RECORD);
        assertThat(config.securityPolicy()).isEmpty();
        assertThat(config.username()).isEmpty();
        assertThat(config.timeout()).isEqualTo(Duration.ofMillis(5000));
        assertThat(config.writes()).singleElement().satisfies(write -> {
            assertThat(write.nodeId()).isEqualTo("ns=2;s=Line1.Speed");
            assertThat(write.dataType()).isEqualTo(WriteDataType.INT32);
            assertThat(write.value().intValue()).isEqualTo(40);
        });
    }

    @Test
    void aDeviceIdAndEveryOptionalPropertyAreRead() {
        final OpcUaWriteConfig config = parse("{\"device\": \"opcua:urn:plc-17\", \"securityPolicy\":"
                + " \"Basic256Sha256\", \"messageSecurityMode\": \"SignAndEncrypt\", \"certificatePolicy\":"
                + " \"trusted-thumbprints\", \"trustedThumbprints\": [\"" + "AB:".repeat(31) + "AB\"], \"username\":"
                + " \"operator\", \"timeoutMs\": 800, \"writes\": [{\"nodeId\": \"nsu=urn:plant;s=Ratio\", \"value\":"
                + " 0.25, \"dataType\": \"Float\", \"tolerance\": 0.01}]}");

        assertThat(config.device()).contains("opcua:urn:plc-17");
        assertThat(config.trustedThumbprints()).containsExactly("ab".repeat(32));
        assertThat(config.securityPolicy()).contains("Basic256Sha256");
        assertThat(config.messageSecurityMode()).contains("SignAndEncrypt");
        assertThat(config.username()).contains("operator");
        assertThat(config.timeout()).isEqualTo(Duration.ofMillis(800));
        assertThat(config.writes().get(0).tolerance()).hasValue(0.01);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            no server                 | {WRITES}                                                                   | needs property 'endpointUrl'
            both servers              | {URL}, "device": "opcua:x", {WRITES}                                      | has both 'endpointUrl' and 'device'
            bad URL                   | "endpointUrl": "http://plc", {WRITES}                                      | property 'endpointUrl' must start with opc.tcp://
            device with space         | "device": "opcua: x", {WRITES}                                             | property 'device' must be a device id
            unknown property          | {URL}, {WRITES}, "colour": "red"                                           | has unknown property 'colour'
            deprecated policy         | {URL}, {WRITES}, "securityPolicy": "Basic128Rsa15"                         | property 'securityPolicy' must be one of None, Basic256Sha256
            bad mode                  | {URL}, {WRITES}, "messageSecurityMode": "Encrypt"                          | property 'messageSecurityMode' must be one of None, Sign, SignAndEncrypt
            None with Sign            | {URL}, {WRITES}, "securityPolicy": "None", "messageSecurityMode": "Sign"   | cannot be combined with 'messageSecurityMode' 'Sign'
            secure without trust      | {URL}, {WRITES}, "securityPolicy": "Basic256Sha256"                        | set 'certificatePolicy' to 'trusted-thumbprints'
            bad certificate policy    | {URL}, {WRITES}, "certificatePolicy": "trust-all"                          | property 'certificatePolicy' must be 'record' or 'trusted-thumbprints'
            thumbprints with record   | {URL}, {WRITES}, "trustedThumbprints": ["ab"]                              | property 'trustedThumbprints' takes effect only with
            trust without thumbprints | {URL}, {WRITES}, "certificatePolicy": "trusted-thumbprints"                | needs property 'trustedThumbprints'
            short thumbprint          | {URL}, {WRITES}, "certificatePolicy": "trusted-thumbprints", "trustedThumbprints": ["abc"] | property 'trustedThumbprints[0]' must be a SHA-1
            empty username            | {URL}, {WRITES}, "username": ""                                            | property 'username' must be 1 to 256 characters
            timeout too short         | {URL}, {WRITES}, "timeoutMs": 10                                           | property 'timeoutMs' must be a whole number from 100 to 60000
            no writes                 | {URL}                                                                      | needs property 'writes'
            writes not an array       | {URL}, "writes": {}                                                        | property 'writes' must be an array
            empty writes              | {URL}, "writes": []                                                        | property 'writes' must hold 1 to 256 writes, but had 0
            write not an object       | {URL}, "writes": [1]                                                       | property 'writes[0]' must be an object
            unknown write key         | {URL}, "writes": [{"nodeId": "i=1", "value": 1, "dataType": "Int32", "unit": "rpm"}] | property 'writes[0]' has unknown key 'unit'
            no node id                | {URL}, "writes": [{"value": 1, "dataType": "Int32"}]                       | property 'writes[0].nodeId' is required
            bad node id               | {URL}, "writes": [{"nodeId": "Line1.Speed", "value": 1, "dataType": "Int32"}] | property 'writes[0].nodeId' must be a node id such as
            other server's node       | {URL}, "writes": [{"nodeId": "svr=1;i=5", "value": 1, "dataType": "Int32"}] | without 'svr='
            duplicate node            | {URL}, "writes": [{"nodeId": "ns=2;i=5", "value": 1, "dataType": "Int32"}, {"nodeId": "ns=2;i=5", "value": 2, "dataType": "Int32"}] | property 'writes[1].nodeId' names the same node as 'writes[0].nodeId'
            no data type              | {URL}, "writes": [{"nodeId": "i=1", "value": 1}]                           | property 'writes[0].dataType' is required: one of Boolean, SByte
            unknown data type         | {URL}, "writes": [{"nodeId": "i=1", "value": 1, "dataType": "int"}]        | property 'writes[0].dataType' must be one of Boolean
            no value                  | {URL}, "writes": [{"nodeId": "i=1", "dataType": "Int32"}]                  | property 'writes[0].value' is required
            byte out of range         | {URL}, "writes": [{"nodeId": "i=1", "value": 256, "dataType": "Byte"}]     | property 'writes[0].value' must be a whole number from 0 to 255 for Byte, but was 256
            negative unsigned         | {URL}, "writes": [{"nodeId": "i=1", "value": -1, "dataType": "UInt64"}]    | from 0 to 18446744073709551615 for UInt64, but was -1
            fraction for an integer   | {URL}, "writes": [{"nodeId": "i=1", "value": 1.5, "dataType": "Int32"}]    | property 'writes[0].value' must be a whole number from -2147483648 to 2147483647 for Int32, but was 1.5
            string for a number       | {URL}, "writes": [{"nodeId": "i=1", "value": "40", "dataType": "Double"}]  | property 'writes[0].value' must be a number for Double, but was a string
            number for a Boolean      | {URL}, "writes": [{"nodeId": "i=1", "value": 1, "dataType": "Boolean"}]    | property 'writes[0].value' must be true or false for Boolean
            float out of range        | {URL}, "writes": [{"nodeId": "i=1", "value": 1e39, "dataType": "Float"}]   | must be a finite number within the range of Float
            tolerance for an integer  | {URL}, "writes": [{"nodeId": "i=1", "value": 1, "dataType": "Int32", "tolerance": 1}] | property 'writes[0].tolerance' applies only to Float and Double
            negative tolerance        | {URL}, "writes": [{"nodeId": "i=1", "value": 1, "dataType": "Double", "tolerance": -1}] | property 'writes[0].tolerance' must be a number of at least 0
            """)
    void aBadPropertyIsRefusedWithAMessageNamingIt(final String title, final String body, final String message) {
        final String json = "{" + body.replace("{URL}", URL).replace("{WRITES}", ONE_WRITE) + "}";

        assertThatThrownBy(() -> parse(json))
                .as(title)
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComponentException.Reason.INVALID_SPEC))
                .hasMessageStartingWith("opcua-write component 'line1' ")
                .hasMessageContaining(message);
    }

    @Test
    void moreThan256WritesAreRefused() {
        final StringBuilder writes = new StringBuilder();
        for (int i = 0; i < 257; i++) {
            writes.append(i == 0 ? "" : ",")
                    .append("{\"nodeId\": \"ns=2;i=")
                    .append(i)
                    .append("\", \"value\": 1, \"dataType\": \"Int32\"}");
        }

        assertThatThrownBy(() -> parse("{" + URL + ", \"writes\": [" + writes + "]}"))
                .hasMessageContaining("property 'writes' must hold 1 to 256 writes, but had 257");
    }

    private static OpcUaWriteConfig parse(final String json) {
        try {
            return OpcUaWriteConfig.parse(
                    new ComponentSpec("line1", "opcua-write", (ObjectNode) JSON.readTree(json), List.of()));
        } catch (final IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
