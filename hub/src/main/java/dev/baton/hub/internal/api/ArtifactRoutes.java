package dev.baton.hub.internal.api;

import dev.baton.hub.internal.store.ArtifactRecord;
import dev.baton.hub.internal.store.ArtifactTable;
import dev.baton.protocol.Names;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/tenants/{tenant}/artifacts…}: the artifact store. Uploads stream to a temporary file while their
 * SHA-256 is computed, and are moved to {@code <dir>/<tenant>/<sha256>} once complete, so a half-uploaded artifact is
 * never listed. Downloads support single byte ranges (RFC 9110, section 14) so that an agent resumes an interrupted
 * transfer. An artifact a node's current desired document names cannot be deleted.
 *
 * <p>Threading: handlers run on the event loop; file moves and deletes run as blocking tasks, the table on the
 * store thread.
 */
final class ArtifactRoutes {

    private static final Logger log = LoggerFactory.getLogger(ArtifactRoutes.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");
    private static final int MAX_NAME_CHARS = 255;

    private final ArtifactTable table;
    private final Path directory;
    private final long maxBytes;
    private final TenantAccess tenants;
    private final ApiResponder responder;

    ArtifactRoutes(
            final @NotNull ArtifactTable table,
            final @NotNull Path directory,
            final long maxBytes,
            final @NotNull TenantAccess tenants,
            final @NotNull ApiResponder responder) {
        this.table = table;
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.tenants = tenants;
        this.responder = responder;
    }

    /** A stored artifact as the API shows it. */
    record ArtifactView(@NotNull String sha256, long size, @NotNull String name, @NotNull Instant createdAt) {}

    record ArtifactList(@NotNull List<ArtifactView> items) {}

    /**
     * {@code POST …/artifacts?name=N[&sha256=H]} with the raw bytes as body: 201 with the SHA-256 and size, or 200
     * when the same content is stored already. With {@code sha256}, content that hashes otherwise is refused (400)
     * and nothing is kept.
     */
    @NotNull
    CompletionStage<Reply> upload(final @NotNull RoutingContext context) {
        final String tenant = tenants.require(context);
        final String name = name(context.queryParams().get("name"));
        final String expected = context.queryParams().get("sha256");
        if (expected != null && !SHA256.matcher(expected).matches()) {
            throw ApiException.badRequest(
                    "sha256 must be 64 lower-case hex digits, but was '" + Names.printable(expected) + "'");
        }
        final HttpServerRequest request = context.request();
        final String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null
                && length.chars().allMatch(Character::isDigit)
                && length.length() < 19
                && Long.parseLong(length) > maxBytes) {
            throw tooLarge();
        }
        final Path temporary = directory.resolve("tmp").resolve(UUID.randomUUID() + ".part");
        final CompletableFuture<Reply> done = new CompletableFuture<>();
        final MessageDigest digest = sha256();
        final long[] size = {0};
        request.pause();
        context.vertx()
                .executeBlocking(() -> Files.createDirectories(temporary.getParent()))
                .compose(ignored -> context.vertx()
                        .fileSystem()
                        .open(
                                temporary.toString(),
                                new OpenOptions().setCreateNew(true).setWrite(true)))
                .onFailure(done::completeExceptionally)
                .onSuccess(file -> {
                    request.exceptionHandler(error -> discard(context, file, temporary, done, error));
                    request.handler(buffer -> {
                        size[0] += buffer.length();
                        if (size[0] > maxBytes) {
                            request.pause();
                            discard(context, file, temporary, done, tooLarge());
                            return;
                        }
                        digest.update(buffer.getByteBuf().nioBuffer());
                        file.write(buffer);
                        if (file.writeQueueFull()) {
                            request.pause();
                            file.drainHandler(drained -> request.resume());
                        }
                    });
                    request.endHandler(ended -> {
                        if (done.isDone()) {
                            return;
                        }
                        final String sha256 = HexFormat.of().formatHex(digest.digest());
                        if (expected != null && !expected.equals(sha256)) {
                            discard(
                                    context,
                                    file,
                                    temporary,
                                    done,
                                    ApiException.badRequest("the uploaded content has SHA-256 " + sha256 + ", not "
                                            + expected + " as the request says; nothing was stored"));
                            return;
                        }
                        file.close()
                                .compose(closed -> context.vertx().executeBlocking(() -> {
                                    final Path target =
                                            directory.resolve(tenant).resolve(sha256);
                                    Files.createDirectories(target.getParent());
                                    Files.move(
                                            temporary,
                                            target,
                                            StandardCopyOption.REPLACE_EXISTING,
                                            StandardCopyOption.ATOMIC_MOVE);
                                    return target;
                                }))
                                .onFailure(error -> discard(context, file, temporary, done, error))
                                .onSuccess(target -> table.add(
                                                new ArtifactRecord(tenant, sha256, size[0], name, Instant.now()))
                                        .whenComplete((added, error) -> {
                                            if (error != null) {
                                                done.completeExceptionally(error);
                                                return;
                                            }
                                            log.info(
                                                    "artifact {} ({} bytes, '{}') {} for tenant {}",
                                                    sha256,
                                                    size[0],
                                                    name,
                                                    added ? "stored" : "uploaded again",
                                                    tenant);
                                            final ArtifactView view =
                                                    new ArtifactView(sha256, size[0], name, Instant.now());
                                            done.complete(added ? Reply.created(view) : Reply.ok(view));
                                        }));
                    });
                    request.resume();
                });
        return done;
    }

