package dev.baton.sim.onvif.internal;

import static dev.baton.sim.onvif.internal.SimXml.escape;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The WS-Discovery 2005/04 target side of a set of simulated cameras. One socket joins 239.255.255.250:3702 on the
 * given interface (bound with SO_REUSEADDR, so that other simulators, agents and tests on the host keep theirs);
 * each camera has its own UDP socket, from which it sends Hello, Bye and its ProbeMatches and on which it answers
 * unicast Probes. A multicast Probe is answered after a random delay up to {@code maxMatchDelay} (the spec's
 * APP_MAX_DELAY is 500 ms), a unicast one at once; repeats of a Probe (same MessageID) are answered once.
 *
 * <p>One selector thread receives; one scheduler thread sends delayed answers and Hello repeats.
 */
public final class DiscoveryResponder implements AutoCloseable {

    /** What a camera announces. */
    public record Announcement(@NotNull String address, @NotNull List<String> scopes, @NotNull String xaddr) {}

    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryResponder.class);
    private static final InetSocketAddress GROUP = new InetSocketAddress("239.255.255.250", 3702);
    private static final String ACTION = SimXml.WSD + "/";
    private static final String TYPES = "dn:NetworkVideoTransmitter tds:Device";
    private static final int REMEMBERED_PROBES = 2048;

    private final NetworkInterface nif;
    private final InetAddress bindAddress;
    private final Duration maxMatchDelay;
    private final DatagramChannel group;
    private final Selector selector;
    private final ScheduledExecutorService sender;
    private final Thread receiver;
    private final Map<String, Camera> cameras = new ConcurrentHashMap<>();
    private final Queue<Camera> toRegister = new ConcurrentLinkedQueue<>();
    private final Map<String, Boolean> answered = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_PROBES;
        }
    };
    private final long instanceId = Instant.now().getEpochSecond();
    private final AtomicLong messageNumber = new AtomicLong();
    private final AtomicInteger probesAnswered = new AtomicInteger();
    private final AtomicInteger datagramsRefused = new AtomicInteger();
    private volatile boolean running = true;

    private record Camera(Announcement announcement, DatagramChannel channel) {}

    private DiscoveryResponder(
            final NetworkInterface nif,
            final InetAddress bindAddress,
            final Duration maxMatchDelay,
            final DatagramChannel group,
            final Selector selector) {
        this.nif = nif;
        this.bindAddress = bindAddress;
        this.maxMatchDelay = maxMatchDelay;
        this.group = group;
        this.selector = selector;
        this.sender = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "onvif-sim-discovery-send"));
        this.receiver = daemon(this::receive, "onvif-sim-discovery");
    }

    /** Joins the group on {@code nif}; cameras' sockets bind to {@code bindAddress}. */
    public static @NotNull DiscoveryResponder start(
            final @NotNull NetworkInterface nif,
            final @NotNull InetAddress bindAddress,
            final @NotNull Duration maxMatchDelay)
            throws IOException {
        final DatagramChannel group = DatagramChannel.open(StandardProtocolFamily.INET);
        final Selector selector;
        try {
            group.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            group.bind(new InetSocketAddress(GROUP.getPort()));
            group.join(GROUP.getAddress(), nif);
            group.configureBlocking(false);
            selector = Selector.open();
            group.register(selector, SelectionKey.OP_READ, null);
        } catch (final IOException e) {
            group.close();
            throw e;
        }
        final DiscoveryResponder responder = new DiscoveryResponder(nif, bindAddress, maxMatchDelay, group, selector);
        responder.receiver.start();
        return responder;
    }

    /** Opens the camera's socket, starts answering for it and sends its Hello; returns its unicast address. */
    public @NotNull InetSocketAddress add(final @NotNull Announcement announcement) throws IOException {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.bind(new InetSocketAddress(bindAddress, 0));
            channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            channel.configureBlocking(false);
        } catch (final IOException e) {
            channel.close();
            throw e;
        }
        final Camera camera = new Camera(announcement, channel);
        cameras.put(announcement.address(), camera);
        toRegister.add(camera);
        selector.wakeup();
        final String hello = message(
                "Hello",
                "urn:uuid:" + UUID.randomUUID(),
                null,
                "urn:schemas-xmlsoap-org:ws:2005:04:discovery",
                "<d:Hello>" + endpoint(announcement) + "</d:Hello>");
        sendTwice(channel, hello);
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Sends the camera's Bye and closes its socket. */
    public void remove(final @NotNull String address) {
        final Camera camera = cameras.remove(address);
        if (camera == null) {
            return;
        }
        final String bye = message(
                "Bye",
                "urn:uuid:" + UUID.randomUUID(),
                null,
                "urn:schemas-xmlsoap-org:ws:2005:04:discovery",
                "<d:Bye><a:EndpointReference><a:Address>" + escape(address)
                        + "</a:Address></a:EndpointReference></d:Bye>");
        try {
            final ByteBuffer bytes = ByteBuffer.wrap(bye.getBytes(StandardCharsets.UTF_8));
            camera.channel().send(bytes, GROUP);
            camera.channel().send(bytes.rewind(), GROUP);
        } catch (final IOException e) {
            LOG.warn("Bye of {} could not be sent: {}", address, e.toString());
        }
        close(camera.channel());
    }

    /** Multicast and unicast Probes answered with a ProbeMatch so far. */
    public int probesAnswered() {
        return probesAnswered.get();
    }

    /** Datagrams received that were not a well-formed WS-Discovery message. */
    public int datagramsRefused() {
        return datagramsRefused.get();
    }

    private void receive() {
        final ByteBuffer buffer = ByteBuffer.allocate(65_536);
        try {
            while (running) {
                selector.select();
                for (Camera camera; (camera = toRegister.poll()) != null; ) {
                    if (camera.channel().isOpen()) {
                        camera.channel().register(selector, SelectionKey.OP_READ, camera);
                    }
                }
                for (final SelectionKey key : selector.selectedKeys()) {
                    final DatagramChannel channel = (DatagramChannel) key.channel();
                    while (true) {
                        buffer.clear();
                        final InetSocketAddress from;
                        try {
                            from = (InetSocketAddress) channel.receive(buffer);
                        } catch (final IOException e) {
                            key.cancel();
                            break;
                        }
                        if (from == null) {
                            break;
                        }
                        final byte[] data = new byte[buffer.position()];
                        buffer.flip().get(data);
                        onDatagram(data, from, (Camera) key.attachment());
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (final IOException | ClosedSelectorException e) {
            if (running) {
                LOG.warn("The simulator's WS-Discovery receiver stopped: {}", e.toString());
            }
        }
    }

    /** Handles one datagram that came to the group ({@code unicastTo} null) or to one camera's socket. */
    private void onDatagram(final byte[] data, final InetSocketAddress from, final Camera unicastTo) {
        final Optional<Probe> probe = Probe.read(data);
        if (probe.isEmpty()) {
            datagramsRefused.incrementAndGet();
            return;
        }
        final String key = (unicastTo == null ? "*" : unicastTo.announcement().address()) + " "
                + probe.get().messageId();
        synchronized (answered) {
            if (answered.put(key, Boolean.TRUE) != null) {
                return; // a repeat
            }
        }
        final List<Camera> matching = new ArrayList<>();
        if (unicastTo != null) {
            matching.add(unicastTo);
        } else {
            matching.addAll(cameras.values());
        }
        for (final Camera camera : matching) {
            if (!probe.get().matches(camera.announcement())) {
                continue;
            }
            final String matches = message(
                    "ProbeMatches",
                    "urn:uuid:" + UUID.randomUUID(),
                    probe.get().messageId(),
                    SimXml.WSA + "/role/anonymous",
                    "<d:ProbeMatches><d:ProbeMatch>" + endpoint(camera.announcement())
                            + "</d:ProbeMatch></d:ProbeMatches>");
            final long delay = unicastTo != null || maxMatchDelay.isZero()
                    ? 0
                    : ThreadLocalRandom.current().nextLong(maxMatchDelay.toMillis() + 1);
            sender.schedule(() -> sendTo(camera, matches, from), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void sendTo(final Camera camera, final String xml, final InetSocketAddress to) {
        if (!running || !camera.channel().isOpen()) {
            return;
        }
        try {
            camera.channel().send(ByteBuffer.wrap(xml.getBytes(StandardCharsets.UTF_8)), to);
            probesAnswered.incrementAndGet();
        } catch (final IOException e) {
            LOG.debug("ProbeMatches to {} failed: {}", to, e.toString());
        }
    }

    /** Sends now and repeats once 50 to 250 ms later with the same MessageID (SOAP-over-UDP 1.1 retransmission). */
    private void sendTwice(final DatagramChannel channel, final String xml) throws IOException {
        final byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        channel.send(ByteBuffer.wrap(bytes), GROUP);
        sender.schedule(
                () -> {
                    try {
                        if (channel.isOpen()) {
                            channel.send(ByteBuffer.wrap(bytes), GROUP);
                        }
                    } catch (final IOException e) {
                        LOG.debug("Repeat to the group failed: {}", e.toString());
                    }
                },
                ThreadLocalRandom.current().nextLong(50, 251),
                TimeUnit.MILLISECONDS);
    }

    private String endpoint(final Announcement announcement) {
        return "<a:EndpointReference><a:Address>" + escape(announcement.address())
                + "</a:Address></a:EndpointReference>"
                + "<d:Types>" + TYPES + "</d:Types>"
                + "<d:Scopes>" + escape(String.join(" ", announcement.scopes())) + "</d:Scopes>"
                + "<d:XAddrs>" + escape(announcement.xaddr()) + "</d:XAddrs>"
                + "<d:MetadataVersion>1</d:MetadataVersion>";
    }

    private String message(
            final String action, final String messageId, final String relatesTo, final String to, final String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<s:Envelope xmlns:s=\"" + SimXml.SOAP12 + "\" xmlns:a=\"" + SimXml.WSA + "\" xmlns:d=\""
                + SimXml.WSD + "\" xmlns:dn=\"" + SimXml.DN + "\" xmlns:tds=\"" + SimXml.TDS + "\">"
                + "<s:Header><a:Action s:mustUnderstand=\"1\">" + ACTION + action + "</a:Action>"
                + "<a:MessageID>" + messageId + "</a:MessageID>"
                + (relatesTo == null ? "" : "<a:RelatesTo>" + escape(relatesTo) + "</a:RelatesTo>")
                + "<a:To s:mustUnderstand=\"1\">" + to + "</a:To>"
                + "<d:AppSequence InstanceId=\"" + instanceId + "\" MessageNumber=\"" + messageNumber.incrementAndGet()
                + "\"/></s:Header><s:Body>" + body + "</s:Body></s:Envelope>";
    }

    /** Sends Bye for every camera and stops. */
    @Override
    public void close() {
        for (final String address : List.copyOf(cameras.keySet())) {
            remove(address);
        }
        running = false;
        sender.shutdownNow();
        try {
            selector.close();
        } catch (final IOException e) {
            LOG.debug("Closing the selector failed: {}", e.toString());
        }
        close(group);
        try {
            receiver.join(2_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(final DatagramChannel channel) {
        try {
            channel.close();
        } catch (final IOException e) {
            LOG.debug("Closing a socket failed: {}", e.toString());
        }
    }

    private static Thread daemon(final Runnable runnable, final String name) {
        final Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** A Probe as a target reads it (WS-Discovery 2005/04 sections 5.1 and 5.2). */
    private record Probe(String messageId, List<String[]> types, List<String> scopes, String matchBy) {

        private static final String RFC3986 = SimXml.WSD + "/rfc3986";

        static Optional<Probe> read(final byte[] data) {
            final Optional<Document> document = SimXml.parse(data, data.length);
            if (document.isEmpty()) {
                return Optional.empty();
            }
            final Element envelope = document.get().getDocumentElement();
            final String soap = envelope.getNamespaceURI();
            final Optional<Element> header = SimXml.child(envelope, soap, "Header");
            final Optional<String> action = SimXml.text(header.flatMap(h -> SimXml.child(h, SimXml.WSA, "Action")));
            final Optional<String> messageId =
                    SimXml.text(header.flatMap(h -> SimXml.child(h, SimXml.WSA, "MessageID")));
            final Optional<Element> probe =
                    SimXml.child(envelope, soap, "Body").flatMap(b -> SimXml.child(b, SimXml.WSD, "Probe"));
            if (action.isEmpty()
                    || !action.get().equals(ACTION + "Probe")
                    || messageId.isEmpty()
                    || messageId.get().isEmpty()
                    || probe.isEmpty()) {
                return Optional.empty();
            }
            final Optional<Element> typesElement = SimXml.child(probe.get(), SimXml.WSD, "Types");
            final List<String[]> types = new ArrayList<>();
            for (final String token : SimXml.tokens(typesElement)) {
                final int colon = token.indexOf(':');
                final String prefix = colon < 0 ? null : token.substring(0, colon);
                final String namespace = typesElement.orElseThrow().lookupNamespaceURI(prefix);
                types.add(new String[] {namespace == null ? "" : namespace, token.substring(colon + 1)});
            }
            final Optional<Element> scopesElement = SimXml.child(probe.get(), SimXml.WSD, "Scopes");
            final String matchBy = scopesElement
                    .map(e -> e.getAttribute("MatchBy"))
                    .filter(m -> !m.isEmpty())
                    .orElse(RFC3986);
            return Optional.of(new Probe(messageId.get(), types, SimXml.tokens(scopesElement), matchBy));
        }

        boolean matches(final Announcement camera) {
            for (final String[] type : types) {
                final boolean known = (type[0].equals(SimXml.DN) && type[1].equals("NetworkVideoTransmitter"))
                        || (type[0].equals(SimXml.TDS) && type[1].equals("Device"));
                if (!known) {
                    return false;
                }
            }
            for (final String scope : scopes) {
                if (camera.scopes().stream().noneMatch(own -> scopeMatches(scope, own))) {
                    return false;
                }
            }
            return true;
        }

        /** RFC 3986 matching as WS-Discovery 2005/04 section 5.1 defines it: a segment-wise prefix. */
        private boolean scopeMatches(final String probed, final String own) {
            if (!matchBy.equals(RFC3986)) {
                return probed.equals(own);
            }
            final String[] a = probed.split("/", -1);
            final String[] b = own.split("/", -1);
            if (a.length > b.length) {
                return false;
            }
            for (int i = 0; i < a.length; i++) {
                final boolean schemeOrAuthority = i < 3;
                if (schemeOrAuthority
                        ? !a[i].toLowerCase(Locale.ROOT).equals(b[i].toLowerCase(Locale.ROOT))
                        : !a[i].equals(b[i])) {
                    return false;
                }
            }
            return true;
        }
    }
}
