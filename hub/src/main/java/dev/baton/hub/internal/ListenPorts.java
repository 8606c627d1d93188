package dev.baton.hub.internal;

import dev.baton.hub.HubStartException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.jetbrains.annotations.NotNull;

/**
 * Port checks done before starting a listener: HiveMQ's listener cannot bind port 0 and tell which port it got, and a
 * taken HTTP port is better found before the broker has started than after.
 */
public final class ListenPorts {

    private ListenPorts() {}

    /** A port that is free on {@code host} right now. */
    public static int pickFree(final @NotNull String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new HubStartException(
                    HubStartException.Reason.PORT_IN_USE,
                    "cannot find a free port on " + host + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * @throws HubStartException with {@link HubStartException.Reason#PORT_IN_USE} when {@code host:port} is taken
     */
    public static void checkFree(final @NotNull String host, final int port, final @NotNull String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (final IOException e) {
            throw new HubStartException(
                    HubStartException.Reason.PORT_IN_USE,
                    "cannot listen for " + what + " on " + host + ':' + port + ": " + e.getMessage()
                            + "; stop whatever uses the port or choose another one",
                    e);
        }
    }
}
