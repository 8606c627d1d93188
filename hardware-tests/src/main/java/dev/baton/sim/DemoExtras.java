package dev.baton.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.sim.opcua.OpcUaServerSimulator;
import dev.baton.sim.usb.UsbFixtureTree;
import java.nio.file.Path;
import java.util.Deque;

/** The demo's USB device tree and OPC UA server, beside the cameras {@link DemoDevices} starts. */
final class DemoExtras {

    private DemoExtras() {}

    static void start(final Path dir, final ObjectNode discovery, final Deque<AutoCloseable> running) {
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
    }
}
