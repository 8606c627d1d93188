package dev.baton.adapters.mcu.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.mcu.FlashException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The argv each tool gets for typical settings, and the values refused before anything runs. */
class ExternalToolArgumentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> COMPONENT = Set.of("flasher", "artifact", "chipId");

    @TempDir
    Path tmp;

    private Path bin;
    private Path image;

    @BeforeEach
    void toolsAndImage() throws IOException {
        bin = Files.createDirectories(tmp.resolve("bin"));
        for (final String name : List.of("openocd", "dfu-util", "avrdude", "esptool.py", "pyocd", "pyocd-flashtool")) {
            final Path tool = bin.resolve(name);
            Files.writeString(tool, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        image = tmp.resolve("fw.bin");
        Files.write(image, new byte[1024]);
    }

    private ExternalFlasher flasher(final String tool, final String json) throws IOException {
        return ExternalFlashers.create(ExternalFlashers.settings(tool, object(json), COMPONENT), List.of(bin));
    }

    private static ObjectNode object(final String json) throws IOException {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void openocdProgramsThroughTheInterfaceAndTargetScriptsWithTheImageInTclBraces() throws IOException {
        final ExternalFlasher openocd = flasher(
                "openocd",
                """
                {"flasher": "openocd", "artifact": "ab12", "interface": "cmsis-dap", "target": "stm32f1x",
                 "adapterSerial": "0240000034544e45", "adapterSpeedKhz": 4000, "address": "0x08000000"}""");

        assertThat(openocd.commandLine(image))
                .containsExactly(
                        bin.resolve("openocd").toString(),
                        "-f",
                        "interface/cmsis-dap.cfg",
                        "-c",
                        "adapter serial 0240000034544e45",
                        "-c",
                        "adapter speed 4000",
                        "-f",
                        "target/stm32f1x.cfg",
                        "-c",
                        "program {" + image + "} verify reset exit 0x08000000");
    }

    @Test
    void openocdTakesBoardScriptsAsTheyAreAndCanSkipVerifyAndReset() throws IOException {
        final ExternalFlasher openocd = flasher(
                "openocd",
                """
                {"interface": "stlink", "target": "board/st_nucleo_f4.cfg", "verify": false, "reset": false}""");

        assertThat(openocd.commandLine(image))
                .endsWith(
                        "-f",
                        "interface/stlink.cfg",
                        "-f",
                        "board/st_nucleo_f4.cfg",
                        "-c",
                        "program {" + image + "} exit");
    }

    @Test
    void dfuUtilWritesToTheDfuSeAddressAndLeavesDfuMode() throws IOException {
        final ExternalFlasher dfu = flasher(
                "dfu-util",
                """
                {"alt": 0, "address": 134217728, "device": "0483:df11", "serial": "3574364C3034"}""");

        assertThat(dfu.commandLine(image))
                .containsExactly(
                        bin.resolve("dfu-util").toString(),
                        "-a",
                        "0",
                        "-s",
                        "0x08000000:leave",
                        "-D",
                        image.toString(),
                        "-d",
                        "0483:df11",
                        "-S",
                        "3574364C3034");
    }

    @Test
    void dfuUtilWithoutAnAddressIsPlainDfuAndTakesAnAltSettingByName() throws IOException {
        final ExternalFlasher dfu = flasher("dfu-util", "{\"alt\": \"Internal_Flash\"}");

        assertThat(dfu.commandLine(image))
                .containsExactly(bin.resolve("dfu-util").toString(), "-a", "Internal_Flash", "-D", image.toString());
    }

    @Test
    void avrdudeWritesOnlyFlashAndPicksTheFormatFromTheFile() throws IOException {
        final ExternalFlasher avrdude = flasher(
                "avrdude",
                """
                {"programmer": "arduino", "part": "m328p", "port": "/dev/ttyUSB0", "baud": 115200}""");
        final Path hex = tmp.resolve("fw.hex");
        Files.writeString(hex, ":00000001FF\n");

        assertThat(avrdude.commandLine(image))
                .containsExactly(
                        bin.resolve("avrdude").toString(),
                        "-c",
                        "arduino",
                        "-p",
                        "m328p",
                        "-P",
                        "/dev/ttyUSB0",
                        "-b",
                        "115200",
                        "-U",
                        "flash:w:" + image + ":r");
        assertThat(avrdude.commandLine(hex)).last().isEqualTo("flash:w:" + hex + ":i");
        assertThat(String.join(" ", avrdude.commandLine(hex)))
                .as("never fuses, lock bits or EEPROM")
                .doesNotContain("fuse", "lock", "eeprom", "-e", "-F", "-u");
    }

    @Test
    void avrdudeSniffsIntelHexInAFileWithoutAnExtensionAndSkipsVerifyOnlyWhenAsked() throws IOException {
        final ExternalFlasher avrdude =
                flasher("avrdude", "{\"programmer\": \"usbasp\", \"part\": \"m328p\", \"verify\": false}");
        final Path artifact = tmp.resolve("sha256-cached");
        Files.writeString(artifact, ":100000000C9434000C9446000C9446000C9446006A\n:00000001FF\n");

        assertThat(avrdude.commandLine(artifact))
                .containsExactly(
                        bin.resolve("avrdude").toString(),
                        "-c",
                        "usbasp",
                        "-p",
                        "m328p",
                        "-V",
                        "-U",
                        "flash:w:" + artifact + ":i");
    }

    @Test
    void esptoolWritesAtTheAddressWithTheConfiguredFlashParameters() throws IOException {
        final ExternalFlasher esptool = flasher(
                "esptool",
                """
                {"chip": "esp32", "port": "/dev/ttyUSB0", "baud": 460800, "address": "0x10000",
                 "flashMode": "dio", "flashFreq": "40m", "flashSize": "4MB"}""");

        assertThat(esptool.commandLine(image))
                .containsExactly(
                        bin.resolve("esptool.py").toString(),
                        "--chip",
                        "esp32",
                        "--port",
                        "/dev/ttyUSB0",
                        "--baud",
                        "460800",
                        "write_flash",
                        "--flash_mode",
                        "dio",
                        "--flash_freq",
                        "40m",
                        "--flash_size",
                        "4MB",
                        "0x00010000",
                        image.toString());
    }

    @Test
    void pyocdUsesTheFlashSubcommandAndTheOlderFlashtoolOptionsWhenOnlyThatIsInstalled() throws IOException {
        final String settings = "{\"target\": \"stm32f103rc\", \"probe\": \"066DFF49\", \"address\": \"0x08000000\"}";

        assertThat(flasher("pyocd", settings).commandLine(image))
                .containsExactly(
                        bin.resolve("pyocd").toString(),
                        "flash",
                        "-t",
                        "stm32f103rc",
                        "-u",
                        "066DFF49",
                        "--base-address",
                        "0x08000000",
                        image.toString());

        Files.delete(bin.resolve("pyocd"));
        assertThat(flasher("pyocd", settings).commandLine(image))
                .containsExactly(
                        bin.resolve("pyocd-flashtool").toString(),
                        "-t",
                        "stm32f103rc",
                        "-b",
                        "066DFF49",
                        "-a",
                        "0x08000000",
                        image.toString());
    }

    @Test
    void valuesThatWouldReadAsOptionsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> flasher("avrdude", "{\"programmer\": \"arduino\", \"part\": \"-Ulfuse:w:0x00:m\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("avrdude setting 'part'")
                .hasMessageContaining("would be read as an option");
        assertThatThrownBy(() -> flasher("esptool", "{\"port\": \"--after=no_reset\", \"address\": 65536}"))
                .hasMessageContaining("esptool setting 'port'");
        assertThatThrownBy(() -> flasher("dfu-util", "{\"alt\": \"0\", \"serial\": \"-R\"}"))
                .hasMessageContaining("dfu-util setting 'serial'");
        assertThatThrownBy(() -> flasher("pyocd", "{\"target\": \"--erase=chip\"}"))
                .hasMessageContaining("pyocd setting 'target'");
    }

    @Test
    void openocdRefusesTclInItsSettingsAndInTheImagePath() throws IOException {
        assertThatThrownBy(() -> flasher("openocd", "{\"interface\": \"cmsis-dap\", \"target\": \"x; shutdown\"}"))
                .hasMessageContaining("openocd setting 'target'");
        assertThatThrownBy(() -> flasher(
                        "openocd",
                        "{\"interface\": \"cmsis-dap\", \"target\": \"stm32f1x\", \"adapterSerial\": \"[exec rm]\"}"))
                .hasMessageContaining("openocd setting 'adapterSerial'");
        assertThatThrownBy(() -> flasher("openocd", "{\"interface\": \"../../etc/passwd\", \"target\": \"stm32f1x\"}"))
                .hasMessageContaining("openocd setting 'interface'");

        final Path braces = tmp.resolve("fw} ; exec touch {pwned.bin");
        Files.write(braces, new byte[16]);
        final ExternalFlasher openocd = flasher("openocd", "{\"interface\": \"cmsis-dap\", \"target\": \"stm32f1x\"}");
        assertThatThrownBy(() -> openocd.commandLine(braces))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not contain '{', '}'");
    }

    @Test
    void avrdudeRefusesAnImagePathWithAColonBecauseItSplitsTheUpdateArgumentThere() throws IOException {
        final Path colon = tmp.resolve("fw:w:x.bin");
        Files.write(colon, new byte[16]);

        assertThatThrownBy(() -> flasher("avrdude", "{\"programmer\": \"usbasp\", \"part\": \"m328p\"}")
                        .commandLine(colon))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not contain ':'");
    }

    @Test
    void settingsAreTypedRequiredAndUnknownOnesRefused() {
        assertThatThrownBy(() -> flasher("avrdude", "{\"part\": \"m328p\"}"))
                .hasMessage("avrdude settings: needs property 'programmer' (a string)");
        assertThatThrownBy(
                        () -> flasher("avrdude", "{\"programmer\": \"usbasp\", \"part\": \"m328p\", \"baud\": \"x\"}"))
                .hasMessage("avrdude settings: property 'baud' must be a whole number from 300 to 4000000, but was a"
                        + " string");
        assertThatThrownBy(() -> flasher("avrdude", "{\"programmer\": \"usbasp\", \"part\": \"m328p\", \"fuses\": 1}"))
                .hasMessageContaining("has unknown property 'fuses'");
        assertThatThrownBy(() -> flasher("esptool", "{\"port\": \"/dev/ttyUSB0\"}"))
                .hasMessageContaining("needs property 'address'");
        assertThatThrownBy(() ->
                        flasher("esptool", "{\"port\": \"/dev/ttyUSB0\", \"address\": 0, \"flashMode\": \"fast\"}"))
                .hasMessage("esptool setting 'flashMode' must be one of dio, dout, keep, qio, qout, but was 'fast'");
        assertThatThrownBy(() -> flasher(
                        "openocd",
                        "{\"interface\": \"cmsis-dap\", \"target\": \"stm32f1x\", \"address\": \"0x1_0000_0000\"}"))
                .hasMessageContaining("property 'address' must be an address");
        assertThatThrownBy(() -> flasher("pyocd", "{\"target\": \"nrf52\", \"timeoutSeconds\": 0}"))
                .hasMessage("pyocd settings: property 'timeoutSeconds' must be a whole number from 1 to 3600, but"
                        + " was 0");
        assertThatThrownBy(() -> flasher("stm32flash", "{}"))
                .hasMessageContaining("unknown external flashing tool 'stm32flash'");
    }

    @Test
    void aMissingToolIsAClearErrorNamingTheToolAndThePackageToInstall() throws IOException {
        final ExternalFlasher openocd = ExternalFlashers.create(
                ExternalFlashers.settings(
                        "openocd", object("{\"interface\": \"cmsis-dap\", \"target\": \"stm32f1x\"}"), Set.of()),
                List.of(tmp.resolve("empty")));

        assertThatThrownBy(() -> openocd.flash(image, p -> {}))
                .isInstanceOf(FlashException.class)
                .hasMessageContaining("openocd is not installed: no 'openocd' on PATH")
                .hasMessageContaining("apt-get install openocd")
                .satisfies(e -> assertThat(ExternalToolFailure.of((FlashException) e))
                        .get()
                        .extracting(ExternalToolFailure::reason)
                        .isEqualTo(ExternalToolFailure.Reason.TOOL_MISSING))
                .extracting(e -> ((FlashException) e).reason())
                .isEqualTo(FlashException.Reason.TOOL_MISSING);

        final ExternalFlasher esptool = ExternalFlashers.create(new EsptoolSettings(
                "esp32",
                "/dev/ttyUSB0",
                java.util.OptionalLong.empty(),
                0x10000,
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.of(tmp.resolve("nowhere/esptool")),
                Duration.ofSeconds(30)));
        assertThatThrownBy(esptool::executable)
                .hasMessageContaining("esptool is not installed: the configured executable")
                .hasMessageContaining("pipx install esptool");
    }
}
