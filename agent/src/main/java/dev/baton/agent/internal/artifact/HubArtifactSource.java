package dev.baton.agent.internal.artifact;

import dev.baton.adapters.api.ArtifactSource;
import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ComponentException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads artifacts from the hub's artifact store ({@code GET /api/v1/tenants/{t}/artifacts/{sha256}}, Basic auth
 * with the node's MQTT credentials) or from a URL, into {@code <cache>/<sha256>} after the SHA-256 matched.
 *
 * <p>A download goes to {@code <sha256>.part} first; the next attempt after a broken transfer asks for the rest with
 * {@code Range: bytes=N-}. A server that answers the whole file (200) instead is fine too: the part starts over.
 * A transfer that makes no progress for {@link #idleTimeout} is cut, so a stalled server cannot hold the reconciler.
 *
 * <p>The node's credentials go only to the hub the agent enrolled with, never to an artifact URL.
 */
public final class HubArtifactSource implements ArtifactSource {

    private static final Logger LOG = LoggerFactory.getLogger(HubArtifactSource.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int BUFFER = 64 * 1024;

    private final @Nullable URI hub;
    private final String tenant;
    private final String authorization;
    private final Path cache;
    private final long maxBytes;
    private final Duration idleTimeout;
    private final ScheduledExecutorService scheduler;
    /** Created on the first download: an idle JDK HTTP client costs its TLS classes and a selector thread. */
    private @Nullable HttpClient http;

    /**
     * @param hub the hub's base URL, or null when this agent does not know it (fetching from the store then fails
     *     with a message that says so)
     * @param maxBytes the largest artifact accepted
     */
    public HubArtifactSource(
            final @Nullable URI hub,
            final @NotNull String tenant,
            final @NotNull String username,
            final @NotNull String password,
            final @NotNull Path cache,
            final long maxBytes,
            final @NotNull Duration idleTimeout,
            final @NotNull ScheduledExecutorService scheduler) {
        this.hub = hub;
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.authorization = "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.cache = Objects.requireNonNull(cache, "cache");
        this.maxBytes = maxBytes;
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    private HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        }
        return http;
    }

    @Override
    public @NotNull Path fetch(final @NotNull String sha256) {
        checkSha(sha256);
        final Optional<Path> cached = cached(sha256);
        if (cached.isPresent()) {
            return cached.get();
        }
        if (hub == null) {
            throw new ComponentException(
                    Reason.APPLY_FAILED,
                    "artifact " + sha256 + " is not cached and this agent does not know its hub's URL (agent.json has"
                            + " no hubUrl); enroll the agent again or add hubUrl to its configuration");
        }
        final URI url = hub.resolve("/api/v1/tenants/" + tenant + "/artifacts/" + sha256);
        return download(url, sha256, true, "artifact " + sha256 + " from the hub");
    }

    @Override
    public @NotNull Path fetch(final @NotNull URI url, final @NotNull String sha256) {
        checkSha(sha256);
        final String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new ComponentException(
                    Reason.INVALID_SPEC, "artifact URL " + url + " is not http(s); use an https:// URL");
        }
        if (url.getUserInfo() != null) {
            throw new ComponentException(
                    Reason.INVALID_SPEC,
                    "artifact URL for " + sha256 + " carries user info; credentials do not belong in a desired"
                            + " document");
        }
        return cached(sha256).orElseGet(() -> download(url, sha256, false, "artifact " + sha256 + " from " + url));
    }

    /** The cached file for {@code sha256}, if a download of it completed before. */
    private Optional<Path> cached(final String sha256) {
        final Path file = cache.resolve(sha256);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    private synchronized Path download(
            final URI url, final String sha256, final boolean authenticate, final String what) {
        final Path file = cache.resolve(sha256);
        if (Files.isRegularFile(file)) {
            return file;
        }
        final Path part = cache.resolve(sha256 + ".part");
        try {
            Files.createDirectories(cache);
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            final HttpRequest.Builder request =
                    HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET();
            if (authenticate) {
                request.header("Authorization", authorization);
            }
            if (have > 0) {
                request.header("Range", "bytes=" + have + "-");
            }
            final HttpResponse<InputStream> response =
                    http().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            final int status = response.statusCode();
            try (InputStream body = response.body()) {
                if (status == 416 && have > 0) {
                    // The part already holds the whole file (a crash after the last byte, before the rename).
                    LOG.debug("{}: the server has nothing past byte {}; checking the part", what, have);
                } else if (status == 200 || (status == 206 && have > 0)) {
                    if (status == 200 && have > 0) {
                        LOG.info("{}: the server sent the whole file; restarting the download", what);
                        have = 0;
                    }
                    final long length = response.headers()
                            .firstValueAsLong("Content-Length")
                            .orElse(-1);
                    if (length >= 0 && have + length > maxBytes) {
                        throw new ComponentException(
                                Reason.APPLY_FAILED,
                                what + " is " + (have + length) + " bytes, more than an agent accepts (" + maxBytes
                                        + " bytes); split it or ship it another way");
                    }
                    final long before = have;
                    have = copy(body, part, have, what);
                    LOG.info("{}: received {} bytes ({} resumed)", what, have - before, before);
                } else {
                    throw new ComponentException(Reason.APPLY_FAILED, what + ": " + explain(status, authenticate));
                }
            }
            final String actual = sha256Of(part);
            if (!actual.equals(sha256)) {
                Files.deleteIfExists(part);
                throw new ComponentException(
                        Reason.APPLY_FAILED,
                        what + ": the downloaded " + have + " bytes have SHA-256 " + actual
                                + ", not the expected one; discarded them. Check that the desired document names"
                                + " the right artifact");
            }
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (!file.toFile().setReadOnly()) {
                LOG.debug("cannot make {} read-only", file);
            }
            return file;
        } catch (final IOException e) {
            throw new ComponentException(
                    Reason.APPLY_FAILED,
                    what + " failed: " + e.getMessage() + "; the next attempt resumes where this one stopped",
                    e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ComponentException(Reason.APPLY_FAILED, what + " was interrupted", e);
        }
    }

    /** Appends {@code body} to {@code part}, cutting the transfer when it stalls or grows past the limit. */
    private long copy(final InputStream body, final Path part, final long offset, final String what)
            throws IOException {
        final AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        final long idleNanos = idleTimeout.toNanos();
        final ScheduledFuture<?> watchdog = scheduler.scheduleWithFixedDelay(
                () -> {
                    if (System.nanoTime() - lastProgress.get() > idleNanos) {
                        LOG.warn("{}: no data for {}; cutting the transfer", what, idleTimeout);
                        try {
                            body.close();
                        } catch (final IOException ignored) {
                            // closing is all we can do
                        }
                    }
                },
                idleTimeout.toMillis(),
                Math.max(100, idleTimeout.toMillis() / 4),
                TimeUnit.MILLISECONDS);
        long total = offset;
        try (OutputStream out = Files.newOutputStream(
                part,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                offset == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND)) {
            final byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = body.read(buffer)) >= 0) {
                total += n;
                if (total > maxBytes) {
                    throw new ComponentException(
                            Reason.APPLY_FAILED,
                            what + " is larger than an agent accepts (" + maxBytes
                                    + " bytes); split it or ship it another way");
                }
                out.write(buffer, 0, n);
                lastProgress.set(System.nanoTime());
            }
        } finally {
            watchdog.cancel(false);
        }
        return total;
    }

    private static String explain(final int status, final boolean hub) {
        return switch (status) {
            case 401, 403 -> "the " + (hub ? "hub" : "server") + " refused the download (HTTP " + status + ")"
                    + (hub ? "; the node's credentials may be revoked: enroll it again" : "");
            case 404 -> "not found (HTTP 404); upload it first"
                    + (hub ? " (baton artifact upload FILE, or POST …/artifacts)" : " or fix the URL");
            default -> "HTTP " + status + " from the " + (hub ? "hub" : "server") + "; retrying later";
        };
    }

    private static void checkSha(final String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new ComponentException(
                    Reason.INVALID_SPEC, "artifact '" + sha256 + "' is not a SHA-256 (64 lower-case hex digits)");
        }
    }

    static String sha256Of(final Path file) throws IOException {
        final MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            final byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
