package dev.baton.adapters.onvif.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class WsDiscoveryCodecTest {

    private static final InetSocketAddress FROM = new InetSocketAddress("192.168.1.64", 3702);

    /**
     * A ProbeMatches as ONVIF cameras send it: SOAP 1.2, WS-Addressing 2004/08, WS-Discovery 2005/04, the types
     * prefixed with namespaces declared on the envelope, two XAddrs (IPv4 and link-local IPv6), scopes with
     * percent-encoded values.
     */
    private static final String PROBE_MATCHES =
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
                xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"
                xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"
                xmlns:dn="http://www.onvif.org/ver10/network/wsdl"
                xmlns:tds="http://www.onvif.org/ver10/device/wsdl">
              <env:Header>
                <wsa:MessageID>uuid:6a1c5ad2-0000-4000-8000-54c4153f1b64</wsa:MessageID>
                <!-- RelatesTo: the MessageID of the Probe this answers -->
                <wsa:RelatesTo>urn:uuid:0f8e1c4e-1111-4222-8333-444455556666</wsa:RelatesTo>
                <wsa:To env:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>
                <wsa:Action env:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action>
                <d:AppSequence InstanceId="1700000000" MessageNumber="17"/>
              </env:Header>
              <env:Body>
                <d:ProbeMatches>
                  <d:ProbeMatch>
                    <!-- the endpoint reference address: the camera's stable identity -->
                    <wsa:EndpointReference><wsa:Address>urn:uuid:3fa85f64-5717-4562-b3fc-2c963f66afa6</wsa:Address></wsa:EndpointReference>
                    <d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>
                    <d:Scopes>onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/Profile/Streaming
                      onvif://www.onvif.org/name/Front%20Door onvif://www.onvif.org/hardware/DS-2CD2143G2-I</d:Scopes>
                    <!-- an IPv4 XAddr, a link-local IPv6 one, and an ftp one that is not a device service -->
                    <d:XAddrs>http://192.168.1.64/onvif/device_service http://[fe80::1%25eth0]/onvif/device_service ftp://192.168.1.64/</d:XAddrs>
                    <d:MetadataVersion>10</d:MetadataVersion>
                  </d:ProbeMatch>
                </d:ProbeMatches>
              </env:Body>
            </env:Envelope>
            """;

    private static WsDiscoveryMessage decode(final String xml) {
        final byte[] bytes = xml.strip().getBytes(StandardCharsets.UTF_8);
        return WsDiscoveryCodec.decode(bytes, bytes.length, FROM);
    }

    @Test
    void probeMatchesIsReadWithItsEndpointTypesScopesXAddrsAndMetadataVersion() {
        final WsDiscoveryMessage message = decode(PROBE_MATCHES);

        assertThat(message).isInstanceOfSatisfying(WsDiscoveryMessage.ProbeMatches.class, matches -> {
            assertThat(matches.relatesTo()).isEqualTo("urn:uuid:0f8e1c4e-1111-4222-8333-444455556666");
            assertThat(matches.matches()).singleElement().satisfies(endpoint -> {
                assertThat(endpoint.address()).isEqualTo("urn:uuid:3fa85f64-5717-4562-b3fc-2c963f66afa6");
                assertThat(endpoint.types())
                        .containsExactlyInAnyOrder(
                                DiscoveredEndpoint.NETWORK_VIDEO_TRANSMITTER, DiscoveredEndpoint.DEVICE);
                assertThat(endpoint.isOnvif()).isTrue();
                assertThat(endpoint.scopes())
                        .containsExactly(
                                "onvif://www.onvif.org/type/video_encoder",
                                "onvif://www.onvif.org/Profile/Streaming",
                                "onvif://www.onvif.org/name/Front%20Door",
                                "onvif://www.onvif.org/hardware/DS-2CD2143G2-I");
                assertThat(endpoint.xaddrs())
                        .containsExactly(
                                URI.create("http://192.168.1.64/onvif/device_service"),
                                URI.create("http://[fe80::1%25eth0]/onvif/device_service"));
                assertThat(endpoint.metadataVersion()).isEqualTo(10);
                assertThat(endpoint.source()).isEqualTo(FROM);
            });
        });
    }

    @Test
    void helloAndByeAreReadWithTheirEndpointAddress() {
        final String hello = envelope(
                "Hello",
                "<d:Hello><a:EndpointReference><a:Address>urn:uuid:aaaa</a:Address></a:EndpointReference>"
                        + "<d:Types>dn:NetworkVideoTransmitter</d:Types><d:XAddrs>http://10.0.0.9/onvif/device_service"
                        + "</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:Hello>");
        final String bye = envelope(
                "Bye",
                "<d:Bye><a:EndpointReference><a:Address>urn:uuid:aaaa</a:Address></a:EndpointReference></d:Bye>");

        assertThat(decode(hello)).isInstanceOfSatisfying(WsDiscoveryMessage.Hello.class, h -> {
            assertThat(h.messageId()).isEqualTo("urn:uuid:m1");
            assertThat(h.endpoint().address()).isEqualTo("urn:uuid:aaaa");
            assertThat(h.endpoint().isOnvif()).isTrue();
        });
        assertThat(decode(bye)).isEqualTo(new WsDiscoveryMessage.Bye("urn:uuid:m1", "urn:uuid:aaaa"));
    }

    @Test
    void helloOfAPrinterIsNotAnOnvifDevice() {
        final String hello = envelope(
                "Hello",
                "<d:Hello xmlns:wsdp=\"http://schemas.xmlsoap.org/ws/2006/02/devprof\"><a:EndpointReference>"
                        + "<a:Address>urn:uuid:bbbb</a:Address></a:EndpointReference><d:Types>wsdp:Device</d:Types>"
                        + "</d:Hello>");

        assertThat(decode(hello)).isInstanceOfSatisfying(WsDiscoveryMessage.Hello.class, h -> assertThat(
                        h.endpoint().isOnvif())
                .isFalse());
    }

    @Test
    void ourProbeIsASoap12EnvelopeWhoseTypesResolveToTheProbedQName() {
        final byte[] probe = WsDiscoveryCodec.probe("urn:uuid:p1", DiscoveredEndpoint.DEVICE);

        final Document document = SecureXml.parse(probe, 0, probe.length);
        final var types = SecureXml.path(document.getDocumentElement(), Namespaces.SOAP12, "Body")
                .flatMap(body -> SecureXml.path(body, Namespaces.WSD, "Probe", "Types"))
                .orElseThrow();
        final String[] qname = types.getTextContent().split(":");
        assertThat(new QName(types.lookupNamespaceURI(qname[0]), qname[1])).isEqualTo(DiscoveredEndpoint.DEVICE);
        assertThat(decode(new String(probe, StandardCharsets.UTF_8)))
                .isEqualTo(new WsDiscoveryMessage.Other("urn:uuid:p1", WsDiscoveryCodec.ACTION_PROBE));
    }

    @Test
    void aDatagramLargerThan32KiBIsRefusedBeforeParsing() {
        final byte[] big = new byte[WsDiscoveryCodec.MAX_DATAGRAM_BYTES + 1];

        assertThatThrownBy(() -> WsDiscoveryCodec.decode(big, big.length, FROM))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessage("is 32769 bytes, more than the 32768 bytes a WS-Discovery message may have here");
    }

    @Test
    void anExternalEntityIsRefusedAndTheFileItNamesIsNeverRead(@TempDir final Path tmp) throws Exception {
        final Path secret = tmp.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET");
        final String xxe = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + PROBE_MATCHES
                        .strip()
                        .substring(PROBE_MATCHES.strip().indexOf("<env:Envelope"))
                        .replace("Front%20Door", "&x;");

        assertThatThrownBy(() -> decode(xxe))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessageContaining("a document type declaration is refused")
                .hasMessageNotContaining("TOP-SECRET");
    }

    @Test
    void anEntityExpansionBombIsRefused() {
        final String bomb = "<?xml version=\"1.0\"?><!DOCTYPE b [<!ENTITY a \"aaaaaaaaaa\">"
                + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><b>&c;</b>";

        assertThatThrownBy(() -> decode(bomb)).isInstanceOf(MalformedXmlException.class);
    }

    @Test
    void garbageAndNonSoapXmlAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> decode("\u0000\u0001not xml at all"))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessageStartingWith("is not well-formed XML at line 1");
        assertThatThrownBy(() -> decode("<html><body>hi</body></html>"))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessage("is not a SOAP envelope");
        assertThatThrownBy(() -> decode(PROBE_MATCHES.replaceAll("<wsa:RelatesTo>.*</wsa:RelatesTo>", "")))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessage("is a ProbeMatches without WS-Addressing RelatesTo");
        assertThatThrownBy(
                        () -> decode(PROBE_MATCHES.replaceAll("<wsa:EndpointReference>.*</wsa:EndpointReference>", "")))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessage("has no endpoint reference address");
    }

    @Test
    void anEndpointAddressWithControlCharactersOrTooLongIsRefused() {
        assertThatThrownBy(() -> decode(PROBE_MATCHES.replace(
                        "urn:uuid:3fa85f64-5717-4562-b3fc-2c963f66afa6", "urn:uuid:a&#10;INFO forged")))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessageContaining("urn:uuid:a\\u000aINFO forged");
        assertThatThrownBy(() -> decode(PROBE_MATCHES.replace("3fa85f64-5717-4562-b3fc-2c963f66afa6", "x".repeat(300))))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessageContaining("must be at most 250 characters");
    }

    @Test
    void scopesAndXAddrsAreBoundedAndXAddrsWithUserInfoAreLeftOut() {
        final String scopes = IntStream.range(0, 40)
                .mapToObj(i -> "onvif://www.onvif.org/location/" + i)
                .collect(Collectors.joining(" "));
        final String xml = PROBE_MATCHES
                .replaceAll(
                        "(?s)<d:Scopes>.*</d:Scopes>",
                        "<d:Scopes>" + scopes + " onvif://x/" + "y".repeat(300) + "</d:Scopes>")
                .replaceAll(
                        "<d:XAddrs>.*</d:XAddrs>",
                        "<d:XAddrs>http://admin:pw@192.168.1.64/onvif/device_service http://192.168.1.64:8080/onvif/"
                                + "device_service</d:XAddrs>");

        final var endpoint =
                ((WsDiscoveryMessage.ProbeMatches) decode(xml)).matches().get(0);

        assertThat(endpoint.scopes()).hasSize(WsDiscoveryCodec.MAX_SCOPES).allMatch(s -> s.length() < 256);
        assertThat(endpoint.xaddrs()).containsExactly(URI.create("http://192.168.1.64:8080/onvif/device_service"));
    }

    private static String envelope(final String action, final String body) {
        return "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:a=\""
                + Namespaces.WSA + "\" xmlns:d=\"" + Namespaces.WSD + "\" xmlns:dn=\"" + Namespaces.DN + "\">"
                + "<s:Header><a:Action>" + Namespaces.WSD + "/" + action + "</a:Action>"
                + "<a:MessageID>urn:uuid:m1</a:MessageID></s:Header><s:Body>" + body + "</s:Body></s:Envelope>";
    }
}
