package dev.baton.adapters.onvif.internal;

import static dev.baton.adapters.onvif.internal.Namespaces.WSA;
import static dev.baton.adapters.onvif.internal.Namespaces.WSD;

import dev.baton.protocol.Names;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.xml.namespace.QName;
import org.jetbrains.annotations.NotNull;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes WS-Discovery 2005/04 Probes and reads ProbeMatches, Hello and Bye, with the SOAP 1.2 envelope and
 * WS-Addressing 2004/08 headers ONVIF devices use (ONVIF Core Specification, "Discovery"). Everything read is
 * bounded: the datagram by {@link #MAX_DATAGRAM_BYTES}, the lists and strings by the constants below; a value out
 * of bounds is left out, and a message without what it must carry is refused with a {@link MalformedXmlException}.
 */
final class WsDiscoveryCodec {

    static final String ACTION_PROBE = WSD + "/Probe";
    static final String ACTION_PROBE_MATCHES = WSD + "/ProbeMatches";
    static final String ACTION_HELLO = WSD + "/Hello";
    static final String ACTION_BYE = WSD + "/Bye";
    /** The well-known {@code To} of multicast messages (WS-Discovery 2005/04, "Protocol assignments"). */
    static final String TO_DISCOVERY = "urn:schemas-xmlsoap-org:ws:2005:04:discovery";

    static final String ANONYMOUS = WSA + "/role/anonymous";

    /**
     * A ProbeMatches for one camera is 1 to 3 KiB; 32 KiB leaves room for devices with many scopes and refuses
     * anything meant to exhaust memory. UDP datagrams over IPv4 cannot exceed 65,507 bytes anyway.
     */
    static final int MAX_DATAGRAM_BYTES = 32 * 1024;
    /** One ProbeMatches answers for one device; a few devices behind one address (an encoder) fit. */
    static final int MAX_MATCHES_PER_MESSAGE = 16;
    /** The device id is {@code onvif:} plus the address and must fit {@code Limits.MAX_DEVICE_ID_CHARS} (256). */
    static final int MAX_ADDRESS_CHARS = 250;

    static final int MAX_SCOPES = 32;
    static final int MAX_SCOPE_CHARS = 256;
    static final int MAX_XADDRS = 8;
    static final int MAX_XADDR_CHARS = 512;
    static final int MAX_TYPES = 16;

    private WsDiscoveryCodec() {}

    /** A multicast or unicast Probe for devices of {@code type} (WS-Discovery 2005/04 section 5.2), as UTF-8. */
    static byte @NotNull [] probe(final @NotNull String messageId, final @NotNull QName type) {
        final String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<s:Envelope xmlns:s=\"" + Namespaces.SOAP12 + "\" xmlns:a=\"" + WSA + "\" xmlns:d=\"" + WSD
                + "\" xmlns:t=\"" + type.getNamespaceURI() + "\">"
                + "<s:Header>"
                + "<a:Action s:mustUnderstand=\"1\">" + ACTION_PROBE + "</a:Action>"
                + "<a:MessageID>" + Soap.escape(messageId) + "</a:MessageID>"
                + "<a:ReplyTo><a:Address>" + ANONYMOUS + "</a:Address></a:ReplyTo>"
                + "<a:To s:mustUnderstand=\"1\">" + TO_DISCOVERY + "</a:To>"
                + "</s:Header>"
                + "<s:Body><d:Probe><d:Types>t:" + type.getLocalPart() + "</d:Types></d:Probe></s:Body>"
                + "</s:Envelope>";
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads one datagram.
     *
     * @throws MalformedXmlException when it is too large, not XML, not a SOAP envelope with WS-Addressing headers,
     *     or a ProbeMatches, Hello or Bye without what it must carry
     */
    static @NotNull WsDiscoveryMessage decode(
            final byte @NotNull [] data, final int length, final @NotNull InetSocketAddress source) {
        if (length > MAX_DATAGRAM_BYTES) {
            throw new MalformedXmlException("is " + length + " bytes, more than the " + MAX_DATAGRAM_BYTES
                    + " bytes a WS-Discovery message may" + " have here");
        }
        final Document document = SecureXml.parse(data, 0, length);
        final Element envelope = document.getDocumentElement();
        final String soap = envelope.getNamespaceURI();
        if (!"Envelope".equals(envelope.getLocalName())
                || !(Namespaces.SOAP12.equals(soap) || Namespaces.SOAP11.equals(soap))) {
            throw new MalformedXmlException("is not a SOAP envelope");
        }
        final Element header = SecureXml.child(envelope, soap, "Header")
                .orElseThrow(() -> new MalformedXmlException("has no SOAP header"));
        final Element body = SecureXml.child(envelope, soap, "Body")
                .orElseThrow(() -> new MalformedXmlException("has no SOAP body"));
        final String action = SecureXml.text(SecureXml.child(header, WSA, "Action"))
                .orElseThrow(() -> new MalformedXmlException("has no WS-Addressing Action"));
        final String messageId = SecureXml.text(SecureXml.child(header, WSA, "MessageID"))
                .filter(id -> id.length() <= MAX_ADDRESS_CHARS)
                .orElseThrow(() -> new MalformedXmlException("has no WS-Addressing MessageID"));
        return switch (action) {
            case ACTION_PROBE_MATCHES -> probeMatches(messageId, header, body, source);
            case ACTION_HELLO -> new WsDiscoveryMessage.Hello(
                    messageId,
                    endpoint(
                            SecureXml.child(body, WSD, "Hello")
                                    .orElseThrow(() -> new MalformedXmlException("is a Hello without d:Hello")),
                            source));
            case ACTION_BYE -> new WsDiscoveryMessage.Bye(
                    messageId,
                    address(SecureXml.child(body, WSD, "Bye")
                            .orElseThrow(() -> new MalformedXmlException("is a Bye without d:Bye"))));
            default -> new WsDiscoveryMessage.Other(messageId, Names.printable(action));
        };
    }

    private static WsDiscoveryMessage.ProbeMatches probeMatches(
            final String messageId, final Element header, final Element body, final InetSocketAddress source) {
        final String relatesTo = SecureXml.text(SecureXml.child(header, WSA, "RelatesTo"))
                .orElseThrow(() -> new MalformedXmlException("is a ProbeMatches without WS-Addressing RelatesTo"));
        final Element matches = SecureXml.child(body, WSD, "ProbeMatches")
                .orElseThrow(() -> new MalformedXmlException("is a ProbeMatches without d:ProbeMatches"));
        final List<DiscoveredEndpoint> endpoints = new ArrayList<>();
        for (final Element match : SecureXml.children(matches, WSD, "ProbeMatch")) {
            if (endpoints.size() == MAX_MATCHES_PER_MESSAGE) {
                break;
            }
            endpoints.add(endpoint(match, source));
        }
        return new WsDiscoveryMessage.ProbeMatches(messageId, relatesTo, endpoints);
    }

    /** Reads the content shared by ProbeMatch and Hello. */
    private static DiscoveredEndpoint endpoint(final Element element, final InetSocketAddress source) {
        final String address = address(element);
        final Set<QName> types = new LinkedHashSet<>();
        final Optional<Element> typesElement = SecureXml.child(element, WSD, "Types");
        for (final String token : tokens(SecureXml.text(typesElement))) {
            if (types.size() == MAX_TYPES) {
                break;
            }
            qname(typesElement.orElseThrow(), token).ifPresent(types::add);
        }
        final List<String> scopes = new ArrayList<>();
        for (final String scope : tokens(SecureXml.text(SecureXml.child(element, WSD, "Scopes")))) {
            if (scopes.size() < MAX_SCOPES && scope.length() <= MAX_SCOPE_CHARS && !scopes.contains(scope)) {
                scopes.add(scope);
            }
        }
        final List<URI> xaddrs = new ArrayList<>();
        for (final String xaddr : tokens(SecureXml.text(SecureXml.child(element, WSD, "XAddrs")))) {
            if (xaddrs.size() < MAX_XADDRS && xaddr.length() <= MAX_XADDR_CHARS) {
                httpUrl(xaddr).filter(uri -> !xaddrs.contains(uri)).ifPresent(xaddrs::add);
            }
        }
        final long metadataVersion = SecureXml.text(SecureXml.child(element, WSD, "MetadataVersion"))
                .filter(text -> text.matches("[0-9]{1,10}"))
                .map(Long::parseLong)
                .filter(version -> version <= 0xFFFF_FFFFL)
                .orElse(0L);
        return new DiscoveredEndpoint(address, types, scopes, xaddrs, metadataVersion, source);
    }

    /** The endpoint reference address (WS-Addressing 2004/08 {@code EndpointReference/Address}). */
    private static String address(final Element parent) {
        final String address = SecureXml.text(SecureXml.path(parent, WSA, "EndpointReference", "Address"))
                .orElseThrow(() -> new MalformedXmlException("has no endpoint reference address"));
        if (address.length() > MAX_ADDRESS_CHARS || address.codePoints().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new MalformedXmlException("has an endpoint reference address that must be at most "
                    + MAX_ADDRESS_CHARS + " characters without spaces or control characters, but was \""
                    + Names.printable(address) + "\"");
        }
        return address;
    }

    private static List<String> tokens(final Optional<String> text) {
        return text.map(t -> List.of(t.split("\\s+"))).orElse(List.of());
    }

    /** Resolves {@code prefix:local} against the namespaces in scope at {@code context}. */
    private static Optional<QName> qname(final Element context, final String token) {
        final int colon = token.indexOf(':');
        final String prefix = colon < 0 ? null : token.substring(0, colon);
        final String local = token.substring(colon + 1);
        final String namespace = context.lookupNamespaceURI(prefix);
        if (namespace == null || local.isEmpty() || local.indexOf(':') >= 0) {
            return Optional.empty();
        }
        return Optional.of(new QName(namespace, local));
    }

    private static Optional<URI> httpUrl(final String text) {
        try {
            final URI uri = new URI(text);
            final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https"))
                    && uri.getHost() != null
                    && uri.getRawUserInfo() == null) {
                return Optional.of(uri);
            }
            return Optional.empty();
        } catch (final URISyntaxException e) {
            return Optional.empty();
        }
    }
}
