package dev.baton.adapters.onvif.internal;

import dev.baton.protocol.Names;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import javax.xml.namespace.QName;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of WS-Discovery: Probes for {@code dn:NetworkVideoTransmitter} and for {@code tds:Device} (older
 * cameras announce only the first, some newer ones only the second) sent to the multicast group on each chosen
 * interface and to each unicast target, then the ProbeMatches that relate to them (WS-Addressing
 * {@code RelatesTo}) until the probe window closes. Each Probe goes out twice, the repeat 50 to 250 ms later,
 * with the same MessageID so that targets drop the duplicate (SOAP-over-UDP 1.1, retransmission). Answers come
 * unicast to this probe's own ephemeral port, so several probes and listeners can run on one host.
 *
 * <p>Used by the scanning thread only; datagrams that are malformed, oversized or unrelated are counted, logged at
 * debug level and dropped.
 */
final class WsDiscoveryProbe implements AutoCloseable {

    static final InetSocketAddress GROUP = new InetSocketAddress("239.255.255.250", 3702);
    static final List<QName> TYPES = List.of(DiscoveredEndpoint.NETWORK_VIDEO_TRANSMITTER, DiscoveredEndpoint.DEVICE);

    private static final Logger LOG = LoggerFactory.getLogger(WsDiscoveryProbe.class);
    /** Room for a burst of answers from a few hundred cameras; the kernel caps it at net.core.rmem_max. */
    private static final int RECEIVE_BUFFER_BYTES = 1024 * 1024;

    private static final long REPEAT_MIN_MILLIS = 50;
    private static final long REPEAT_MAX_MILLIS = 250;

    private final DatagramChannel channel;
    private final Selector selector;
    private final List<String> messageIds;
    private final ByteBuffer buffer = ByteBuffer.allocate(WsDiscoveryCodec.MAX_DATAGRAM_BYTES + 1);
    private int refused;

    private WsDiscoveryProbe(final DatagramChannel channel, final Selector selector) {
        this.channel = channel;
        this.selector = selector;
        this.messageIds =
                TYPES.stream().map(type -> "urn:uuid:" + UUID.randomUUID()).toList();
    }

    /** Opens an IPv4 UDP socket on an ephemeral port of every address. */
    static @NotNull WsDiscoveryProbe open() throws IOException {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1);
            channel.bind(new InetSocketAddress(0));
            channel.configureBlocking(false);
            final Selector selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            return new WsDiscoveryProbe(channel, selector);
        } catch (final IOException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Sends the Probes once to every destination.
     *
     * @param problems gets one sentence per destination that could not be sent to
     * @return how many destinations were sent to
     */
    int send(
            final @NotNull List<NetworkInterface> interfaces,
            final @NotNull Set<InetSocketAddress> unicast,
            final @NotNull List<String> problems) {
        int sent = 0;
        for (final NetworkInterface nif : interfaces) {
            try {
                channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
                sendProbes(GROUP);
                sent++;
            } catch (final IOException e) {
                problems.add("WS-Discovery multicast on interface " + nif.getName() + " failed (" + e.getMessage()
                        + "): check that the interface has a route for 239.255.255.250");
            }
        }
        for (final InetSocketAddress target : unicast) {
            try {
                sendProbes(target);
                sent++;
            } catch (final IOException e) {
                problems.add("the unicast WS-Discovery Probe to " + target + " failed (" + e.getMessage()
                        + "): check discovery.onvif.unicast and the route to it");
            }
        }
        return sent;
    }

    private void sendProbes(final SocketAddress destination) throws IOException {
        for (int i = 0; i < TYPES.size(); i++) {
            channel.send(ByteBuffer.wrap(WsDiscoveryCodec.probe(messageIds.get(i), TYPES.get(i))), destination);
        }
    }

    /**
     * Receives until {@code windowEnd}, or until every address in {@code awaited} has answered when
     * {@code endWhenAllAwaitedAnswered} (unicast only: nobody else can answer then), and hands each endpoint of a
     * related ProbeMatches to {@code onEndpoint} on this thread. Repeats the Probes once, as {@link #send} did,
     * after a random 50 to 250 ms.
     */
    void collect(
            final @NotNull Instant windowEnd,
            final @NotNull List<NetworkInterface> interfaces,
            final @NotNull Set<InetSocketAddress> awaited,
            final boolean endWhenAllAwaitedAnswered,
            final @NotNull Consumer<DiscoveredEndpoint> onEndpoint)
            throws InterruptedException {
        final Set<InetSocketAddress> waitingFor = new HashSet<>(awaited);
        Instant repeatAt = Instant.now()
                .plusMillis(ThreadLocalRandom.current().nextLong(REPEAT_MIN_MILLIS, REPEAT_MAX_MILLIS + 1));
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("the scan was stopped");
            }
            if (endWhenAllAwaitedAnswered && waitingFor.isEmpty()) {
                return;
            }
            final Instant now = Instant.now();
            if (!now.isBefore(windowEnd)) {
                return;
            }
            if (repeatAt != null && !now.isBefore(repeatAt)) {
                send(interfaces, waitingFor, new java.util.ArrayList<>());
                repeatAt = null;
            }
            final Instant wakeAt = repeatAt != null && repeatAt.isBefore(windowEnd) ? repeatAt : windowEnd;
            final long waitMillis = Math.max(1, Duration.between(now, wakeAt).toMillis());
            try {
                selector.select(waitMillis);
                selector.selectedKeys().clear();
                receiveAll(waitingFor, onEndpoint);
            } catch (final IOException e) {
                LOG.debug("WS-Discovery receive failed: {}", e.toString());
                return;
            }
        }
    }

    private void receiveAll(final Set<InetSocketAddress> waitingFor, final Consumer<DiscoveredEndpoint> onEndpoint)
            throws IOException {
        while (true) {
            buffer.clear();
            final SocketAddress from = channel.receive(buffer);
            if (from == null) {
                return;
            }
            final InetSocketAddress source = (InetSocketAddress) from;
            final WsDiscoveryMessage message;
            try {
                message = WsDiscoveryCodec.decode(buffer.array(), buffer.position(), source);
            } catch (final MalformedXmlException e) {
                refused++;
                LOG.debug("Refused a WS-Discovery datagram from {} that {}", source, e.getMessage());
                continue;
            }
            if (!(message instanceof WsDiscoveryMessage.ProbeMatches matches)
                    || !messageIds.contains(matches.relatesTo())) {
                refused++;
                LOG.debug(
                        "Ignored a WS-Discovery {} from {} that answers no Probe of this scan",
                        message.getClass().getSimpleName(),
                        source);
                continue;
            }
            waitingFor.remove(source);
            matches.matches().forEach(onEndpoint);
        }
    }

    /** Datagrams received and dropped as malformed, oversized or unrelated. */
    int refused() {
        return refused;
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (final IOException e) {
            LOG.debug("Closing the WS-Discovery selector failed: {}", e.toString());
        }
        try {
            channel.close();
        } catch (final IOException e) {
            LOG.debug("Closing the WS-Discovery socket failed: {}", Names.printable(e.toString()));
        }
    }
}
