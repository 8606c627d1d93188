package dev.baton.adapters.onvif.internal;

import static dev.baton.adapters.onvif.internal.Namespaces.TDS;
import static dev.baton.adapters.onvif.internal.Namespaces.TRT;
import static dev.baton.adapters.onvif.internal.Namespaces.TT;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.xml.namespace.QName;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.w3c.dom.Element;

/**
 * The ONVIF device and media (Media 1, Profile S) operations the handler uses, on one camera (ONVIF Device
 * Management Service Specification and Media Service Specification). Each call blocks until answered or
 * {@code deadline}; used by one query thread at a time.
 */
final class OnvifSoapClient {

    /** Text properties longer than this are cut, so that one device's properties stay within the protocol limit. */
    static final int MAX_TEXT_CHARS = 128;
    /** URIs longer than this are left out rather than cut, since a cut URI is wrong. */
    static final int MAX_URI_CHARS = 512;
    /** Profiles read from one camera; cameras have 2 to 4, an encoder one per channel. */
    static final int MAX_PROFILES = 8;

    private static final java.util.regex.Pattern SECRET_PARAMETER =
            java.util.regex.Pattern.compile("(?i)pass|passwd|password|pwd|pw|secret");

    private final SoapTransport transport;
    private final URI deviceService;
    private final @Nullable Credentials credentials;
    private final Instant deadline;
    private Duration clockOffset = Duration.ZERO;

    OnvifSoapClient(
            final @NotNull SoapTransport transport,
            final @NotNull URI deviceService,
            final @Nullable Credentials credentials,
            final @NotNull Instant deadline) {
        this.transport = transport;
        this.deviceService = deviceService;
        this.credentials = credentials;
        this.deadline = deadline;
    }

    record DeviceInformation(
            @Nullable String manufacturer,
            @Nullable String model,
            @Nullable String firmwareVersion,
            @Nullable String serialNumber,
            @Nullable String hardwareId) {}

    record NetworkFacts(@Nullable String ipv4, @Nullable String mac) {}

    record MediaProfile(
            @NotNull String token,
            @Nullable String name,
            @Nullable String encoding,
            @Nullable Integer width,
            @Nullable Integer height) {}

    /**
     * GetSystemDateAndTime, which needs no credentials (ONVIF Core, "GetSystemDateAndTime" is pre-authentication),
     * and aligns the UsernameToken's {@code Created} with the camera's clock, since cameras refuse tokens that are
     * off by more than a few seconds.
     */
    void synchroniseClock() {
        final Element response = call(TDS, "GetSystemDateAndTime", "<tds:GetSystemDateAndTime/>", false);
        final Optional<Element> utc =
                SecureXml.path(response, TDS, "SystemDateAndTime").flatMap(e -> SecureXml.child(e, TT, "UTCDateTime"));
        final Optional<Element> date = utc.flatMap(e -> SecureXml.child(e, TT, "Date"));
        final Optional<Element> time = utc.flatMap(e -> SecureXml.child(e, TT, "Time"));
        final OptionalInt year = integer(date, "Year");
        final OptionalInt month = integer(date, "Month");
        final OptionalInt day = integer(date, "Day");
        final OptionalInt hour = integer(time, "Hour");
        final OptionalInt minute = integer(time, "Minute");
        final OptionalInt second = integer(time, "Second");
        if (year.isEmpty()
                || month.isEmpty()
                || day.isEmpty()
                || hour.isEmpty()
                || minute.isEmpty()
                || second.isEmpty()) {
            return; // a camera without a UTC clock: use ours
        }
        try {
            final Instant camera = LocalDateTime.of(
                            year.getAsInt(),
                            month.getAsInt(),
                            day.getAsInt(),
                            hour.getAsInt(),
                            minute.getAsInt(),
                            second.getAsInt())
                    .toInstant(ZoneOffset.UTC);
            clockOffset = Duration.between(Instant.now(), camera);
        } catch (final DateTimeException e) {
            // An impossible date: keep our clock.
        }
    }

    @NotNull
    DeviceInformation deviceInformation() {
        final Element response = call(TDS, "GetDeviceInformation", "<tds:GetDeviceInformation/>", true);
        return new DeviceInformation(
                text(response, TDS, "Manufacturer"),
                text(response, TDS, "Model"),
                text(response, TDS, "FirmwareVersion"),
                text(response, TDS, "SerialNumber"),
                text(response, TDS, "HardwareId"));
    }

