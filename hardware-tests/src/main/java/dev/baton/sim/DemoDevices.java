package dev.baton.sim;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.sim.onvif.OnvifCameraSimulator;
import dev.baton.sim.onvif.SimulatedCamera;
import dev.baton.sim.opcua.OpcUaServerSimulator;
import dev.baton.sim.usb.UsbFixtureTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;

/**
 * The simulated devices of {@code bin/baton-demo}, in one process: ONVIF cameras (answering unicast WS-Discovery
 * and SOAP with digest authentication), an OPC UA server and a USB device tree. Writes the {@code discovery} section
 * that finds them to {@code <dir>/discovery.json}, and the cameras' credentials to the agent's
 * {@code secrets/onvif.json}, then prints {@code baton demo devices ready} and runs until stopped.
 *
 * <pre>DemoDevices --dir D --agent-data A [--cameras N]</pre>
 */
public final class DemoDevices {

    private static final String USERNAME = "admin";
    private static final String PASSWORD = "demo-camera-password";

    private DemoDevices() {}

    public static void main(final String[] args) throws Exception {
        Path dir = null;
        Path agentData = null;
        int cameras = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--agent-data" -> agentData = Path.of(args[i + 1]);
                case "--cameras" -> cameras = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException(
                        "unknown option " + args[i] + "; usage: DemoDevices --dir D --agent-data A [--cameras N]");
            }
        }
        if (dir == null || agentData == null) {
            throw new IllegalArgumentException("usage: DemoDevices --dir D --agent-data A [--cameras N]");
        }
        Files.createDirectories(dir);
        final Deque<AutoCloseable> running = new ArrayDeque<>();
        final ObjectNode discovery = JsonNodeFactory.instance.objectNode();

        final OnvifCameraSimulator onvif = OnvifCameraSimulator.builder()
                .interfaceName("lo")
                .credentials(USERNAME, PASSWORD)
                .cameras(cameras)
                .start();
        running.push(onvif);
        final ObjectNode onvifConfig = discovery.putObject("onvif");
        // Unicast: a demo must not depend on multicast routing of the machine it runs on.
        onvifConfig.put("multicast", false).put("intervalSeconds", 10).put("timeoutMs", 3000);
        final var unicast = onvifConfig.putArray("unicast");
        for (final SimulatedCamera camera : onvif.cameras()) {
            unicast.add(camera.unicastTarget());
            System.out.println("camera " + camera.spec().uuid() + " "
                    + camera.spec().manufacturer() + " " + camera.spec().model() + " at " + camera.deviceService());
        }
        writeCredentials(agentData.resolve("secrets").resolve("onvif.json"));

        final UsbFixtureTree usb = UsbFixtureTree.standard(dir.resolve("usb").toAbsolutePath());
        // Only the fixture's devices: the demo must show the same on every machine.
        discovery
                .putObject("usb")
                .put("sysfsRoot", usb.sysfsRoot().toString())
                .put("serial", false)
                .put("intervalSeconds", 10);
        System.out.println("usb tree with " + usb.plugged().size() + " devices at " + usb.sysfsRoot());

        final OpcUaServerSimulator opcua = OpcUaServerSimulator.builder()
                .applicationName("Line 3 PLC (simulated)")
                .applicationUri("urn:baton:demo:line-3-plc")
                .manufacturerName("Baton Demo Automation")
                .productName("Simulated PLC")
                .directory(dir.resolve("opcua").toAbsolutePath())
                .folders(10)
                .variablesPerFolder(20)
                .start();
        running.push(opcua);
        final ObjectNode opcuaConfig = discovery.putObject("opcua").put("intervalSeconds", 10);
        opcuaConfig.putArray("discoveryUrls").add(opcua.discoveryUrl());
        opcuaConfig.putObject("browse").put("enabled", true).put("depth", 2).put("maxNodes", 500);
        System.out.println("opcua server " + opcua.applicationUri() + " at " + opcua.discoveryUrl());

        final Path file = dir.resolve("discovery.json");
        Files.writeString(
                file, new JsonMapper().writerWithDefaultPrettyPrinter().writeValueAsString(discovery));
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            while (!running.isEmpty()) {
                                try {
                                    running.pop().close();
                                } catch (final Exception e) {
                                    System.err.println("stopping a simulator failed: " + e);
                                }
                            }
                            stopped.countDown();
                        },
                        "demo-devices-shutdown"));
        System.out.println("baton demo devices ready: " + file);
        System.out.flush();
        stopped.await();
    }

    private static void writeCredentials(final Path file) throws IOException {
        Files.createDirectories(file.getParent());
        final ObjectNode credentials = JsonNodeFactory.instance.objectNode();
        credentials.putObject("default").put("username", USERNAME).put("password", PASSWORD);
        Files.writeString(file, credentials.toPrettyString());
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (final UnsupportedOperationException notPosix) {
            // Windows: the data directory's ACL protects it.
        }
    }
}
