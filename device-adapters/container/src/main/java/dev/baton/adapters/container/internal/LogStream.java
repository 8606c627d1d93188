package dev.baton.adapters.container.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.jetbrains.annotations.NotNull;

/**
 * Decodes the body of {@code GET /containers/{id}/logs}. For a container without a TTY the engine multiplexes
 * stdout and stderr into frames (Docker Engine API, "Attach to a container": "stream format"): a header of one byte
 * of stream type (0 stdin, 1 stdout, 2 stderr), three zero bytes and a four-byte big-endian payload length, then the
 * payload. A container with a TTY sends its output raw.
 */
final class LogStream {

    private static final int HEADER_BYTES = 8;

    private LogStream() {}

    /**
     * The text of {@code body}, frames joined in order; raw when it does not start with a frame header. A last frame
     * that the body cut short contributes what it has.
     */
    static @NotNull String decode(final byte @NotNull [] body) {
        if (!startsWithFrameHeader(body, 0)) {
            return new String(body, StandardCharsets.UTF_8);
        }
        final ByteArrayOutputStream text = new ByteArrayOutputStream(body.length);
        int at = 0;
        while (at + HEADER_BYTES <= body.length && startsWithFrameHeader(body, at)) {
            final long length = ((body[at + 4] & 0xffL) << 24)
                    | ((body[at + 5] & 0xff) << 16)
                    | ((body[at + 6] & 0xff) << 8)
                    | (body[at + 7] & 0xff);
            final int start = at + HEADER_BYTES;
            final int end = (int) Math.min(body.length, start + length);
            text.write(body, start, end - start);
            at = end;
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    private static boolean startsWithFrameHeader(final byte[] body, final int at) {
        return body.length - at >= HEADER_BYTES
                && body[at] >= 0
                && body[at] <= 2
                && body[at + 1] == 0
                && body[at + 2] == 0
                && body[at + 3] == 0;
    }
}