    /**
     * The media service address from GetCapabilities (category Media); when a camera does not implement that
     * (it is deprecated in favour of GetServices), from GetServices.
     */
    @NotNull
    Optional<URI> mediaService() {
        try {
            final Element response = call(
                    TDS,
                    "GetCapabilities",
                    "<tds:GetCapabilities><tds:Category>Media</tds:Category></tds:GetCapabilities>",
                    true);
            return SecureXml.text(SecureXml.path(response, TDS, "Capabilities")
                            .flatMap(e -> SecureXml.path(e, TT, "Media", "XAddr")))
                    .flatMap(OnvifSoapClient::uri);
        } catch (final SoapCallException e) {
            if (e.reason() != SoapCallException.Reason.FAULT) {
                throw e;
            }
        }
        final Element response = call(
                TDS,
                "GetServices",
                "<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>",
                true);
        for (final Element service : SecureXml.children(response, TDS, "Service")) {
            if (SecureXml.text(SecureXml.child(service, TDS, "Namespace"))
                    .filter(TRT::equals)
                    .isPresent()) {
                return SecureXml.text(SecureXml.child(service, TDS, "XAddr")).flatMap(OnvifSoapClient::uri);
            }
        }
        return Optional.empty();
    }

    /** GetNetworkInterfaces: the IPv4 address and MAC of the first enabled interface. */
    @NotNull
    NetworkFacts networkInterfaces() {
        final Element response = call(TDS, "GetNetworkInterfaces", "<tds:GetNetworkInterfaces/>", true);
        for (final Element nic : SecureXml.children(response, TDS, "NetworkInterfaces")) {
            if (SecureXml.text(SecureXml.child(nic, TT, "Enabled"))
                    .filter("false"::equals)
                    .isPresent()) {
                continue;
            }
            final String mac = SecureXml.text(SecureXml.path(nic, TT, "Info", "HwAddress"))
                    .filter(m -> m.matches("[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}"))
                    .map(m -> m.replace('-', ':').toLowerCase(java.util.Locale.ROOT))
                    .orElse(null);
            final Optional<Element> config = SecureXml.path(nic, TT, "IPv4", "Config");
            final String ipv4 = SecureXml.text(config.flatMap(c -> SecureXml.path(c, TT, "Manual", "Address")))
                    .or(() -> SecureXml.text(config.flatMap(c -> SecureXml.path(c, TT, "FromDHCP", "Address"))))
                    .or(() -> SecureXml.text(config.flatMap(c -> SecureXml.path(c, TT, "LinkLocal", "Address"))))
                    .filter(a -> a.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}"))
                    .orElse(null);
            return new NetworkFacts(ipv4, mac);
        }
        return new NetworkFacts(null, null);
    }

    /** GetProfiles: the media profiles in the camera's order, at most {@link #MAX_PROFILES}. */
    @NotNull
    List<MediaProfile> profiles(final @NotNull URI media) {
        final Element response = call(media, TRT, "GetProfiles", "<trt:GetProfiles/>", true);
        final List<MediaProfile> profiles = new ArrayList<>();
        for (final Element profile : SecureXml.children(response, TRT, "Profiles")) {
            final String token = profile.getAttribute("token");
            if (token.isEmpty() || token.length() > MAX_TEXT_CHARS || profiles.size() == MAX_PROFILES) {
                continue;
            }
            final Optional<Element> encoder = SecureXml.child(profile, TT, "VideoEncoderConfiguration");
            final Optional<Element> resolution = encoder.flatMap(e -> SecureXml.child(e, TT, "Resolution"));
            profiles.add(new MediaProfile(
                    token,
                    text(profile, TT, "Name"),
                    encoder.map(e -> text(e, TT, "Encoding")).orElse(null),
                    boxed(integer(resolution, "Width")),
                    boxed(integer(resolution, "Height"))));
        }
        return profiles;
    }

