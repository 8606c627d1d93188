package dev.baton.adapters.onvif.internal;

import dev.baton.protocol.Names;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.xml.namespace.QName;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Sends one SOAP 1.2 request over HTTP POST (SOAP 1.2 Part 2, HTTP binding; ONVIF Core Specification, "Web
 * services framework") and returns the response body's element. Bounded: connecting takes at most
 * {@link #CONNECT_TIMEOUT}, each read at most {@link #READ_TIMEOUT}, neither past the caller's deadline, and a
 * response larger than {@code maxResponseBytes} is refused unread. Never follows redirects and never uses a proxy,
 * since cameras sit on the local network. Thread-safe; blocking.
 */
final class SoapTransport {

    /** ONVIF responses the handler asks for are a few KiB; 1 MiB refuses only what is meant to harm. */
    static final int DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final int maxResponseBytes;

    SoapTransport(final int maxResponseBytes) {
        this.maxResponseBytes = maxResponseBytes;
    }

    /**
     * Posts {@code envelope} to {@code endpoint} and returns the body's first element, checked to be
     * {@code expected}.
     *
     * @throws SoapCallException naming the reason; its message follows the operation's name
     */
    @NotNull
    Element call(
            final @NotNull URI endpoint,
            final @NotNull QName operation,
            final @NotNull String envelope,
            final @NotNull QName expected,
            final @NotNull Instant deadline) {
        final HttpURLConnection connection = open(endpoint, operation, deadline);
        // Not in streaming mode: a buffered POST is sent again once when a kept-alive connection turns out closed.
        final byte[] request = envelope.getBytes(StandardCharsets.UTF_8);
        try {
            connection.connect();
        } catch (final SocketTimeoutException e) {
            throw new SoapCallException(SoapCallException.Reason.UNREACHABLE, "got no connection in time");
        } catch (final ConnectException | NoRouteToHostException | UnknownHostException e) {
            throw new SoapCallException(SoapCallException.Reason.UNREACHABLE, "could not connect: " + describe(e));
        } catch (final IOException e) {
            throw new SoapCallException(SoapCallException.Reason.UNREACHABLE, "could not connect: " + describe(e));
        }
        final int status;
        final byte[] response;
        try {
            try (OutputStream out = connection.getOutputStream()) {
                out.write(request);
            }
            status = connection.getResponseCode();
            response = readBounded(connection, status);
        } catch (final SocketTimeoutException e) {
            connection.disconnect();
            throw new SoapCallException(SoapCallException.Reason.TIMEOUT, "did not answer in time");
        } catch (final IOException e) {
            connection.disconnect();
            throw new SoapCallException(
                    SoapCallException.Reason.UNREACHABLE, "failed while exchanging data: " + describe(e));
        }
        if (status == HttpURLConnection.HTTP_UNAUTHORIZED) {
            throw new SoapCallException(SoapCallException.Reason.NOT_AUTHORIZED, "was refused with HTTP 401");
        }
        final Element body = body(response, status);
        final Element content = SecureXml.firstChildElement(body)
                .orElseThrow(() -> new SoapCallException(
                        SoapCallException.Reason.MALFORMED, "answered with an empty SOAP body (HTTP " + status + ")"));
        if (SecureXml.is(content, Namespaces.SOAP12, "Fault")) {
            throw SoapFaults.toException(content, status);
        }
        if (status / 100 != 2) {
            throw new SoapCallException(
                    SoapCallException.Reason.MALFORMED, "answered with HTTP " + status + " but no SOAP fault");
        }
        if (!SecureXml.is(content, expected.getNamespaceURI(), expected.getLocalPart())) {
            throw new SoapCallException(
                    SoapCallException.Reason.MALFORMED,
                    "answered with " + describe(content) + " instead of " + expected.getLocalPart());
        }
        return content;
    }

    private HttpURLConnection open(final URI endpoint, final QName operation, final Instant deadline) {
        final long left = Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0) {
            throw new SoapCallException(SoapCallException.Reason.TIMEOUT, "was not sent: the scan's deadline passed");
        }
        try {
            final HttpURLConnection connection =
                    (HttpURLConnection) endpoint.toURL().openConnection(Proxy.NO_PROXY);
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setUseCaches(false);
            connection.setInstanceFollowRedirects(false);
            // Both must be positive: zero would mean "wait forever".
            connection.setConnectTimeout((int) Math.max(1, Math.min(left, CONNECT_TIMEOUT.toMillis())));
            connection.setReadTimeout((int) Math.max(1, Math.min(left, READ_TIMEOUT.toMillis())));
            connection.setRequestProperty(
                    "Content-Type",
                    "application/soap+xml; charset=utf-8; action=\"" + operation.getNamespaceURI() + "/"
                            + operation.getLocalPart() + "\"");
            return connection;
        } catch (final IOException | IllegalArgumentException e) {
            throw new SoapCallException(
                    SoapCallException.Reason.UNREACHABLE, "could not be sent to " + endpoint + ": " + describe(e));
        }
    }

    private byte[] readBounded(final HttpURLConnection connection, final int status) throws IOException {
        final long declared = connection.getContentLengthLong();
        if (declared > maxResponseBytes) {
            connection.disconnect();
            throw tooLarge("declared " + declared + " bytes");
        }
        final InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        if (stream == null) {
            return new byte[0];
        }
        try (InputStream in = stream) {
            final byte[] bytes = in.readNBytes(maxResponseBytes + 1);
            if (bytes.length > maxResponseBytes) {
                connection.disconnect();
                throw tooLarge("sent more than that");
            }
            return bytes;
        }
    }

    private SoapCallException tooLarge(final String detail) {
        return new SoapCallException(
                SoapCallException.Reason.TOO_LARGE,
                "answered with more than " + maxResponseBytes + " bytes (" + detail + "), which is refused");
    }

    private static Element body(final byte[] response, final int status) {
        final Document document;
        try {
            document = SecureXml.parse(response, 0, response.length);
        } catch (final MalformedXmlException e) {
            throw new SoapCallException(
                    SoapCallException.Reason.MALFORMED,
                    "answered (HTTP " + status + ") with a response that " + e.getMessage());
        }
        final Element envelope = document.getDocumentElement();
        if (!SecureXml.is(envelope, Namespaces.SOAP12, "Envelope")) {
            throw new SoapCallException(
                    SoapCallException.Reason.MALFORMED,
                    "answered (HTTP " + status + ") with " + describe(envelope) + " instead of a SOAP 1.2 envelope");
        }
        return SecureXml.child(envelope, Namespaces.SOAP12, "Body")
                .orElseThrow(() -> new SoapCallException(
                        SoapCallException.Reason.MALFORMED, "answered with a SOAP envelope without a body"));
    }

    static @NotNull String describe(final @NotNull Element element) {
        return "element " + Names.printable(element.getLocalName()) + " in namespace "
                + Names.printable(Optional.ofNullable(element.getNamespaceURI()).orElse("(none)"));
    }

    private static String describe(final @Nullable Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        final String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " (" + Names.printable(message) + ")");
    }
}
