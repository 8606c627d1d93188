package dev.baton.sim.usb;

import static dev.baton.sim.usb.UsbScanner.byId;
import static dev.baton.sim.usb.UsbScanner.fixtureOnly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.adapters.api.discovery.DiscoveryException;
import dev.baton.adapters.api.discovery.ScanContext;
import dev.baton.adapters.api.discovery.ScanResult;
import dev.baton.protocol.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code usb} handler reading a simulated sysfs tree: what it reports, how it links and filters. */
class UsbDiscoveryAgainstFixtureTreeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String FTDI = "usb:0403:6001:A50285BI";
    private static final String PICO_CDC = "usb:2e8a:0005:e6614c311b7e6a35";
    private static final String CAMERA = "usb:046d:0825:8A0C1B10";
    private static final String STM32 = "usb:0483:df11:205F37A35430";
    private static final String RP2040 = "usb:2e8a:0003:E0C9125B0D9B";
    private static final String HUB = "usb:path:1-1";
    private static final String KEYBOARD = "usb:path:1-1.6";
    private static final String CH340 = "usb:path:1-1.7";
    private static final String FTDI_PORT = "serial:/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0";
    private static final String ACM_PORT =
            "serial:/dev/serial/by-id/usb-MicroPython_Board_in_FS_mode_e6614c311b7e6a35-if00";
    private static final String CH340_PORT = "serial:/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0";

    @TempDir
    Path dir;

    private UsbFixtureTree tree;
    private UsbScanner scanner;

    @BeforeEach
    void plugTheStandardTree() {
        tree = UsbFixtureTree.standard(dir.resolve("host"));
        scanner = new UsbScanner(dir.resolve("secrets"));
    }

    @AfterEach
    void closeHandler() {
        scanner.close();
    }

    private ScanResult scan(final String extraJson) throws InterruptedException {
        return scanner.scan(fixtureOnly(tree, extraJson));
    }

    @Test
    void standardTreeYieldsEveryDeviceAndEachTtyAsASerialPortWithKindAndClass() throws Exception {
        final ScanResult result = scan("");

        assertThat(result.problems()).isEmpty();
        final Map<String, Device> devices = byId(result);
        assertThat(devices)
                .containsOnlyKeys(
                        FTDI, PICO_CDC, CAMERA, STM32, RP2040, HUB, KEYBOARD, CH340, FTDI_PORT, ACM_PORT, CH340_PORT);
        assertThat(devices.values()).allSatisfy(d -> assertThat(d.source()).isEqualTo("usb"));
        assertThat(devices.get(FTDI).kind()).isEqualTo("usb-device");
        assertThat(devices.get(STM32).kind()).isEqualTo("mcu");
        assertThat(devices.get(RP2040).kind()).isEqualTo("mcu");
        assertThat(devices.get(FTDI_PORT).kind()).isEqualTo("serial-port");
        assertThat(Map.of(
                        FTDI, devices.get(FTDI).property("class"),
                        PICO_CDC, devices.get(PICO_CDC).property("class"),
                        CAMERA, devices.get(CAMERA).property("class"),
                        STM32, devices.get(STM32).property("class"),
                        RP2040, devices.get(RP2040).property("class"),
                        HUB, devices.get(HUB).property("class"),
                        KEYBOARD, devices.get(KEYBOARD).property("class"),
                        CH340, devices.get(CH340).property("class")))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        FTDI, "usb-serial",
                        PICO_CDC, "usb-serial",
                        CAMERA, "uvc-camera",
                        STM32, "mcu-bootloader",
                        RP2040, "mcu-bootloader",
                        HUB, "hub",
                        KEYBOARD, "hid",
                        CH340, "usb-serial"));
        assertThat(result.devices()).extracting(Device::id).isSorted();
    }

    @Test
    void usbSerialConverterCarriesEverySysfsPropertyItsInterfacesAndItsTtyNode() throws Exception {
        final Device ftdi = byId(scan("")).get(FTDI);

        assertThat(ftdi.name()).isEqualTo("FTDI FT232R USB UART");
        assertThat(ftdi.properties())
                .isEqualTo(
                        JSON.readTree(
                                """
                {"vid": "0403", "pid": "6001", "serialNumber": "A50285BI", "manufacturer": "FTDI",
                 "product": "FT232R USB UART", "busPath": "1-1.1", "busnum": 1, "devnum": 3, "speed": "12",
                 "usbVersion": "2.00", "deviceClass": "00", "class": "usb-serial", "bridge": "ftdi",
                 "driver": "ftdi_sio",
                 "interfaces": [{"number": "00", "class": "ff", "subClass": "ff", "protocol": "ff",
                                 "driver": "ftdi_sio", "name": "FT232R USB UART"}],
                 "devnodes": ["/dev/ttyUSB0"]}
                """));
    }

    @Test
    void serialPortIsNamedByItsByIdLinkAndLinkedToItsUsbDevice() throws Exception {
        final Map<String, Device> devices = byId(scan(""));

        assertThat(devices.get(FTDI_PORT).properties())
                .isEqualTo(
                        JSON.readTree(
                                """
                {"port": "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0",
                 "systemPortPath": "/dev/ttyUSB0", "systemPortName": "ttyUSB0", "description": "FT232R USB UART",
                 "manufacturer": "FTDI", "vid": "0403", "pid": "6001", "serialNumber": "A50285BI",
                 "location": "1-1.1", "driver": "ftdi_sio", "usbDevice": "usb:0403:6001:A50285BI"}
                """));
        assertThat(devices.get(ACM_PORT).property("usbDevice")).isEqualTo(PICO_CDC);
        assertThat(devices.get(ACM_PORT).property("description")).isEqualTo("Board CDC");
        assertThat(devices.get(CH340_PORT).property("usbDevice")).isEqualTo(CH340);
        assertThat(devices.get(CH340_PORT).property("serialNumber")).isNull();
    }

    @Test
    void ttyWithoutByIdLinkIsNamedByItsDevicePath() throws Exception {
        Files.delete(tree.devRoot().resolve("serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0"));

        final Map<String, Device> devices = byId(scan(""));

        assertThat(devices).doesNotContainKey(FTDI_PORT).containsKey("serial:/dev/ttyUSB0");
        assertThat(devices.get("serial:/dev/ttyUSB0").property("port")).isEqualTo("/dev/ttyUSB0");
        assertThat(devices.get("serial:/dev/ttyUSB0").property("usbDevice")).isEqualTo(FTDI);
    }

    @Test
    void bootloadersAreMcusNamingTheirBootloaderAndTheUf2VolumeNodes() throws Exception {
        final Map<String, Device> devices = byId(scan(""));

        final Device stm32 = devices.get(STM32);
        assertThat(stm32.property("bootloader")).isEqualTo("stm32-dfu");
        assertThat(stm32.property("driver")).isNull();
        assertThat(stm32.properties().get("interfaces"))
                .isEqualTo(
                        JSON.readTree(
                                """
                [{"number": "00", "class": "fe", "subClass": "01", "protocol": "02",
                  "name": "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg"}]
                """));
        assertThat(stm32.properties().get("devnodes")).isEmpty();
        final Device rp2040 = devices.get(RP2040);
        assertThat(rp2040.property("bootloader")).isEqualTo("rp2040-boot");
        assertThat(rp2040.properties().get("devnodes")).isEqualTo(JSON.readTree("[\"/dev/sda\", \"/dev/sda1\"]"));
        assertThat(devices.get(PICO_CDC).kind())
                .as("same vendor, application firmware")
                .isEqualTo("usb-device");
        assertThat(devices.get(PICO_CDC).property("bootloader")).isNull();
    }

    @Test
    void cameraAndKeyboardReportTheirVideoHidrawAndInputNodesButNotSoundNodes() throws Exception {
        final Map<String, Device> devices = byId(scan(""));

        assertThat(devices.get(CAMERA).properties().get("devnodes"))
                .isEqualTo(JSON.readTree("[\"/dev/video0\", \"/dev/video1\"]"));
        assertThat(devices.get(CAMERA).property("driver")).isEqualTo("uvcvideo");
        assertThat(devices.get(KEYBOARD).properties().get("devnodes"))
                .isEqualTo(JSON.readTree("[\"/dev/hidraw0\", \"/dev/hidraw1\", \"/dev/input/event3\"]"));
        assertThat(devices.get(KEYBOARD).properties().has("serialNumber")).isFalse();
        assertThat(devices.get(KEYBOARD).property("speed")).isEqualTo("1.5");
    }

    @Test
    void rootHubsAreReportedOnlyWhenAskedFor() throws Exception {
        assertThat(byId(scan(""))).doesNotContainKey("usb:1d6b:0002:0000:00:14.0");

        final Device rootHub = byId(scan(", \"rootHubs\": true")).get("usb:1d6b:0002:0000:00:14.0");

        assertThat(rootHub).isNotNull();
        assertThat(rootHub.property("busPath")).isEqualTo("usb1");
        assertThat(rootHub.property("class")).isEqualTo("hub");
    }

    @Test
    void matchKeepsDevicesOneOfItsStringsMatchesAndTheirPortsThroughParentAttributes() throws Exception {
        final ScanResult result = scan(", \"match\": [\"ATTRS{idVendor}==\\\"0483\\\"\","
                + " \"ATTRS{idVendor}==\\\"2e8a\\\", ATTRS{idProduct}==\\\"0003\\\"\","
                + " \"SUBSYSTEM==\\\"usb\\\", ATTR{idVendor}==\\\"0403\\\"\"]");

        // The FTDI's tty does not match SUBSYSTEM=="usb" (it is a tty), the Pico application (0005) no string.
        assertThat(byId(result)).containsOnlyKeys(STM32, RP2040, FTDI);
    }

    @Test
    void matchOnTtySubsystemAndParentDriverSelectsOnlyThosePorts() throws Exception {
        assertThat(byId(scan(", \"match\": [\"SUBSYSTEM==\\\"tty\\\"\"]")))
                .containsOnlyKeys(FTDI_PORT, ACM_PORT, CH340_PORT);
        assertThat(byId(scan(", \"match\": [\"SUBSYSTEM==\\\"tty\\\", DRIVERS==\\\"cdc_acm\\\"\"]")))
                .containsOnlyKeys(ACM_PORT);
        assertThat(byId(scan(", \"match\": [\"KERNEL==\\\"ttyUSB[0-9]\\\"\"]")))
                .containsOnlyKeys(FTDI_PORT, CH340_PORT);
    }

    @Test
    void matchGlobsNegationAndAlternativesSelectAsUdevDoes() throws Exception {
        assertThat(byId(scan(", \"match\": [\"ATTR{idVendor}==\\\"046d|0483\\\"\"]")))
                .containsOnlyKeys(CAMERA, KEYBOARD, STM32);
        assertThat(byId(scan(", \"match\": [\"ATTR{idVendor}==\\\"2e8a\\\", ATTR{serial}!=\\\"E0C9*\\\"\"]")))
                .containsOnlyKeys(PICO_CDC);
        // != holds where the attribute is absent: the keyboard and the CH340 have no serial.
        assertThat(byId(scan(", \"match\": [\"SUBSYSTEM==\\\"usb\\\", ATTR{serial}!=\\\"?*\\\"\"]")))
                .containsOnlyKeys(HUB, KEYBOARD, CH340);
    }

    @Test
    void parentKeysOfOneStringMustHoldOnOneDeviceOfThePath() throws Exception {
        // idVendor is on the USB device, bInterfaceClass on its interface: no single device has both.
        assertThat(
                        byId(
                                scan(
                                        ", \"match\": [\"SUBSYSTEM==\\\"tty\\\", ATTRS{idVendor}==\\\"0403\\\", ATTRS{bInterfaceClass}==\\\"ff\\\"\"]")))
                .isEmpty();
        assertThat(byId(scan(", \"match\": [\"SUBSYSTEM==\\\"tty\\\", ATTRS{bInterfaceClass}==\\\"ff\\\"\"]")))
                .containsOnlyKeys(FTDI_PORT, CH340_PORT);
        // Hubs are parents too: everything behind hub 1-1 (1a40) matches, the hub itself as well.
        assertThat(byId(scan(", \"match\": [\"SUBSYSTEM==\\\"usb\\\", ATTRS{idVendor}==\\\"1a40\\\"\"]")))
                .containsOnlyKeys(HUB, FTDI, PICO_CDC, CAMERA, STM32, RP2040, KEYBOARD, CH340);
    }

    @Test
    void invalidMatchIsRefusedNamingTheStringAndThePosition() {
        assertThatThrownBy(() -> scanner.handler()
                        .validate(UsbScanner.config(fixtureOnly(
                                tree, ", \"match\": [\"SUBSYSTEM==\\\"tty\\\"\", \"ATTRS{idVendor}=\\\"0483\\\"\"]"))))
                .isInstanceOfSatisfying(DiscoveryException.class, e -> assertThat(e.reason())
                        .isEqualTo(DiscoveryException.Reason.INVALID_CONFIG))
                .hasMessage("discovery.usb property 'match[1]' (\"ATTRS{idVendor}=\"0483\"\") is not a valid match at"
                        + " position 16: assignments do not belong in a match; expected '==' or '!=' after"
                        + " ATTRS{idVendor}");
    }

    @Test
    void unpluggingAndPluggingBetweenScansChangesWhatTheNextScanReports() throws Exception {
        final Map<String, Device> before = byId(scan(""));

        tree.unplug("1-1.1").plug(UsbFixtureDevice.arduinoUno("1-1.1"));
        final Map<String, Device> after = byId(scan(""));

        assertThat(after).doesNotContainKeys(FTDI, FTDI_PORT);
        final String uno = "usb:2341:0043:75833353035351F0B0D1";
        final String unoPort = "serial:/dev/serial/by-id/usb-Arduino__www.arduino.cc__0043_75833353035351F0B0D1-if00";
        assertThat(after).containsKeys(uno, unoPort);
        assertThat(after.get(uno).kind()).isEqualTo("mcu");
        assertThat(after.get(uno).property("bootloader")).isEqualTo("arduino-optiboot");
        assertThat(after.get(uno).name()).isEqualTo("USB device 2341:0043 by Arduino (www.arduino.cc)");
        assertThat(after.get(unoPort).property("bootloader")).isEqualTo("arduino-optiboot");
        assertThat(after.get(unoPort).property("usbDevice")).isEqualTo(uno);
        // Devices that stayed are the same, to the content hash.
        assertThat(after.get(CAMERA).contentHash()).isEqualTo(before.get(CAMERA).contentHash());
    }

    @Test
    void deviceWithSerialNumberKeepsItsIdOnAnotherPortWhileOneWithoutChangesIt() throws Exception {
        final Map<String, Device> before = byId(scan(""));

        tree.unplug("1-1.1").plug(UsbFixtureDevice.hub("1-1.1")).plug(UsbFixtureDevice.ftdiSerial("1-1.1.1"));
        tree.unplug("1-1.7").plug(UsbFixtureDevice.ch340WithoutSerial("1-1.1.2"));
        final Map<String, Device> after = byId(scan(""));

        assertThat(after.get(FTDI).property("busPath")).isEqualTo("1-1.1.1");
        assertThat(after.get(FTDI).property("devnum"))
                .isNotEqualTo(before.get(FTDI).property("devnum"));
        assertThat(after.get(FTDI).contentHash()).isNotEqualTo(before.get(FTDI).contentHash());
        assertThat(after).doesNotContainKey(CH340).containsKey("usb:path:1-1.1.2");
        assertThat(after.get(CH340_PORT).property("usbDevice")).isEqualTo("usb:path:1-1.1.2");
    }

    @Test
    void unchangedTreeScansToIdenticalDevices() throws Exception {
        final ScanResult first = scan("");
        final ScanResult second = scan("");

        assertThat(second.devices()).isEqualTo(first.devices());
        assertThat(second.devices())
                .extracting(Device::contentHash)
                .containsExactlyElementsOf(
                        first.devices().stream().map(Device::contentHash).toList());
    }

    @Test
    void devicesSharingASerialNumberFallBackToBusPathIdsAndTheScanSaysWhy() throws Exception {
        tree.plug(UsbFixtureDevice.ftdiSerial("2-1"));

        final ScanResult result = scan("");

        assertThat(byId(result)).doesNotContainKey(FTDI).containsKeys("usb:path:1-1.1", "usb:path:2-1");
        assertThat(result.problems())
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("1-1.1, 2-1")
                .contains(FTDI)
                .contains("bus path");
    }

    @Test
    void serialFalseLeavesJSerialCommOutButKeepsTheTtysOfUsbDevices() throws Exception {
        // fixtureOnly already sets "serial": false; the ports above come from sysfs alone.
        assertThat(byId(scan(""))).containsKeys(FTDI_PORT, ACM_PORT, CH340_PORT);
        assertThat(byId(scan("")).values())
                .filteredOn(d -> d.kind().equals("serial-port"))
                .allSatisfy(d -> assertThat(d.property("usbDevice")).isNotNull());
    }

    @Test
    void missingConfiguredSysfsRootIsAProblemNotAFailure() throws Exception {
        final ScanResult result =
                scanner.scan("{\"sysfsRoot\": \"" + dir.resolve("nowhere/sys") + "\", \"serial\": false}");

        assertThat(result.devices()).isEmpty();
        assertThat(result.problems())
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains(dir.resolve("nowhere/sys/bus/usb/devices").toString())
                .contains("discovery.usb.sysfsRoot");
    }

    @Test
    void mainWritesTheStandardTreeForTheDemo() throws Exception {
        final Path demo = dir.resolve("demo");

        UsbFixtureTree.main(new String[] {demo.toString()});

        assertThat(byId(scanner.scan("{\"sysfsRoot\": \"" + demo.resolve("sys") + "\", \"serial\": false}")))
                .containsOnlyKeys(byId(scan("")).keySet());
    }

    @Test
    void scanPastItsDeadlineStopsAndSaysSo() throws Exception {
        final var config = UsbScanner.config(fixtureOnly(tree, ""));

        final ScanResult result =
                scanner.handler().scan(config, new ScanContext(Instant.now().minusSeconds(1)));

        assertThat(result.devices()).isEmpty();
        assertThat(result.problems())
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("deadline")
                .contains("discovery.usb.timeoutMs");
    }
}