    /** GetStreamUri for RTP unicast over RTSP, the stream every Profile S camera serves. */
    @NotNull
    Optional<String> streamUri(final @NotNull URI media, final @NotNull String profileToken) {
        final Element response = call(
                media,
                TRT,
                "GetStreamUri",
                "<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP"
                        + "</tt:Protocol></tt:Transport></trt:StreamSetup><trt:ProfileToken>"
                        + Soap.escape(profileToken) + "</trt:ProfileToken></trt:GetStreamUri>",
                true);
        return mediaUri(response);
    }

    @NotNull
    Optional<String> snapshotUri(final @NotNull URI media, final @NotNull String profileToken) {
        final Element response = call(
                media,
                TRT,
                "GetSnapshotUri",
                "<trt:GetSnapshotUri><trt:ProfileToken>" + Soap.escape(profileToken)
                        + "</trt:ProfileToken></trt:GetSnapshotUri>",
                true);
        return mediaUri(response);
    }

    private static Optional<String> mediaUri(final Element response) {
        return SecureXml.text(SecureXml.path(response, TRT, "MediaUri").flatMap(e -> SecureXml.child(e, TT, "Uri")))
                .flatMap(OnvifSoapClient::uri)
                .map(OnvifSoapClient::withoutSecrets);
    }

    private Element call(final String namespace, final String operation, final String body, final boolean secured) {
        return call(deviceService, namespace, operation, body, secured);
    }

    private Element call(
            final URI endpoint,
            final String namespace,
            final String operation,
            final String body,
            final boolean secured) {
        final String header = secured && credentials != null
                ? UsernameToken.securityHeader(credentials, Instant.now().plus(clockOffset))
                : null;
        return transport.call(
                endpoint,
                new QName(namespace, operation),
                Soap.envelope(header, body),
                new QName(namespace, operation + "Response"),
                deadline);
    }

    private static @Nullable String text(final Element parent, final String namespace, final String localName) {
        return SecureXml.text(SecureXml.child(parent, namespace, localName))
                .map(OnvifSoapClient::bounded)
                .orElse(null);
    }

    /** Cuts long text and drops control characters, so that a camera cannot forge log lines or bloat properties. */
    static @NotNull String bounded(final @NotNull String text) {
        final StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_TEXT_CHARS));
        text.codePoints()
                .filter(c -> !Character.isISOControl(c))
                .limit(MAX_TEXT_CHARS)
                .forEach(out::appendCodePoint);
        return out.toString();
    }

    private static OptionalInt integer(final Optional<Element> parent, final String localName) {
        return SecureXml.text(parent.flatMap(e -> SecureXml.child(e, TT, localName)))
                .filter(t -> t.matches("[0-9]{1,6}"))
                .map(t -> OptionalInt.of(Integer.parseInt(t)))
                .orElse(OptionalInt.empty());
    }

    private static @Nullable Integer boxed(final OptionalInt value) {
        return value.isPresent() ? value.getAsInt() : null;
    }

    private static Optional<URI> uri(final String text) {
        if (text.length() > MAX_URI_CHARS) {
            return Optional.empty();
        }
        try {
            final URI uri = new URI(text);
            return uri.getScheme() == null || uri.getHost() == null ? Optional.empty() : Optional.of(uri);
        } catch (final URISyntaxException e) {
            return Optional.empty();
        }
    }

    /**
     * A stream or snapshot URI without user information and without password query parameters: a camera that
     * embeds credentials in its URIs (some do, as {@code rtsp://admin:pw@…} or {@code ?password=pw}) must not put
     * them into the inventory.
     */
    static @NotNull String withoutSecrets(final @NotNull URI uri) {
        final String authority = uri.getRawAuthority();
        final StringBuilder out = new StringBuilder(uri.getScheme()).append("://");
        out.append(authority.substring(authority.lastIndexOf('@') + 1));
        if (uri.getRawPath() != null) {
            out.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            final List<String> kept = new ArrayList<>();
            for (final String parameter : uri.getRawQuery().split("&")) {
                final String name = parameter.substring(
                        0, parameter.indexOf('=') < 0 ? parameter.length() : parameter.indexOf('='));
                if (!SECRET_PARAMETER.matcher(name).matches()) {
                    kept.add(parameter);
                }
            }
            if (!kept.isEmpty()) {
                out.append('?').append(String.join("&", kept));
            }
        }
        if (uri.getRawFragment() != null) {
            out.append('#').append(uri.getRawFragment());
        }
        return out.toString();
    }
}
