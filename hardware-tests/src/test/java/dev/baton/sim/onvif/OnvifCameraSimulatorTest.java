package dev.baton.sim.onvif;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The camera simulator checked with hand-written SOAP and WS-Discovery messages, independent of the handler: its
 * WS-Security checks, its answers to multicast and unicast Probes, and its tolerance of other simulators and of
 * garbage.
 */
class OnvifCameraSimulatorTest {

    private static final String PASSWORD_DIGEST =
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";

    private final List<OnvifCameraSimulator> simulators = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stopSimulators() {
        simulators.forEach(OnvifCameraSimulator::close);
    }

    private OnvifCameraSimulator start(final OnvifCameraSimulator.Builder builder) {
        final OnvifCameraSimulator simulator = builder.start();
        simulators.add(simulator);
        return simulator;
    }

    @Test
    void aCorrectDigestIsAcceptedAWrongOneAndAReplayedNonceAreRefusedWithNotAuthorized() throws Exception {
        final CameraSpec spec =
                CameraSpec.builder().credentials("admin", "right").build();
        final SimulatedCamera camera =
                start(OnvifCameraSimulator.builder().camera(spec)).cameras().get(0);
        final String nonce =
                Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes());
        final String created = Instant.now().toString();

        final HttpResponse<String> accepted = post(camera, deviceInformation("admin", "right", nonce, created));
        final HttpResponse<String> replayed = post(camera, deviceInformation("admin", "right", nonce, created));
        final HttpResponse<String> wrong = post(camera, deviceInformation("admin", "wrong", fresh(), created));
        final HttpResponse<String> missing = post(camera, envelope("", "<tds:GetDeviceInformation/>"));

        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.body()).contains("<tds:Manufacturer>Baton Simulated</tds:Manufacturer>");
        for (final HttpResponse<String> refused : List.of(replayed, wrong, missing)) {
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("<s:Value>s:Sender</s:Value>", "<s:Value>ter:NotAuthorized</s:Value>");
        }
        assertThat(simulator(0).refusedCredentials(spec.uuid())).isEqualTo(3);
    }

    @Test
    void getSystemDateAndTimeNeedsNoCredentialsAndUnknownActionsAreNotSupported() throws Exception {
        final SimulatedCamera camera =
                start(OnvifCameraSimulator.builder().cameras(1)).cameras().get(0);

        final HttpResponse<String> time = post(camera, envelope("", "<tds:GetSystemDateAndTime/>"));
        final HttpResponse<String> reboot = post(camera, envelope("", "<tds:SystemReboot/>"));

        assertThat(time.statusCode()).isEqualTo(200);
        assertThat(time.body()).contains("<tt:Year>" + java.time.Year.now(java.time.ZoneOffset.UTC) + "</tt:Year>");
        assertThat(reboot.statusCode()).isEqualTo(400); // refused for credentials first, as cameras do
    }

    @Test
    void twoSimulatorsOnOneHostBothAnswerOneMulticastProbe() throws Exception {
        final String scope = "onvif://www.onvif.org/location/test-" + UUID.randomUUID();
        final OnvifCameraSimulator first = start(OnvifCameraSimulator.builder()
                .maxMatchDelay(Duration.ofMillis(100))
                .scopeForGenerated(scope)
                .cameras(2));
        final OnvifCameraSimulator second = start(OnvifCameraSimulator.builder()
                .maxMatchDelay(Duration.ofMillis(100))
                .scopeForGenerated(scope)
                .cameras(1));

        final Set<String> answered = new HashSet<>();
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
            channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName("lo"));
            channel.bind(new InetSocketAddress(0));
            final String messageId = "urn:uuid:" + UUID.randomUUID();
            channel.send(
                    probe(messageId, "dn:NetworkVideoTransmitter", scope),
                    new InetSocketAddress("239.255.255.250", 3702));
            answered.addAll(receiveMatches(channel, messageId, Duration.ofSeconds(2)));
        }

        final Set<String> expected = new HashSet<>();
        first.cameras().forEach(c -> expected.add(c.spec().uuid()));
        second.cameras().forEach(c -> expected.add(c.spec().uuid()));
        assertThat(answered).isEqualTo(expected);
    }

    @Test
    void aUnicastProbeIsAnsweredForMatchingTypesOnlyAndGarbageDoesNotStopTheResponder() throws Exception {
        final SimulatedCamera camera =
                start(OnvifCameraSimulator.builder().cameras(1)).cameras().get(0);

        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            channel.send(ByteBuffer.wrap(new byte[] {0, 1, 2, '<', '!'}), camera.discoveryAddress());
            final String printer = "urn:uuid:" + UUID.randomUUID();
            channel.send(probe(printer, "wsdp:Device", null), camera.discoveryAddress());
            final String onvif = "urn:uuid:" + UUID.randomUUID();
            channel.send(probe(onvif, "tds:Device", null), camera.discoveryAddress());

            assertThat(receiveMatches(channel, onvif, Duration.ofSeconds(2)))
                    .containsExactly(camera.spec().uuid());
            channel.send(probe(printer, "wsdp:Device", null), camera.discoveryAddress());
            assertThat(receiveMatches(channel, printer, Duration.ofMillis(500))).isEmpty();
        }
    }

    private OnvifCameraSimulator simulator(final int index) {
        return simulators.get(index);
    }

    private HttpResponse<String> post(final SimulatedCamera camera, final String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(camera.deviceService())
                        .header("Content-Type", "application/soap+xml; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String fresh() {
        return Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes());
    }

    private static String deviceInformation(
            final String user, final String password, final String nonce, final String created) throws Exception {
        final MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(Base64.getDecoder().decode(nonce));
        sha1.update(created.getBytes(StandardCharsets.UTF_8));
        sha1.update(password.getBytes(StandardCharsets.UTF_8));
        final String digest = Base64.getEncoder().encodeToString(sha1.digest());
        return envelope(
                "<wsse:Security xmlns:wsse=\"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd\""
                        + " xmlns:wsu=\"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd\">"
                        + "<wsse:UsernameToken><wsse:Username>" + user + "</wsse:Username><wsse:Password Type=\""
                        + PASSWORD_DIGEST + "\">" + digest + "</wsse:Password><wsse:Nonce>" + nonce
                        + "</wsse:Nonce><wsu:Created>" + created
                        + "</wsu:Created></wsse:UsernameToken></wsse:Security>",
                "<tds:GetDeviceInformation/>");
    }

    private static String envelope(final String header, final String body) {
        return "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\""
                + " xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\"><s:Header>" + header + "</s:Header><s:Body>"
                + body + "</s:Body></s:Envelope>";
    }

    private static ByteBuffer probe(final String messageId, final String type, final String scope) {
        final String xml = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\""
                + " xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\""
                + " xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\""
                + " xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\""
                + " xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\""
                + " xmlns:wsdp=\"http://schemas.xmlsoap.org/ws/2006/02/devprof\"><s:Header>"
                + "<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>"
                + "<a:MessageID>" + messageId + "</a:MessageID>"
                + "<a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header><s:Body><d:Probe>"
                + "<d:Types>" + type + "</d:Types>"
                + (scope == null ? "" : "<d:Scopes>" + scope + "</d:Scopes>")
                + "</d:Probe></s:Body></s:Envelope>";
        return ByteBuffer.wrap(xml.getBytes(StandardCharsets.UTF_8));
    }

    /** The endpoint addresses of the ProbeMatches relating to {@code messageId} received within {@code time}. */
    private static Set<String> receiveMatches(
            final DatagramChannel channel, final String messageId, final Duration time) throws Exception {
        final Set<String> addresses = new HashSet<>();
        channel.configureBlocking(false);
        final Instant end = Instant.now().plus(time);
        final ByteBuffer buffer = ByteBuffer.allocate(65_536);
        while (Instant.now().isBefore(end)) {
            buffer.clear();
            if (channel.receive(buffer) == null) {
                Thread.sleep(10);
                continue;
            }
            final String xml = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            if (xml.contains("<a:RelatesTo>" + messageId + "</a:RelatesTo>")) {
                final int start = xml.indexOf("<a:Address>") + "<a:Address>".length();
                addresses.add(xml.substring(start, xml.indexOf("</a:Address>", start)));
            }
        }
        return addresses;
    }
}
