package dev.baton.agent.internal.enroll;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.agent.EnrollmentException;
import dev.baton.protocol.EnrollmentRequest;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.Names;
import dev.baton.protocol.ProtocolException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP side of enrollment: {@code POST {hub}/api/v1/enroll} with an {@link EnrollmentRequest}. */
public final class EnrollmentClient {

    private static final Logger LOG = LoggerFactory.getLogger(EnrollmentClient.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final URI hubUrl;
    private final Duration timeout;
    private final MessageCodec codec = new MessageCodec();

    public EnrollmentClient(final @NotNull URI hubUrl, final @NotNull Duration timeout) {
        this.hubUrl = hubUrl;
        this.timeout = timeout;
    }

    public @NotNull EnrollmentResponse enroll(final @NotNull EnrollmentRequest request) {
        if (travelsInPlainText(hubUrl)) {
            LOG.warn(
                    "enrolling over plain http with {}, which is not this host: the enrollment token and the MQTT"
                            + " credentials the hub returns travel unencrypted; use https:// unless the network"
                            + " between this node and the hub is trusted",
                    hubUrl.getHost());
        }
        final URI endpoint = URI.create(hubUrl + "/api/v1/enroll");
        final HttpRequest post = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encode(request, MessageType.ENROLLMENT_REQUEST)))
                .build();
        final HttpResponse<byte[]> response;
        try {
            response = HttpClient.newBuilder()
                    .connectTimeout(CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build()
                    .send(post, HttpResponse.BodyHandlers.ofByteArray());
        } catch (final IOException e) {
            throw new EnrollmentException(
                    EnrollmentException.Reason.UNREACHABLE,
                    "cannot reach the hub at " + hubUrl + " (" + describe(e)
                            + "); check the URL and that the hub is running and reachable from this host",
                    0,
                    null,
                    e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnrollmentException(
                    EnrollmentException.Reason.UNREACHABLE, "enrollment was interrupted", 0, null, e);
        }
        final int status = response.statusCode();
        if (status == 200 || status == 201) {
            try {
                return codec.decode(response.body(), MessageType.ENROLLMENT_RESPONSE);
            } catch (final ProtocolException e) {
                throw new EnrollmentException(
                        EnrollmentException.Reason.INVALID_RESPONSE,
                        "the hub at " + hubUrl + " answered HTTP " + status
                                + " but not with a valid enrollment response: " + e.getMessage()
                                + "; is the URL that of a Baton hub of a compatible version?",
                        status,
                        null,
                        e);
            }
        }
        throw refused(status, response.body());
    }

    /** Plain {@code http} to anything but a loopback address: secrets would cross a network unencrypted. */
    static boolean travelsInPlainText(final @NotNull URI hubUrl) {
        if (!"http".equals(hubUrl.getScheme())) {
            return false;
        }
        try {
            // A literal address is parsed, not looked up; a name is resolved as the HTTP client would.
            return !InetAddress.getByName(hubUrl.getHost()).isLoopbackAddress();
        } catch (final UnknownHostException e) {
            return true;
        }
    }

    /** An error answer: {@code {"error": …, "reason": …}} when it comes from a Baton hub. */
    private EnrollmentException refused(final int status, final byte[] body) {
        String error = null;
        String reason = null;
        try {
            final JsonNode json = codec.readTree(body);
            error = text(json.get("error"));
            reason = text(json.get("reason"));
        } catch (final ProtocolException e) {
            // Not JSON: a proxy or another server answered; show the start of the body instead.
        }
        final String detail = error != null
                ? error + (reason != null ? " (" + reason + ")" : "")
                : body.length == 0 ? "no details" : Names.printable(new String(body, StandardCharsets.UTF_8).strip());
        return new EnrollmentException(
                EnrollmentException.Reason.REFUSED,
                "the hub at " + hubUrl + " refused the enrollment (HTTP " + status + "): " + detail,
                status,
                reason,
                null);
    }

    private static @Nullable String text(final @Nullable JsonNode node) {
        return node != null && node.isTextual() ? Names.printable(node.textValue()) : null;
    }

    private static String describe(final IOException e) {
        final String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
