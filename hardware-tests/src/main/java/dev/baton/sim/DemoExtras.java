package dev.baton.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Deque;

/** The demo's OPC UA server and USB tree (filled in as those simulators arrive). */
final class DemoExtras {

    private DemoExtras() {}

    static void start(final Path dir, final ObjectNode discovery, final Deque<AutoCloseable> running) {}
}