    /** {@code GET …/artifacts}. */
    @NotNull
    CompletionStage<Reply> list(final @NotNull RoutingContext context) {
        final String tenant = tenants.require(context);
        return table.list(tenant)
                .thenApply(items -> Reply.ok(new ArtifactList(items.stream()
                        .map(a -> new ArtifactView(a.sha256(), a.size(), a.name(), a.createdAt()))
                        .toList())));
    }

    /**
     * {@code GET …/artifacts/{sha256}}: the bytes, or with {@code Range: bytes=A-B} (also {@code A-} and {@code -N})
     * the part asked for (206 with {@code Content-Range}); a range past the end is 416.
     */
    void download(final @NotNull RoutingContext context) {
        final String tenant;
        final String sha256;
        try {
            tenant = tenants.require(context);
            sha256 = sha256(context);
        } catch (final RuntimeException e) {
            responder.fail(context, e);
            return;
        }
        table.find(tenant, sha256)
                .whenComplete((found, error) -> context.vertx().runOnContext(ignored -> {
                    if (error != null) {
                        responder.fail(context, error);
                        return;
                    }
                    if (found.isEmpty()) {
                        responder.fail(context, notFound(tenant, sha256));
                        return;
                    }
                    final long size = found.get().size();
                    final Path file = directory.resolve(tenant).resolve(sha256);
                    final var response = context.response()
                            .putHeader("Accept-Ranges", "bytes")
                            .putHeader(HttpHeaders.ETAG, '"' + sha256 + '"')
                            .putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
                    final String range = context.request().getHeader("Range");
                    if (range == null || range.contains(",")) {
                        // Several ranges at once: RFC 9110 lets a server answer with the whole representation.
                        response.setStatusCode(200).sendFile(file.toString());
                        return;
                    }
                    final long[] span = span(range, size);
                    if (span == null) {
                        response.setStatusCode(416)
                                .putHeader("Content-Range", "bytes */" + size)
                                .end();
                        return;
                    }
                    response.setStatusCode(206)
                            .putHeader("Content-Range", "bytes " + span[0] + "-" + (span[0] + span[1] - 1) + "/" + size)
                            .sendFile(file.toString(), span[0], span[1]);
                }));
    }

    /** {@code DELETE …/artifacts/{sha256}}: 204, or 409 naming the nodes whose desired state uses it. */
    @NotNull
    CompletionStage<Reply> delete(final @NotNull RoutingContext context) {
        final String tenant = tenants.require(context);
        final String sha256 = sha256(context);
        return table.find(tenant, sha256)
                .thenCompose(found -> {
                    if (found.isEmpty()) {
                        throw notFound(tenant, sha256);
                    }
                    return table.removeUnlessReferenced(tenant, sha256);
                })
                .thenCompose(nodes -> {
                    if (!nodes.isEmpty()) {
                        throw new ApiException(
                                409,
                                "ARTIFACT_IN_USE",
                                "artifact " + sha256 + " is named by the current desired state of "
                                        + String.join(", ", nodes) + "; change their desired state first",
                                Map.of("nodes", nodes));
                    }
                    // Unlisted on the store thread; the file goes on a worker, never on the store thread.
                    return context.vertx()
                            .executeBlocking(() -> Files.deleteIfExists(
                                    directory.resolve(tenant).resolve(sha256)))
                            .toCompletionStage();
                })
                .thenApply(deleted -> {
                    log.info("artifact {} of tenant {} deleted", sha256, tenant);
                    return new Reply(204, new byte[0], Map.of());
                });
    }

    /** {@code [offset, length]} of a single byte range, or null when it cannot be satisfied. */
    static long @Nullable [] span(final @NotNull String header, final long size) {
        final Matcher matcher = RANGE.matcher(header.strip());
        if (!matcher.matches() || matcher.group(1).isEmpty() && matcher.group(2).isEmpty()) {
            return null;
        }
        if (matcher.group(1).isEmpty()) {
            final long suffix = Long.parseLong(matcher.group(2));
            if (suffix == 0 || size == 0) {
                return null;
            }
            final long length = Math.min(suffix, size);
            return new long[] {size - length, length};
        }
        final long first = Long.parseLong(matcher.group(1));
        final long last = matcher.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(matcher.group(2)), size - 1);
        if (first >= size || last < first) {
            return null;
        }
        return new long[] {first, last - first + 1};
    }

    private void discard(
            final RoutingContext context,
            final AsyncFile file,
            final Path temporary,
            final CompletableFuture<Reply> done,
            final Throwable error) {
        if (!done.completeExceptionally(error)) {
            return;
        }
        file.close().onComplete(closed -> context.vertx().executeBlocking(() -> Files.deleteIfExists(temporary)));
    }

    private ApiException tooLarge() {
        return new ApiException(
                413,
                "TOO_LARGE",
                "an artifact may be at most " + maxBytes
                        + " bytes (hub flag --max-artifact-bytes); nothing was stored");
    }

    private static ApiException notFound(final String tenant, final String sha256) {
        return ApiException.notFound(
                "ARTIFACT_NOT_FOUND",
                "tenant '" + tenant + "' has no artifact " + sha256 + "; list them with GET …/artifacts");
    }

    private static String sha256(final RoutingContext context) {
        final String sha256 = context.pathParam("sha256");
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw ApiException.badRequest("an artifact is named by its SHA-256, 64 lower-case hex digits, but was '"
                    + Names.printable(sha256) + "'");
        }
        return sha256;
    }

    private static String name(final @Nullable String name) {
        if (name == null) {
            return "artifact";
        }
        if (name.isEmpty()
                || name.length() > MAX_NAME_CHARS
                || name.contains("/")
                || name.contains("\\")
                || name.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("name must be 1 to " + MAX_NAME_CHARS
                    + " characters without '/', '\\\\' or control characters, e.g. firmware-1.2.bin");
        }
        return name;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
