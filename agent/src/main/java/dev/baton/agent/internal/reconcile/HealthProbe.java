package dev.baton.agent.internal.reconcile;

import dev.baton.protocol.HealthCheck;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jetbrains.annotations.NotNull;

/**
 * Runs the probe of one {@link HealthCheck}, blocking for at most its {@code timeoutMs}: a TCP connect, an HTTP GET
 * (2xx or 3xx passes; redirects are not followed) or a command (exit code 0 passes). Runs on the reconciler's probe
 * thread, never on the reconciler thread itself, so a slow probe delays no other component.
 */
final class HealthProbe {

    /** The outcome of one probe; {@code detail} says what failed, for the component's message. */
    record Result(boolean passed, @NotNull String detail) {}

    /** Output of a failing command kept for the message. */
    private static final int OUTPUT_CHARS = 200;

    /** Created for the first http probe: most agents have none, and an idle client costs classes and a thread. */
    private @org.jetbrains.annotations.Nullable HttpClient http;

    @NotNull
    Result run(final @NotNull HealthCheck check) {
        final Duration timeout = Duration.ofMillis(check.timeoutMs());
        if (check.tcp() != null) {
            return tcp(check.tcp(), timeout);
        }
        if (check.http() != null) {
            return http(URI.create(check.http()), timeout);
        }
        if (check.command() != null) {
            return command(check, timeout);
        }
        return new Result(true, "");
    }

    private static Result tcp(final String target, final Duration timeout) {
        final int colon = target.lastIndexOf(':');
        String host = target.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        final int port = Integer.parseInt(target.substring(colon + 1));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return new Result(true, "");
        } catch (final IOException e) {
            return new Result(false, "tcp " + target + ": " + describe(e));
        }
    }

    private Result http(final URI uri, final Duration timeout) {
        final HttpRequest request =
                HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        try {
            if (http == null) {
                http = HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build();
            }
            final HttpResponse<Void> response = http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            final int status = response.statusCode();
            return status >= 200 && status < 400
                    ? new Result(true, "")
                    : new Result(false, "http " + uri + " answered " + status);
        } catch (final java.util.concurrent.TimeoutException e) {
            return new Result(false, "http " + uri + ": no answer within " + timeout.toMillis() + " ms");
        } catch (final java.util.concurrent.ExecutionException e) {
            return new Result(false, "http " + uri + ": " + describe(e.getCause()));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "http " + uri + ": interrupted");
        }
    }

    private static Result command(final HealthCheck check, final Duration timeout) {
        final String shown = check.command().get(0);
        final Process process;
        try {
            process = new ProcessBuilder(check.command())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
        } catch (final IOException e) {
            return new Result(false, "command " + shown + " cannot start: " + describe(e));
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return new Result(false, "command " + shown + " did not finish within " + timeout.toMillis() + " ms");
            }
            if (process.exitValue() == 0) {
                return new Result(true, "");
            }
            return new Result(
                    false, "command " + shown + " exited with " + process.exitValue() + tail(process.getInputStream()));
        } catch (final InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(false, "command " + shown + ": interrupted");
        }
    }

    /** The start of what a finished command printed, for the message. */
    private static String tail(final InputStream output) {
        try {
            final byte[] bytes = output.readNBytes(OUTPUT_CHARS * 4);
            final String text = new String(bytes, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                return "";
            }
            return ": " + (text.length() > OUTPUT_CHARS ? text.substring(0, OUTPUT_CHARS) + "…" : text);
        } catch (final IOException e) {
            return "";
        }
    }

    private static String describe(final Throwable e) {
        final String message = e.getMessage();
        return message == null || message.isBlank()
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + " " + message;
    }
}
