package dev.baton.adapters.onvif.internal;

import dev.baton.adapters.api.discovery.DiscoveryListener;
import dev.baton.protocol.Names;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on the WS-Discovery multicast group (239.255.255.250:3702) for Hello and Bye (WS-Discovery 2005/04
 * sections 4.1 and 4.2): a Hello from an ONVIF device (or one that names no types) asks the agent to scan soon, a
 * Bye drops the device at once.
 * The socket is bound with SO_REUSEADDR so that other WS-Discovery listeners on the host (a camera simulator,
 * {@code wsdd}, another agent) keep working; repeats of a message (same MessageID) are acted on once.
 *
 * <p>Owns one daemon thread, started by {@link #start} and ended by {@link #close}; the {@link DiscoveryListener}
 * is called on that thread and returns at once.
 */
final class HelloByeListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HelloByeListener.class);
    /** Enough to recognise the repeats of the messages of a few dozen devices starting at once. */
    private static final int REMEMBERED_MESSAGE_IDS = 512;

    private final DatagramChannel channel;
    private final List<NetworkInterface> interfaces;
    private final DiscoveryListener listener;
    private final String handler;
    private final Map<String, Boolean> seen = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_MESSAGE_IDS;
        }
    };
    private final Thread thread;

    private HelloByeListener(
            final DatagramChannel channel,
            final List<NetworkInterface> interfaces,
            final DiscoveryListener listener,
            final String handler) {
        this.channel = channel;
        this.interfaces = List.copyOf(interfaces);
        this.listener = listener;
        this.handler = handler;
        this.thread = new Thread(this::run, "onvif-hello-bye");
        this.thread.setDaemon(true);
    }

    /** Binds port 3702, joins the group on each of {@code interfaces} and starts listening. */
    static @NotNull HelloByeListener start(
            final @NotNull List<NetworkInterface> interfaces,
            final @NotNull DiscoveryListener listener,
            final @NotNull String handler)
            throws IOException {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(WsDiscoveryProbe.GROUP.getPort()));
            for (final NetworkInterface nif : interfaces) {
                channel.join(WsDiscoveryProbe.GROUP.getAddress(), nif);
            }
        } catch (final IOException e) {
            channel.close();
            throw e;
        }
        final HelloByeListener started = new HelloByeListener(channel, interfaces, listener, handler);
        started.thread.start();
        return started;
    }

    /** The interfaces it joined the group on. */
    @NotNull
    List<NetworkInterface> interfaces() {
        return interfaces;
    }

    private void run() {
        final ByteBuffer buffer = ByteBuffer.allocate(WsDiscoveryCodec.MAX_DATAGRAM_BYTES + 1);
        while (channel.isOpen()) {
            final InetSocketAddress source;
            try {
                buffer.clear();
                source = (InetSocketAddress) channel.receive(buffer);
            } catch (final ClosedChannelException e) {
                return;
            } catch (final IOException e) {
                LOG.warn("WS-Discovery Hello/Bye listening failed and stops: {}", Names.printable(e.toString()));
                return;
            }
            try {
                act(WsDiscoveryCodec.decode(buffer.array(), buffer.position(), source));
            } catch (final MalformedXmlException e) {
                LOG.debug("Refused a WS-Discovery datagram from {} that {}", source, e.getMessage());
            }
        }
    }

    private void act(final WsDiscoveryMessage message) {
        if (message instanceof WsDiscoveryMessage.Hello hello) {
            // A Hello without Types may still be a camera; one of a printer or a PC (wsdd) is not.
            final boolean maybeCamera =
                    hello.endpoint().types().isEmpty() || hello.endpoint().isOnvif();
            if (maybeCamera && firstTime(hello.messageId())) {
                LOG.debug(
                        "Hello from {}: scanning soon",
                        Names.printable(hello.endpoint().address()));
                listener.rescan(handler);
            }
        } else if (message instanceof WsDiscoveryMessage.Bye bye) {
            if (firstTime(bye.messageId())) {
                LOG.debug("Bye from {}", Names.printable(bye.address()));
                listener.departed(handler, CameraFacts.ID_PREFIX + bye.address());
            }
        }
    }

    private boolean firstTime(final String messageId) {
        return seen.put(messageId, Boolean.TRUE) == null;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (final IOException e) {
            LOG.debug("Closing the WS-Discovery listener failed: {}", e.toString());
        }
        try {
            thread.join(1_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
