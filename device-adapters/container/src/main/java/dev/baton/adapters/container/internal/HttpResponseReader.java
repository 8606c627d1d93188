package dev.baton.adapters.container.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/**
 * Reads one HTTP/1.1 response (RFC 9112) from a {@link ByteSource}: status line, header fields, and a body framed
 * by chunked transfer coding, by {@code Content-Length}, or by the end of the connection (section 6.3). The engine
 * answers JSON with a length and streams (logs, pull progress) chunked. Every part is bounded, so that a confused or
 * hostile peer on the socket cannot make the agent buffer without end.
 */
final class HttpResponseReader {

    /** Longest status line, header line or chunk-size line. */
    static final int MAX_LINE_BYTES = 8 * 1024;

    /** Most header fields in one response. */
    static final int MAX_HEADER_FIELDS = 100;

    /** Most interim (1xx) responses before the final one. */
    static final int MAX_INTERIM_RESPONSES = 8;

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] ([1-9][0-9]{2})(?: (.*))?");
    private static final Pattern FIELD_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern CHUNK_SIZE = Pattern.compile("([0-9A-Fa-f]{1,15})[ \t]*(?:;.*)?");

    private final ByteSource source;
    /** In read mode: the bytes from position to limit are received and not yet parsed. */
    private final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024).flip();

    HttpResponseReader(final @NotNull ByteSource source) {
        this.source = source;
    }

    /**
     * @param method the request's method; the answer to a HEAD has no body whatever its headers say
     * @throws EngineException with {@link EngineException.Reason#BROKEN_RESPONSE} when the bytes are not a
     *     response, end early, or exceed a limit; with {@link EngineException.Reason#TIMEOUT} from the source
     */
    @NotNull
    HttpResponse read(final @NotNull String method, final @NotNull BodyLimit limit) throws IOException {
        for (int interim = 0; ; interim++) {
            final String statusLine = readLine("the status line");
            final Matcher status = STATUS_LINE.matcher(statusLine);
            if (!status.matches()) {
                throw broken("the engine's answer does not start with an HTTP/1.1 status line, but with \""
                        + printable(statusLine) + '"');
            }
            final int code = Integer.parseInt(status.group(1));
            final Map<String, String> headers = readHeaderFields();
            if (code < 200) {
                if (interim >= MAX_INTERIM_RESPONSES) {
                    throw broken("the engine sent more than " + MAX_INTERIM_RESPONSES + " interim (1xx) responses");
                }
                continue;
            }
            final BodySink body = new BodySink(limit);
            final String transferEncoding = headers.get("transfer-encoding");
            final String contentLength = headers.get("content-length");
            if (method.equals("HEAD") || code == 204 || code == 304) {
                // No body (RFC 9112 6.3, rules 1 and 2).
            } else if (transferEncoding != null) {
                if (lastCoding(transferEncoding).equals("chunked")) {
                    readChunked(body);
                } else {
                    readToEnd(body);
                }
            } else if (contentLength != null) {
                readFixed(parseContentLength(contentLength), body, "the body");
            } else {
                readToEnd(body);
            }
            final byte[] bytes = body.bytes();
            return new HttpResponse(
                    code, status.group(2) == null ? "" : status.group(2), headers, bytes, body.truncated());
        }
    }

    private Map<String, String> readHeaderFields() throws IOException {
        final Map<String, String> fields = new LinkedHashMap<>();
        int count = 0;
        while (true) {
            final String line = readLine("a header field");
            if (line.isEmpty()) {
                return fields;
            }
            if (++count > MAX_HEADER_FIELDS) {
                throw broken("the engine's answer has more than " + MAX_HEADER_FIELDS + " header fields");
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                // Obsolete line folding (RFC 9112 5.2): a recipient may reject it, and no engine sends it.
                throw broken("the engine's answer has a folded header line \"" + printable(line) + '"');
            }
            final int colon = line.indexOf(':');
            final String name = colon < 0 ? "" : line.substring(0, colon);
            if (!FIELD_NAME.matcher(name).matches()) {
                throw broken("the engine's answer has a malformed header line \"" + printable(line) + '"');
            }
            final String value = line.substring(colon + 1).strip();
            fields.merge(name.toLowerCase(Locale.ROOT), value, (first, second) -> first + ", " + second);
        }
    }

    private void readChunked(final BodySink body) throws IOException {
        while (true) {
            final String sizeLine = readLine("a chunk size line");
            final Matcher size = CHUNK_SIZE.matcher(sizeLine);
            if (!size.matches()) {
                throw broken("the engine's answer has a malformed chunk size line \"" + printable(sizeLine) + '"');
            }
            final long length = Long.parseLong(size.group(1), 16);
            if (length == 0) {
                // The trailer section, which nothing here needs.
                while (!readLine("the trailer section").isEmpty()) {
                    // skip
                }
                return;
            }
            if (!readFixed(length, body, "a chunk")) {
                return;
            }
            final String end = readLine("the end of a chunk");
            if (!end.isEmpty()) {
                throw broken("a chunk of the engine's answer is longer than its size line said (" + length + " bytes)");
            }
        }
    }

    /** @return false when the body sink wants no more bytes */
    private boolean readFixed(final long length, final BodySink body, final String what) throws IOException {
        long remaining = length;
        while (remaining > 0) {
            if (!fill()) {
                throw broken("the engine closed the connection after " + (length - remaining) + " of the " + length
                        + " bytes of " + what);
            }
            final int take = (int) Math.min(remaining, buffer.remaining());
            remaining -= take;
            if (!body.accept(buffer, take)) {
                return false;
            }
        }
        return true;
    }

    private void readToEnd(final BodySink body) throws IOException {
        while (fill()) {
            if (!body.accept(buffer, buffer.remaining())) {
                return;
            }
        }
    }

    private String readLine(final String what) throws IOException {
        final StringBuilder line = new StringBuilder(64);
        while (true) {
            if (!fill()) {
                throw broken("the engine closed the connection in the middle of " + what);
            }
            final byte b = buffer.get();
            if (b == '\n') {
                final int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            if (line.length() >= MAX_LINE_BYTES) {
                throw broken(what + " of the engine's answer is longer than " + MAX_LINE_BYTES + " bytes");
            }
            // Field values are ISO-8859-1 at most (RFC 9110 5.5); the engine's are ASCII.
            line.append((char) (b & 0xff));
        }
    }

    /** Makes sure at least one unparsed byte is buffered; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (buffer.hasRemaining()) {
            return true;
        }
        buffer.clear();
        int read;
        do {
            read = source.read(buffer);
        } while (read == 0);
        buffer.flip();
        return read > 0;
    }

    private static String lastCoding(final String transferEncoding) {
        final String[] codings = transferEncoding.split(",");
        return codings[codings.length - 1].strip().toLowerCase(Locale.ROOT);
    }

    private static long parseContentLength(final String value) {
        // A repeated field arrives joined with ", "; equal values are allowed (RFC 9110 8.6).
        final String[] values = value.split(",");
        final String first = values[0].strip();
        for (final String other : values) {
            if (!other.strip().equals(first)) {
                throw broken("the engine's answer has conflicting Content-Length values \"" + printable(value) + '"');
            }
        }
        if (!first.matches("[0-9]{1,18}")) {
            throw broken("the engine's answer has an invalid Content-Length \"" + printable(value) + '"');
        }
        return Long.parseLong(first);
    }

    private static EngineException broken(final String message) {
        return new EngineException(EngineException.Reason.BROKEN_RESPONSE, message);
    }

    private static String printable(final String text) {
        final String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** Collects a body within its {@link BodyLimit}. */
    private static final class BodySink {

        private final BodyLimit limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private long total;
        private boolean truncated;

        BodySink(final BodyLimit limit) {
            this.limit = limit;
        }

        /**
         * Takes {@code length} bytes from {@code source}'s position.
         *
         * @return false when no more bytes are wanted
         */
        boolean accept(final ByteBuffer source, final int length) {
            final int max = limit.maxBytes();
            total += length;
            switch (limit.overflow()) {
                case FAIL -> {
                    if (total > max) {
                        throw broken("the engine's answer is larger than " + max + " bytes");
                    }
                    copy(source, length, length);
                }
                case KEEP_HEAD -> {
                    final int room = max - kept.size();
                    copy(source, length, Math.min(room, length));
                    if (length > room) {
                        truncated = true;
                        return false;
                    }
                }
                case KEEP_TAIL -> {
                    copy(source, length, length);
                    if (kept.size() > 2 * max) {
                        final byte[] all = kept.toByteArray();
                        kept.reset();
                        kept.write(all, all.length - max, max);
                        truncated = true;
                    }
                }
            }
            return true;
        }

        /** Keeps the first {@code keep} of the next {@code length} bytes of {@code source} and skips the rest. */
        private void copy(final ByteBuffer source, final int length, final int keep) {
            if (keep > 0) {
                kept.write(source.array(), source.arrayOffset() + source.position(), keep);
            }
            source.position(source.position() + length);
        }

        /** The kept bytes; call before {@link #truncated()}, which this may set. */
        byte[] bytes() {
            if (limit.overflow() == BodyLimit.Overflow.KEEP_TAIL && kept.size() > limit.maxBytes()) {
                final byte[] all = kept.toByteArray();
                truncated = true;
                return java.util.Arrays.copyOfRange(all, all.length - limit.maxBytes(), all.length);
            }
            return kept.toByteArray();
        }

        boolean truncated() {
            return truncated;
        }
    }
}
