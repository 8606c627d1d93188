package dev.baton.adapters.mcu.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.mcu.Verification;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code firmware} components the provider accepts, and the messages for those it refuses. */
class FirmwareConfigTest {

    private static final String SHA = "ab".repeat(32);

    private static ComponentSpec spec(final String propertiesJson) {
        final ObjectNode properties = (ObjectNode)
                new MessageCodec().readTree(propertiesJson.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
        return new ComponentSpec("fw", "firmware", properties, List.of());
    }

    private static void refused(final String json, final String message) {
        assertThatThrownBy(() -> FirmwareConfig.decode(spec(json)))
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComponentException.Reason.INVALID_SPEC))
                .hasMessageContaining(message);
    }

    @Test
    void aSerialComponentDecodesWithTheBackEndsDefaultsLeftOpen() {
        final FirmwareConfig config = FirmwareConfig.decode(spec("{'flasher': 'stm32-uart', 'port': '/dev/ttyUSB0',"
                + " 'artifact': '" + SHA + "', 'chipId': '0x410', 'baud': 57600}"));
        assertThat(config.flasher().id()).isEqualTo("stm32-uart");
        assertThat(config.selector()).isEqualTo(new TargetSelector.Port("/dev/ttyUSB0"));
        assertThat(config.settings().expectedChipId()).hasValue(0x410);
        assertThat(config.settings().baud()).hasValue(57600);
        assertThat(config.settings().parity()).isEmpty();
        assertThat(config.settings().verify()).isEqualTo(Verification.AUTO);
        assertThat(config.settings().startApplication()).isFalse();
    }

    @Test
    void verifyTakesAMethodNameOrABooleanForAutoAndNone() {
        for (final var named : java.util.Map.of(
                        "'auto'", Verification.AUTO,
                        "'checksum'", Verification.CHECKSUM,
                        "'readback'", Verification.READBACK,
                        "'none'", Verification.NONE,
                        "true", Verification.AUTO,
                        "false", Verification.NONE)
                .entrySet()) {
            final FirmwareConfig config = FirmwareConfig.decode(spec("{'flasher': 'stm32-uart', 'port': '/dev/x',"
                    + " 'artifact': '" + SHA + "', 'verify': " + named.getKey() + "}"));
            assertThat(config.settings().verify()).as(named.getKey()).isEqualTo(named.getValue());
        }
    }

    @Test
    void aVerifyMethodTheFlasherCannotUseIsRefusedNamingTheProperty() {
        refused(
                "{'flasher': 'stm32-uart', 'port': '/dev/x', 'artifact': '" + SHA + "', 'verify': 'crc'}",
                "property 'verify' must be auto, checksum, readback or none (or true, false), but was 'crc'");
        refused(
                "{'flasher': 'stm32-uart', 'port': '/dev/x', 'artifact': '" + SHA + "', 'verify': 1}",
                "property 'verify' must be auto, checksum, readback or none");
        refused(
                "{'flasher': 'avr-optiboot', 'port': '/dev/x', 'artifact': '" + SHA + "', 'verify': 'checksum'}",
                "property 'verify' is checksum, but flasher avr-optiboot has no checksum command; use auto or"
                        + " readback");
    }

    @Test
    void aSelectorIsNormalisedToLowerCaseHex() {
        final FirmwareConfig config = FirmwareConfig.decode(spec(
                "{'flasher': 'avr-optiboot', 'select': {'vid': '2A03', 'pid': '0043'}, 'artifact': '" + SHA + "'}"));
        assertThat(config.selector()).isEqualTo(new TargetSelector.Match("2a03", "0043", null));
    }

    @Test
    void aBannerCheckStartsTheApplication() {
        final FirmwareConfig config = FirmwareConfig.decode(spec("{'flasher': 'stm32-uart', 'port': '/dev/ttyUSB0',"
                + " 'artifact': '" + SHA + "', 'appCheck': {'serialBanner': 'READY v[0-9]+', 'timeoutMs': 2000}}"));
        assertThat(config.settings().startApplication()).isTrue();
        assertThat(config.settings().appCheck()).isInstanceOf(AppCheck.SerialBanner.class);
    }

    @Test
    void badComponentsAreRefusedNamingTheProperty() {
        refused(
                "{'flasher': 'jtag-magic', 'port': '/dev/x', 'artifact': '" + SHA + "'}",
                "property 'flasher' must be one of stm32-uart, avr-optiboot, uf2");
        refused("{'flasher': 'stm32-uart', 'artifact': '" + SHA + "'}", "needs a target: property 'port'");
        refused(
                "{'flasher': 'stm32-uart', 'port': '/dev/x', 'device': 'serial:/dev/x', 'artifact': '" + SHA + "'}",
                "names its target twice (port and device)");
        refused(
                "{'flasher': 'stm32-uart', 'port': '/dev/x', 'artifact': 'ABC'}",
                "property 'artifact' must be the image's SHA-256");
        refused(
                "{'flasher': 'stm32-uart', 'port': '/dev/x', 'artifact': '" + SHA + "', 'parity': 'mark'}",
                "property 'parity' must be none, even or odd, but was 'mark'");
        refused(
                "{'flasher': 'stm32-uart', 'port': '/dev/x', 'artifact': '" + SHA + "', 'baud': 12}",
                "property 'baud' must be a whole number from 300 to 4000000, but was 12");
        refused(
                "{'flasher': 'stm32-uart', 'port': '/dev/x', 'artifact': '" + SHA + "', 'format': 'hex',"
                        + " 'address': 4096}",
                "property 'address' applies to raw binaries only");
        refused(
                "{'flasher': 'stm32-uart', 'port': '/dev/x', 'artifact': '" + SHA + "', 'chipId': 'banana'}",
                "property 'chipId' must be a number or a hex string");
        refused(
                "{'flasher': 'stm32-uart', 'port': '/dev/x', 'artifact': '" + SHA + "', 'select': {'vid': '1'}}",
                "names its target twice");
        refused(
                "{'flasher': 'avr-optiboot', 'select': {'vid': 'xyz1'}, 'artifact': '" + SHA + "'}",
                "property 'select.vid' must be 4 hex digits");
        refused(
                "{'flasher': 'stm32-uart', 'port': '/dev/x', 'artifact': '" + SHA + "', 'appCheck':"
                        + " {'serialBanner': '(', 'timeoutMs': 1000}}",
                "property 'appCheck.serialBanner' is not a regular");
        refused(
                "{'flasher': 'stm32-uart', 'port': '/dev/x', 'artifact': '" + SHA + "', 'colour': 'red'}",
                "has unknown property 'colour'");
        refused(
                "{'flasher': 'uf2', 'port': '/dev/x', 'artifact': '" + SHA + "'}",
                "property 'port' does not apply to flasher uf2");
        refused(
                "{'flasher': 'uf2', 'artifact': '" + SHA + "', 'baud': 9600}",
                "property 'baud' does not apply to flasher uf2");
        refused(
                "{'flasher': 'uf2', 'artifact': '" + SHA + "', 'appCheck': {'serialBanner': 'hi'}}",
                "property 'appCheck.port' is needed with flasher uf2");
        refused(
                "{'flasher': 'stm32-uart', 'volume': '/media/x', 'artifact': '" + SHA + "'}",
                "property 'volume' applies to flasher uf2 only");
    }
}
