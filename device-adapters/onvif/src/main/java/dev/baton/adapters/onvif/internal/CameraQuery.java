package dev.baton.adapters.onvif.internal;

import dev.baton.adapters.onvif.CameraStatus;
import dev.baton.protocol.Device;
import dev.baton.protocol.Names;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Asks one discovered camera what it is: GetSystemDateAndTime (to align the UsernameToken with its clock),
 * GetDeviceInformation, GetCapabilities (or GetServices), GetNetworkInterfaces, then on the media service
 * GetProfiles, GetStreamUri per profile and GetSnapshotUri. Runs on one query thread; a camera that refuses the
 * credentials, cannot be reached or answers badly still yields a device with what is known, a {@code status}
 * saying why, and one problem sentence.
 */
final class CameraQuery {

    /** A camera and at most one problem about it. */
    record Report(@NotNull Device device, @NotNull Optional<String> problem) {}

    private final DiscoveredEndpoint endpoint;
    private final @Nullable Credentials credentials;
    private final SoapTransport transport;
    private final Instant deadline;

    CameraQuery(
            final @NotNull DiscoveredEndpoint endpoint,
            final @Nullable Credentials credentials,
            final @NotNull SoapTransport transport,
            final @NotNull Instant deadline) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.transport = transport;
        this.deadline = deadline;
    }

    @NotNull
    Report run() {
        final CameraFacts facts = new CameraFacts(endpoint);
        if (endpoint.xaddrs().isEmpty()) {
            facts.status(CameraStatus.UNREACHABLE);
            return new Report(
                    facts.toDevice(),
                    Optional.of(
                            camera() + " at " + endpoint.source().getAddress().getHostAddress()
                                    + " announced no service address (XAddrs), so it cannot be queried; WS-Discovery"
                                    + " Resolve is not supported"));
        }
        SoapCallException lastFailure = null;
        for (final URI xaddr : preferredOrder()) {
            final OnvifSoapClient client = new OnvifSoapClient(transport, xaddr, credentials, deadline);
            try {
                client.synchroniseClock();
            } catch (final SoapCallException e) {
                if (e.reason() == SoapCallException.Reason.UNREACHABLE
                        || e.reason() == SoapCallException.Reason.TIMEOUT) {
                    lastFailure = e;
                    continue;
                }
                // Answered, if not as hoped (some cameras want credentials even here): query it anyway.
            }
            facts.reachedAt(xaddr);
            return query(client, facts);
        }
        facts.status(CameraStatus.UNREACHABLE);
        return new Report(
                facts.toDevice(),
                Optional.of(camera() + " did not answer at "
                        + endpoint.xaddrs().stream().map(URI::toString).collect(Collectors.joining(", "))
                        + " (GetSystemDateAndTime " + (lastFailure == null ? "failed" : lastFailure.getMessage())
                        + "): check that it is reachable from this host"));
    }

    private Report query(final OnvifSoapClient client, final CameraFacts facts) {
        String operation = "GetDeviceInformation";
        try {
            facts.information(client.deviceInformation());
            operation = "GetCapabilities";
            final Optional<URI> media = client.mediaService();
            operation = "GetNetworkInterfaces";
            optional(() -> facts.network(client.networkInterfaces()));
            if (media.isPresent()) {
                operation = "GetProfiles";
                final List<OnvifSoapClient.MediaProfile> profiles = client.profiles(media.get());
                for (final OnvifSoapClient.MediaProfile profile : profiles) {
                    operation = "GetStreamUri";
                    facts.profile(profile, streamUri(client, media.get(), profile));
                }
                if (!profiles.isEmpty()) {
                    operation = "GetSnapshotUri";
                    optional(() -> facts.snapshotUri(
                            client.snapshotUri(media.get(), profiles.get(0).token())
                                    .orElse(null)));
                }
            }
            facts.status(CameraStatus.OK);
            return new Report(facts.toDevice(), Optional.empty());
        } catch (final SoapCallException e) {
            return failed(facts, operation, e);
        }
    }

    /** A profile without video (audio or metadata only) has no stream URI, which some cameras say with a fault. */
    private static @Nullable String streamUri(
            final OnvifSoapClient client, final URI media, final OnvifSoapClient.MediaProfile profile) {
        try {
            return client.streamUri(media, profile.token()).orElse(null);
        } catch (final SoapCallException e) {
            if (e.reason() == SoapCallException.Reason.FAULT) {
                return null;
            }
            throw e;
        }
    }

    /** Runs a call whose fault only means the camera lacks the feature; losing the connection still counts. */
    private static void optional(final Runnable call) {
        try {
            call.run();
        } catch (final SoapCallException e) {
            if (e.reason() == SoapCallException.Reason.UNREACHABLE || e.reason() == SoapCallException.Reason.TIMEOUT) {
                throw e;
            }
        }
    }

    private Report failed(final CameraFacts facts, final String operation, final SoapCallException e) {
        final String at = camera() + " at " + facts.host();
        return switch (e.reason()) {
            case NOT_AUTHORIZED -> {
                facts.status(CameraStatus.AUTH_FAILED);
                yield new Report(
                        facts.toDevice(),
                        Optional.of(
                                credentials == null
                                        ? at + " asks for credentials (" + operation + " " + e.getMessage()
                                                + "), and secrets/onvif.json has none for it: add a \"default\" entry or one"
                                                + " keyed by its uuid"
                                        : at + " refused the credentials for user '"
                                                + Names.printable(credentials.username()) + "' (" + operation + " "
                                                + e.getMessage() + "): check secrets/onvif.json"));
            }
            case UNREACHABLE, TIMEOUT -> {
                facts.status(CameraStatus.UNREACHABLE);
                yield new Report(
                        facts.toDevice(),
                        Optional.of(at + " stopped answering (" + operation + " " + e.getMessage()
                                + "): check the camera and the network; if it is only slow, raise"
                                + " discovery.onvif.timeoutMs"));
            }
            case FAULT, MALFORMED, TOO_LARGE -> {
                facts.status(CameraStatus.ERROR);
                yield new Report(
                        facts.toDevice(),
                        Optional.of(at + " " + operation + " " + e.getMessage()
                                + ": the camera's ONVIF service misbehaves; check its firmware"));
            }
        };
    }

    /** XAddrs on the address the ProbeMatch came from first: that address is known to reach the camera. */
    private List<URI> preferredOrder() {
        final InetAddress source = endpoint.source().getAddress();
        final List<URI> first = new ArrayList<>();
        final List<URI> rest = new ArrayList<>();
        for (final URI xaddr : endpoint.xaddrs()) {
            (source.getHostAddress().equals(xaddr.getHost()) ? first : rest).add(xaddr);
        }
        first.addAll(rest);
        return first;
    }

    private String camera() {
        return "camera " + Names.printable(endpoint.address());
    }

    /** The device for a camera whose query did not finish before the scan's deadline, with its problem. */
    static @NotNull Report unfinished(final @NotNull DiscoveredEndpoint endpoint) {
        final CameraFacts facts = new CameraFacts(endpoint);
        facts.status(CameraStatus.UNREACHABLE);
        return new Report(
                facts.toDevice(),
                Optional.of("camera " + Names.printable(endpoint.address()) + " at " + facts.host()
                        + " did not answer all queries before the scan's deadline: if it is only slow, raise"
                        + " discovery.onvif.timeoutMs"));
    }
}
