package dev.baton.sim.usb;

import static dev.baton.sim.usb.UsbScanner.byId;
import static dev.baton.sim.usb.UsbScanner.fixtureOnly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.adapters.api.discovery.ScanResult;
import dev.baton.protocol.Device;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sysfs tree with entries that cannot be read, link loops and floods: the scan still finishes and reports what
 * it can read, and nothing of the broken parts.
 */
class UsbDiscoveryOnBrokenSysfsTest {

    private static final String FTDI = "usb:0403:6001:A50285BI";

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

    @Test
    void busEntriesThatLoopDangleOrMisnameTheirTargetAreLeftOut() throws Exception {
        final Path bus = tree.sysfsRoot().resolve("bus/usb/devices");
        Files.createSymbolicLink(bus.resolve("3-1"), Path.of("3-1"));
        Files.createSymbolicLink(bus.resolve("3-2"), Path.of("../../../devices/gone/3-2"));
        Files.writeString(tree.sysfsRoot().resolve("devices/3-3"), "not a directory");
        Files.createSymbolicLink(bus.resolve("3-3"), Path.of("../../../devices/3-3"));
        // Named 3-4 but pointing at the hub 1-1: following it would list the hub twice.
        Files.createSymbolicLink(bus.resolve("3-4"), bus.resolve("1-1").toRealPath());

        final ScanResult result = scanner.scan(fixtureOnly(tree, ""));

        assertThat(result.problems()).isEmpty();
        assertThat(byId(result).keySet())
                .allSatisfy(id -> assertThat(id).doesNotContain("3-"))
                .contains(FTDI, "usb:path:1-1");
        assertThat(byId(result).values())
                .filteredOn(d -> "hub".equals(d.property("class")))
                .hasSize(1);
    }

    @Test
    void attributesThatAreDirectoriesFifosOversizedOrNotUtf8AreAbsentFromTheDevice() throws Exception {
        final Path ftdi = tree.deviceDirectory("1-1.1");
        Files.delete(ftdi.resolve("manufacturer"));
        Files.createDirectory(ftdi.resolve("manufacturer"));
        Files.writeString(ftdi.resolve("product"), "x".repeat(5000) + "\n");
        Files.delete(ftdi.resolve("speed"));
        mkfifo(ftdi.resolve("speed"));
        Files.write(ftdi.resolve("version"), new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});

        final Device device = byId(scanner.scan(fixtureOnly(tree, ""))).get(FTDI);

        assertThat(device).isNotNull();
        assertThat(device.properties().has("manufacturer")).isFalse();
        assertThat(device.properties().has("product")).isFalse();
        assertThat(device.properties().has("speed")).isFalse();
        assertThat(device.properties().has("usbVersion")).isFalse();
        assertThat(device.name()).isEqualTo("USB device 0403:6001");
        assertThat(device.property("busPath")).isEqualTo("1-1.1");
        assertThat(device.properties().get("devnodes").get(0).asText()).isEqualTo("/dev/ttyUSB0");
    }

    @Test
    void linkLoopsAndDeepOrWideTreesBelowAnInterfaceDoNotTrapTheWalk() throws Exception {
        final Path ftdiInterface = tree.deviceDirectory("1-1.1").resolve("1-1.1:1.0");
        Files.createSymbolicLink(ftdiInterface.resolve("ttyUSB0/loop"), Path.of("../.."));
        Files.createSymbolicLink(ftdiInterface.resolve("self"), Path.of("."));
        // A node 20 levels down: beyond the walk's depth, so it is not reported.
        Path deep = tree.deviceDirectory("1-1.2").resolve("1-1.2:1.1");
        for (int i = 0; i < 20; i++) {
            deep = deep.resolve("d" + i);
        }
        Files.createDirectories(deep);
        Files.writeString(deep.resolve("dev"), "166:9\n");
        Files.writeString(deep.resolve("uevent"), "DEVNAME=ttyACM9\n");
        Files.createSymbolicLink(deep.resolve("subsystem"), tree.sysfsRoot().resolve("class/tty"));
        // A wide interface: far more directories than the walk visits.
        final Path wide = tree.deviceDirectory("1-1.6").resolve("1-1.6:1.1");
        for (int i = 0; i < 600; i++) {
            Files.createDirectory(wide.resolve(String.format("w%03d", i)));
        }

        final ScanResult result = scanner.scan(fixtureOnly(tree, ""));

        final Map<String, Device> devices = byId(result);
        assertThat(devices.get(FTDI).properties().get("devnodes").toString()).isEqualTo("[\"/dev/ttyUSB0\"]");
        assertThat(devices.values())
                .allSatisfy(d -> assertThat(d.properties().toString()).doesNotContain("ttyACM9"));
        assertThat(devices).containsKey("usb:path:1-1.6");
    }

    @Test
    void devnameThatEscapesDevIsIgnored() throws Exception {
        final Path tty = tree.deviceDirectory("1-1.1").resolve("1-1.1:1.0/ttyUSB0/tty/ttyUSB0");
        Files.writeString(tty.resolve("uevent"), "MAJOR=188\nMINOR=0\nDEVNAME=../etc/shadow\n", StandardCharsets.UTF_8);

        final Map<String, Device> devices = byId(scanner.scan(fixtureOnly(tree, "")));

        assertThat(devices.get(FTDI).properties().get("devnodes")).isEmpty();
        assertThat(devices.values()).noneMatch(d -> "ttyUSB0".equals(d.property("systemPortName")));
        assertThat(devices.values()).noneMatch(d -> d.properties().toString().contains("shadow"));
    }

    private static void mkfifo(final Path path) throws Exception {
        final Process process =
                new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
    }
}
