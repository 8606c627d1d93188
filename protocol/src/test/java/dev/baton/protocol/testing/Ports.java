package dev.baton.protocol.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Ports for in-process peers (brokers, the hub's HTTP and MQTT listeners) in tests, shared with agent, hub and
 * hardware tests through the protocol test-jar.
 */
public final class Ports {

    private Ports() {}

    /**
     * A TCP port on 127.0.0.1 that was free a moment ago: the OS picks it, and the socket is closed again at once.
     * Another process may take it before the caller binds it, which the OS's habit of not handing out a recently
     * used ephemeral port again makes rare; a test that starts a peer on it should fail clearly if the bind fails.
     */
    public static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException("could not find a free port on the loopback interface", e);
        }
    }
}
