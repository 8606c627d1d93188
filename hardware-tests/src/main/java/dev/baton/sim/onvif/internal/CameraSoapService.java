package dev.baton.sim.onvif.internal;

import static dev.baton.sim.onvif.internal.SimXml.escape;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.baton.sim.onvif.CameraSpec;
import dev.baton.sim.onvif.ProfileSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.annotations.NotNull;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * One simulated camera's ONVIF device service ({@code /onvif/device_service}) and media service
 * ({@code /onvif/media_service}): SOAP 1.2 over HTTP, WS-Security UsernameToken checked on every operation but the
 * pre-authentication ones (ONVIF Core Specification, access classes: GetSystemDateAndTime, GetCapabilities,
 * GetServices, GetServiceCapabilities, GetHostname, GetWsdlUrl). A refused token gets the fault env:Sender /
 * ter:NotAuthorized with the camera's configured HTTP status (400 or 401). Runs on the HTTP server's executor;
 * stateless apart from the nonce cache and counters.
 */
public final class CameraSoapService implements HttpHandler {

    public static final String DEVICE_PATH = "/onvif/device_service";
    public static final String MEDIA_PATH = "/onvif/media_service";

    private static final int MAX_REQUEST_BYTES = 256 * 1024;
    private static final Set<String> PRE_AUTH = Set.of(
            "GetSystemDateAndTime",
            "GetCapabilities",
            "GetServices",
            "GetServiceCapabilities",
            "GetHostname",
            "GetWsdlUrl");
    private static final String VIDEO_SOURCE = "VideoSource_1";

    private final CameraSpec spec;
    private final URI deviceService;
    private final URI mediaService;
    private final String snapshotUri;
    private final Optional<UsernameTokenCheck> tokenCheck;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    public CameraSoapService(
            final @NotNull CameraSpec spec,
            final @NotNull URI deviceService,
            final @NotNull URI mediaService,
            final @NotNull String snapshotUri) {
        this.spec = spec;
        this.deviceService = deviceService;
        this.mediaService = mediaService;
        this.snapshotUri = snapshotUri;
        this.tokenCheck = spec.username()
                .map(user -> new UsernameTokenCheck(user, spec.password().orElseThrow()));
    }

    /** SOAP requests answered so far. */
    public int requests() {
        return requests.get();
    }

