package dev.baton.agent.internal.artifact;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP/1.1 server on loopback that serves one body with byte ranges (RFC 9110 section 14) and does, request by
 * request, what a test plans: answer properly, cut the connection after some bytes, stall, ignore the range, or answer
 * a status. Written on plain sockets so that a cut is a real cut of the TCP connection.
 */
final class RangeServer implements AutoCloseable {

    /** What to do with one request. */
    sealed interface Plan permits Serve, CutAfter, StallAfter, Status {}

    /** Serve the body, honouring a range when {@code honourRange}. */
    record Serve(boolean honourRange) implements Plan {}

    /** Promise the whole (ranged) body, send {@code bytes} of it, then close the connection. */
    record CutAfter(int bytes) implements Plan {}

    /** Promise the whole body, send {@code bytes} of it, then send nothing until the server closes. */
    record StallAfter(int bytes) implements Plan {}

    /** Answer with this status and no body. */
    record Status(int code) implements Plan {}

    /** A request as received: the path and the headers, names in lower case. */
    record Request(String path, Map<String, String> headers) {}

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final ServerSocket socket;
    private final byte[] body;
    private final BlockingQueue<Plan> plans = new LinkedBlockingQueue<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread acceptor;

    RangeServer(final byte[] body) throws IOException {
        this.body = body;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "range-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Plans for the next requests, in order; a request beyond them is served properly. */
    RangeServer then(final Plan... next) {
        plans.addAll(List.of(next));
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                final Socket connection = socket.accept();
                final Thread handler = new Thread(() -> handle(connection), "range-server-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (final IOException e) {
                return;
            }
        }
    }

    private void handle(final Socket connection) {
        try (connection) {
            final InputStream in = connection.getInputStream();
            final OutputStream out = connection.getOutputStream();
            while (true) {
                final Request request = readRequest(in);
                if (request == null) {
                    return;
                }
                requests.add(request);
                final Plan plan = plans.isEmpty() ? new Serve(true) : plans.poll();
                if (!respond(request, plan, out)) {
                    return;
                }
            }
        } catch (final IOException | InterruptedException e) {
            // The client went away, or the test ended.
        }
    }

    /** @return whether the connection may carry another request */
    private boolean respond(final Request request, final Plan plan, final OutputStream out)
            throws IOException, InterruptedException {
        if (plan instanceof Status status) {
            out.write(("HTTP/1.1 " + status.code() + " Planned\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return true;
        }
        final boolean honourRange = !(plan instanceof Serve serve) || serve.honourRange();
        final Matcher range = RANGE.matcher(request.headers().getOrDefault("range", ""));
        final int from = honourRange && range.matches() ? Integer.parseInt(range.group(1)) : 0;
        final int length = body.length - from;
        final String head = from > 0
                ? "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + from + "-" + (body.length - 1) + "/"
                        + body.length + "\r\n"
                : "HTTP/1.1 200 OK\r\n";
        out.write((head + "Content-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        if (plan instanceof CutAfter cut) {
            out.write(body, from, Math.min(cut.bytes(), length));
            out.flush();
            return false;
        }
        if (plan instanceof StallAfter stall) {
            out.write(body, from, Math.min(stall.bytes(), length));
            out.flush();
            closed.await();
            return false;
        }
        out.write(body, from, length);
        out.flush();
        return true;
    }

    private static Request readRequest(final InputStream in) throws IOException {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' || b == '\n') ? (b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : 0) : 0;
        }
        if (matched < 4) {
            return null;
        }
        final String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
        final Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            final int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        return new Request(lines[0].split(" ")[1], headers);
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        socket.close();
    }
}
