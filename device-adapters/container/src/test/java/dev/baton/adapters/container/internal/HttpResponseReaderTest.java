package dev.baton.adapters.container.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpResponseReaderTest {

    private static final BodyLimit ANY = BodyLimit.failAbove(1024 * 1024);

    /** As Podman answers {@code GET /containers/x/json} for a missing container (Content-Length framing). */
    private static final String NOT_FOUND = ""
            + "HTTP/1.1 404 Not Found\r\n" // status line
            + "Api-Version: 1.41\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: 33\r\n" // the body's length in bytes
            + "\r\n" // end of the header section
            + "{\"message\":\"no such container x\"}"; // 33 bytes

    /** As Podman streams a container's log: chunked, each chunk a multiplexed frame (see {@link LogStream}). */
    private static final String CHUNKED_LOG = ""
            + "HTTP/1.1 200 OK\r\n"
            + "Content-Type: application/octet-stream\r\n"
            + "Transfer-Encoding: chunked\r\n"
            + "\r\n"
            + "e\r\n" // chunk size, hex: 14 bytes follow
            + "\u0001\0\0\0\0\0\0\u0006hello\n" // frame: stdout (1), 3 zero bytes, length 6, "hello\n"
            + "\r\n" // end of chunk data
            + "c;ext=1\r\n" // 12 bytes, with a chunk extension to ignore
            + "\u0002\0\0\0\0\0\0\u0004err\n" // frame: stderr (2), length 4, "err\n"
            + "\r\n"
            + "0\r\n" // last chunk
            + "Trailer-Field: ignored\r\n" // trailer section
            + "\r\n"; // end of the message

    @Test
    void contentLengthBodyIsReadExactlyAndHeadersByCaseInsensitiveName() throws IOException {
        final HttpResponse response = read(NOT_FOUND + "garbage after the body", "GET", ANY);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.reasonPhrase()).isEqualTo("Not Found");
        assertThat(response.header("content-type")).hasValue("application/json");
        assertThat(response.header("API-VERSION")).hasValue("1.41");
        assertThat(response.bodyText()).isEqualTo("{\"message\":\"no such container x\"}");
        assertThat(response.truncated()).isFalse();
    }

    @Test
    void chunkedBodyIsDechunkedIgnoringExtensionsAndTrailers() throws IOException {
        final HttpResponse response = read(CHUNKED_LOG, "GET", ANY);

        assertThat(response.status()).isEqualTo(200);
        assertThat(LogStream.decode(response.body())).isEqualTo("hello\nerr\n");
    }

    @ParameterizedTest(name = "delivered {0} byte(s) at a time")
    @ValueSource(ints = {1, 2, 3, 7, 64})
    void responseSplitAcrossReadsAnywhereParsesTheSame(final int piece) throws IOException {
        final HttpResponse response =
                new HttpResponseReader(new PiecewiseSource(bytes(CHUNKED_LOG), piece)).read("GET", ANY);

        assertThat(LogStream.decode(response.body())).isEqualTo("hello\nerr\n");
    }

    @Test
    void noContentAndNotModifiedHaveNoBodyWhateverFollows() throws IOException {
        assertThat(read("HTTP/1.1 204 No Content\r\nApi-Version: 1.41\r\n\r\n", "POST", ANY)
                        .body())
                .isEmpty();
        assertThat(read("HTTP/1.1 304 Not Modified\r\n\r\n", "POST", ANY).status())
                .isEqualTo(304);
    }

    @Test
    void answerToHeadHasNoBodyDespiteItsContentLength() throws IOException {
        assertThat(read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", "HEAD", ANY)
                        .body())
                .isEmpty();
    }

    @Test
    void bodyWithoutFramingRunsToTheEndOfTheConnection() throws IOException {
        assertThat(read("HTTP/1.1 200 OK\r\n\r\nOK then closed", "GET", ANY).bodyText())
                .isEqualTo("OK then closed");
    }

    @Test
    void interimContinueResponseIsSkipped() throws IOException {
        final HttpResponse response = read("HTTP/1.1 100 Continue\r\n\r\n" + NOT_FOUND, "POST", ANY);

        assertThat(response.status()).isEqualTo(404);
    }

    @Test
    void statusLineWithoutReasonPhraseIsAccepted() throws IOException {
        assertThat(read("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", "GET", ANY).reasonPhrase())
                .isEmpty();
    }

    @Test
    void repeatedHeaderValuesAreJoined() throws IOException {
        assertThat(read("HTTP/1.1 200 OK\r\nWarning: a\r\nwarning: b\r\nContent-Length: 0\r\n\r\n", "GET", ANY)
                        .header("Warning"))
                .hasValue("a, b");
    }

    @Test
    void bodyLargerThanAFailLimitIsAnError() {
        assertThatThrownBy(() -> read(NOT_FOUND, "GET", BodyLimit.failAbove(32)))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason())
                        .isEqualTo(EngineException.Reason.BROKEN_RESPONSE))
                .hasMessage("the engine's answer is larger than 32 bytes");
    }

    @Test
    void keepHeadLimitKeepsTheStartAndStopsReading() throws IOException {
        final PiecewiseSource source = new PiecewiseSource(bytes(NOT_FOUND), 1);

        final HttpResponse response = new HttpResponseReader(source).read("GET", BodyLimit.keepHead(10));

        assertThat(response.bodyText()).isEqualTo("{\"message\"");
        assertThat(response.truncated()).isTrue();
        // The rest of the 33-byte body was never asked for.
        assertThat(source.remaining()).isEqualTo(33 - 11);
    }

    @Test
    void keepTailLimitKeepsTheEndOfAStream() throws IOException {
        final StringBuilder chunks = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 100; i++) {
            chunks.append("9\r\nline ").append(String.format("%04d", i)).append("\r\n"); // 9 bytes a chunk
        }
        chunks.append("0\r\n\r\n");

        final HttpResponse response = read(chunks.toString(), "POST", BodyLimit.keepTail(25));

        assertThat(response.bodyText()).isEqualTo("ne 0097line 0098line 0099");
        assertThat(response.body()).hasSize(25);
        assertThat(response.truncated()).isTrue();
    }

    @Test
    void exactlyTheLimitIsNotTruncated() throws IOException {
        final HttpResponse response = read(NOT_FOUND, "GET", BodyLimit.keepHead(33));

        assertThat(response.bodyText()).hasSize(33);
        assertThat(response.truncated()).isFalse();
    }

    @Test
    void notHttpIsRefusedQuotingWhatCame() {
        assertThatThrownBy(() -> read("SSH-2.0-OpenSSH_9.2\r\n", "GET", ANY))
                .isInstanceOf(EngineException.class)
                .hasMessage("the engine's answer does not start with an HTTP/1.1 status line, but with"
                        + " \"SSH-2.0-OpenSSH_9.2\"");
    }

    @Test
    void connectionClosedInsideTheBodyIsAnError() {
        assertThatThrownBy(() -> read(NOT_FOUND.substring(0, NOT_FOUND.length() - 3), "GET", ANY))
                .isInstanceOf(EngineException.class)
                .hasMessage("the engine closed the connection after 30 of the 33 bytes of the body");
    }

    @Test
    void connectionClosedBeforeTheLastChunkIsAnError() {
        assertThatThrownBy(() -> read(CHUNKED_LOG.substring(0, CHUNKED_LOG.indexOf("0\r\n")), "GET", ANY))
                .isInstanceOf(EngineException.class)
                .hasMessage("the engine closed the connection in the middle of a chunk size line");
    }

    @Test
    void chunkLongerThanItsSizeLineSaysIsAnError() {
        assertThatThrownBy(() ->
                        read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", "GET", ANY))
                .isInstanceOf(EngineException.class)
                .hasMessage("a chunk of the engine's answer is longer than its size line said (2 bytes)");
    }

    @Test
    void malformedChunkSizeIsAnError() {
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "GET", ANY))
                .isInstanceOf(EngineException.class)
                .hasMessage("the engine's answer has a malformed chunk size line \"zz\"");
    }

    @Test
    void conflictingContentLengthsAreRefusedAsSmuggling() {
        assertThatThrownBy(
                        () -> read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc", "GET", ANY))
                .isInstanceOf(EngineException.class)
                .hasMessage("the engine's answer has conflicting Content-Length values \"2, 3\"");
    }

    @Test
    void endlessHeaderLineIsCutOffAtTheLineLimit() {
        final String longLine = "X-Long: " + "a".repeat(HttpResponseReader.MAX_LINE_BYTES);

        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\n" + longLine + "\r\n\r\n", "GET", ANY))
                .isInstanceOf(EngineException.class)
                .hasMessage("a header field of the engine's answer is longer than 8192 bytes");
    }

    @Test
    void endlessHeaderSectionIsCutOffAtTheFieldLimit() {
        final String fields = "X-A: b\r\n".repeat(HttpResponseReader.MAX_HEADER_FIELDS + 1);

        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\n" + fields + "\r\n", "GET", ANY))
                .isInstanceOf(EngineException.class)
                .hasMessage("the engine's answer has more than 100 header fields");
    }

    @Test
    void foldedHeaderLineIsRefused() {
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\n\r\n", "GET", ANY))
                .isInstanceOf(EngineException.class)
                .hasMessage("the engine's answer has a folded header line \" c\"");
    }

    private static HttpResponse read(final String wire, final String method, final BodyLimit limit) throws IOException {
        return new HttpResponseReader(new PiecewiseSource(bytes(wire), 4096)).read(method, limit);
    }

    private static byte[] bytes(final String wire) {
        return wire.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Hands out the bytes at most {@code piece} at a time, as a socket may. */
    private static final class PiecewiseSource implements ByteSource {

        private final byte[] bytes;
        private final int piece;
        private int position;

        PiecewiseSource(final byte[] bytes, final int piece) {
            this.bytes = bytes;
            this.piece = piece;
        }

        @Override
        public int read(final ByteBuffer target) {
            if (position == bytes.length) {
                return -1;
            }
            final int length = Math.min(Math.min(piece, target.remaining()), bytes.length - position);
            target.put(Arrays.copyOfRange(bytes, position, position + length));
            position += length;
            return length;
        }

        int remaining() {
            return bytes.length - position;
        }
    }
}