    /** Requests refused for their credentials. */
    public int refusedCredentials() {
        return refused.get();
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            final byte[] request;
            try (InputStream in = exchange.getRequestBody()) {
                request = in.readNBytes(MAX_REQUEST_BYTES + 1);
            }
            requests.incrementAndGet();
            if (request.length > MAX_REQUEST_BYTES) {
                reply(exchange, 400, fault("Sender", "ter:InvalidArgs", "Request too large"));
                return;
            }
            final Optional<Document> document = SimXml.parse(request, request.length);
            final Element envelope = document.map(Document::getDocumentElement).orElse(null);
            if (envelope == null
                    || !"Envelope".equals(envelope.getLocalName())
                    || !SimXml.SOAP12.equals(envelope.getNamespaceURI())) {
                reply(exchange, 400, fault("Sender", "ter:WellFormed", "Not a SOAP 1.2 envelope"));
                return;
            }
            final Optional<Element> header = SimXml.child(envelope, SimXml.SOAP12, "Header");
            final Optional<Element> operation =
                    SimXml.child(envelope, SimXml.SOAP12, "Body").flatMap(SimXml::firstElement);
            if (operation.isEmpty()) {
                reply(exchange, 400, fault("Sender", "ter:InvalidArgs", "Empty body"));
                return;
            }
            final String name = operation.get().getLocalName();
            if (tokenCheck.isPresent() && !PRE_AUTH.contains(name)) {
                final UsernameTokenCheck.Outcome outcome = tokenCheck.get().check(header);
                if (outcome != UsernameTokenCheck.Outcome.ACCEPTED) {
                    refused.incrementAndGet();
                    reply(
                            exchange,
                            spec.authFailureStatus(),
                            fault("Sender", "ter:NotAuthorized", "Sender not Authorized"));
                    return;
                }
            }
            final String path = exchange.getRequestURI().getPath();
            final String namespace = operation.get().getNamespaceURI();
            final Optional<String> body;
            if (DEVICE_PATH.equals(path) && SimXml.TDS.equals(namespace)) {
                body = device(name, operation.get());
            } else if (MEDIA_PATH.equals(path) && SimXml.TRT.equals(namespace)) {
                body = media(name, operation.get());
            } else {
                body = Optional.empty();
            }
            if (body.isEmpty()) {
                reply(exchange, 500, fault("Receiver", "ter:ActionNotSupported", "Optional Action Not Implemented"));
                return;
            }
            reply(exchange, body.get().startsWith("<s:Fault>") ? 400 : 200, envelope(body.get()));
        }
    }

    private Optional<String> device(final String operation, final Element request) {
        return switch (operation) {
            case "GetSystemDateAndTime" -> Optional.of(systemDateAndTime());
            case "GetDeviceInformation" -> Optional.of("<tds:GetDeviceInformationResponse>"
                    + "<tds:Manufacturer>" + escape(spec.manufacturer()) + "</tds:Manufacturer>"
                    + "<tds:Model>" + escape(spec.model()) + "</tds:Model>"
                    + "<tds:FirmwareVersion>" + escape(spec.firmwareVersion()) + "</tds:FirmwareVersion>"
                    + "<tds:SerialNumber>" + escape(spec.serialNumber()) + "</tds:SerialNumber>"
                    + "<tds:HardwareId>" + escape(spec.hardwareId()) + "</tds:HardwareId>"
                    + "</tds:GetDeviceInformationResponse>");
            case "GetCapabilities" -> Optional.of(capabilities(
                    SimXml.text(SimXml.child(request, SimXml.TDS, "Category")).orElse("All")));
            case "GetServices" -> Optional.of("<tds:GetServicesResponse>"
                    + service(SimXml.TDS, deviceService)
                    + service(SimXml.TRT, mediaService)
                    + "</tds:GetServicesResponse>");
            case "GetNetworkInterfaces" -> Optional.of("<tds:GetNetworkInterfacesResponse>"
                    + "<tds:NetworkInterfaces token=\"eth0\"><tt:Enabled>true</tt:Enabled>"
                    + "<tt:Info><tt:Name>eth0</tt:Name><tt:HwAddress>" + spec.mac() + "</tt:HwAddress>"
                    + "<tt:MTU>1500</tt:MTU></tt:Info>"
                    + "<tt:IPv4><tt:Enabled>true</tt:Enabled><tt:Config><tt:Manual><tt:Address>"
                    + escape(deviceService.getHost()) + "</tt:Address><tt:PrefixLength>8</tt:PrefixLength>"
                    + "</tt:Manual><tt:DHCP>false</tt:DHCP></tt:Config></tt:IPv4>"
                    + "</tds:NetworkInterfaces></tds:GetNetworkInterfacesResponse>");
            case "GetScopes" -> Optional.of("<tds:GetScopesResponse>"
                    + spec.scopes().stream()
                            .map(scope -> "<tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>" + escape(scope)
                                    + "</tt:ScopeItem></tds:Scopes>")
                            .reduce("", String::concat)
                    + "</tds:GetScopesResponse>");
            case "GetHostname" -> Optional.of("<tds:GetHostnameResponse><tds:HostnameInformation>"
                    + "<tt:FromDHCP>false</tt:FromDHCP><tt:Name>"
                    + escape(spec.serialNumber().toLowerCase())
                    + "</tt:Name></tds:HostnameInformation></tds:GetHostnameResponse>");
            default -> Optional.empty();
        };
    }

    private Optional<String> media(final String operation, final Element request) {
        return switch (operation) {
            case "GetProfiles" -> Optional.of("<trt:GetProfilesResponse>"
                    + spec.profiles().stream().map(this::profile).reduce("", String::concat)
                    + "</trt:GetProfilesResponse>");
            case "GetProfile" -> requestedProfile(request)
                    .map(p -> "<trt:GetProfileResponse>" + profile(p).replace("trt:Profiles", "trt:Profile")
                            + "</trt:GetProfileResponse>")
                    .or(() -> Optional.of(noProfile()));
            case "GetVideoSources" -> Optional.of("<trt:GetVideoSourcesResponse>"
                    + "<trt:VideoSources token=\"" + VIDEO_SOURCE + "\"><tt:Framerate>25</tt:Framerate>"
                    + "<tt:Resolution><tt:Width>" + sourceWidth() + "</tt:Width><tt:Height>" + sourceHeight()
                    + "</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>");
            case "GetStreamUri" -> requestedProfile(request)
                    .map(p -> "<trt:GetStreamUriResponse>" + mediaUri(p.streamUri()) + "</trt:GetStreamUriResponse>")
                    .or(() -> Optional.of(noProfile()));
            case "GetSnapshotUri" -> requestedProfile(request)
                    .map(p -> "<trt:GetSnapshotUriResponse>" + mediaUri(snapshotUri) + "</trt:GetSnapshotUriResponse>")
                    .or(() -> Optional.of(noProfile()));
            default -> Optional.empty();
        };
    }

    private Optional<ProfileSpec> requestedProfile(final Element request) {
        final Optional<String> token = SimXml.text(SimXml.child(request, SimXml.TRT, "ProfileToken"));
        return spec.profiles().stream()
                .filter(p -> token.isPresent() && p.token().equals(token.get()))
                .findFirst();
    }

    private static String noProfile() {
        return "<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>ter:InvalidArgVal</s:Value>"
                + "<s:Subcode><s:Value>ter:NoProfile</s:Value></s:Subcode></s:Subcode></s:Code>"
                + "<s:Reason><s:Text xml:lang=\"en\">No such profile</s:Text></s:Reason></s:Fault>";
    }

    private String profile(final ProfileSpec profile) {
        final String n = escape(profile.token());
        return "<trt:Profiles token=\"" + n + "\" fixed=\"true\"><tt:Name>" + escape(profile.name()) + "</tt:Name>"
                + "<tt:VideoSourceConfiguration token=\"VideoSourceConfig_1\"><tt:Name>VideoSourceConfig</tt:Name>"
                + "<tt:UseCount>" + spec.profiles().size() + "</tt:UseCount><tt:SourceToken>" + VIDEO_SOURCE
                + "</tt:SourceToken><tt:Bounds x=\"0\" y=\"0\" width=\"" + sourceWidth() + "\" height=\""
                + sourceHeight() + "\"/></tt:VideoSourceConfiguration>"
                + "<tt:VideoEncoderConfiguration token=\"Encoder_" + n + "\"><tt:Name>Encoder_" + n + "</tt:Name>"
                + "<tt:UseCount>1</tt:UseCount><tt:Encoding>" + escape(profile.encoding()) + "</tt:Encoding>"
                + "<tt:Resolution><tt:Width>" + profile.width() + "</tt:Width><tt:Height>" + profile.height()
                + "</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality><tt:RateControl>"
                + "<tt:FrameRateLimit>25</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval>"
                + "<tt:BitrateLimit>4096</tt:BitrateLimit></tt:RateControl>"
                + "<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration>"
                + "</trt:Profiles>";
    }

    private int sourceWidth() {
        return spec.profiles().stream().mapToInt(ProfileSpec::width).max().orElse(1920);
    }

    private int sourceHeight() {
        return spec.profiles().stream().mapToInt(ProfileSpec::height).max().orElse(1080);
    }

    private static String mediaUri(final String uri) {
        return "<trt:MediaUri><tt:Uri>" + escape(uri) + "</tt:Uri><tt:InvalidAfterConnect>false"
                + "</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot>"
                + "<tt:Timeout>PT0S</tt:Timeout></trt:MediaUri>";
    }

    private String capabilities(final String category) {
        final String device = "<tt:Device><tt:XAddr>" + escape(deviceService.toString()) + "</tt:XAddr></tt:Device>";
        final String media = "<tt:Media><tt:XAddr>" + escape(mediaService.toString()) + "</tt:XAddr>"
                + "<tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP>"
                + "<tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>";
        final String content =
                switch (category) {
                    case "Device" -> device;
                    case "Media" -> media;
                    default -> device + media;
                };
        return "<tds:GetCapabilitiesResponse><tds:Capabilities>" + content
                + "</tds:Capabilities></tds:GetCapabilitiesResponse>";
    }

    private static String service(final String namespace, final URI xaddr) {
        return "<tds:Service><tds:Namespace>" + namespace + "</tds:Namespace><tds:XAddr>" + escape(xaddr.toString())
                + "</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>";
    }

    private static String systemDateAndTime() {
        final ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        return "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>"
                + "<tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>"
                + "<tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone><tt:UTCDateTime>"
                + "<tt:Time><tt:Hour>" + now.getHour() + "</tt:Hour><tt:Minute>" + now.getMinute() + "</tt:Minute>"
                + "<tt:Second>" + now.getSecond() + "</tt:Second></tt:Time>"
                + "<tt:Date><tt:Year>" + now.getYear() + "</tt:Year><tt:Month>" + now.getMonthValue() + "</tt:Month>"
                + "<tt:Day>" + now.getDayOfMonth() + "</tt:Day></tt:Date>"
                + "</tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>";
    }

    private static String envelope(final String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><s:Envelope xmlns:s=\"" + SimXml.SOAP12 + "\" xmlns:tds=\""
                + SimXml.TDS + "\" xmlns:trt=\"" + SimXml.TRT + "\" xmlns:tt=\"" + SimXml.TT + "\" xmlns:ter=\""
                + SimXml.TER + "\"><s:Body>" + body + "</s:Body></s:Envelope>";
    }

    private static String fault(final String code, final String subcode, final String reason) {
        return envelope("<s:Fault><s:Code><s:Value>s:" + code + "</s:Value><s:Subcode><s:Value>" + subcode
                + "</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang=\"en\">" + reason
                + "</s:Text></s:Reason></s:Fault>");
    }

    private static void reply(final HttpExchange exchange, final int status, final String xml) throws IOException {
        final byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/soap+xml; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
