package dev.baton.hub.internal.api;

import dev.baton.protocol.Names;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/** Reads and checks request inputs; each failure is an {@link ApiException} or a 400 {@code ProtocolException}. */
final class Requests {

    private static final Pattern ETAG_GENERATION = Pattern.compile("\\s*(?:W/)?\"?([0-9]{1,18})\"?\\s*");

    private Requests() {}

    /** The {@code node} path parameter, checked to be a valid node name. */
    static @NotNull String node(final @NotNull RoutingContext context) {
        return Names.checkName(context.pathParam("node"), "node");
    }

    /** The request body; empty when there is none. */
    static byte @NotNull [] body(final @NotNull RoutingContext context) {
        final RequestBody body = context.body();
        final Buffer buffer = body == null ? null : body.buffer();
        return buffer == null ? new byte[0] : buffer.getBytes();
    }

    /** The generation in {@code If-Match: "N"}; empty when the header is absent. */
    static @NotNull OptionalLong ifMatchGeneration(final @NotNull RoutingContext context) {
        final String header = context.request().getHeader("If-Match");
        if (header == null) {
            return OptionalLong.empty();
        }
        final Matcher matcher = ETAG_GENERATION.matcher(header);
        if (!matcher.matches()) {
            throw ApiException.badRequest("If-Match must be the quoted generation the change is based on, such as"
                    + " \"3\" (the ETag of GET …/desired), but was '" + Names.printable(header) + "'");
        }
        return OptionalLong.of(Long.parseLong(matcher.group(1)));
    }

    /** An integer query parameter within bounds. */
    static int intQuery(
            final @NotNull RoutingContext context,
            final @NotNull String name,
            final int defaultValue,
            final int min,
            final int max) {
        return (int) longQuery(context, name, defaultValue, min, max);
    }

    /** The query parameter {@code name}, which must be present, as a number from {@code min} to {@code max}. */
    static long longQuery(
            final @NotNull RoutingContext context, final @NotNull String name, final long min, final long max) {
        if (context.queryParam(name).isEmpty()) {
            throw ApiException.badRequest(name + " is required: an integer between " + min + " and " + max);
        }
        return longQuery(context, name, min, min, max);
    }

    private static long longQuery(
            final RoutingContext context, final String name, final long defaultValue, final long min, final long max) {
        final List<String> values = context.queryParam(name);
        if (values.isEmpty()) {
            return defaultValue;
        }
        final String value = values.get(0);
        try {
            final long parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (final NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest(name + " must be an integer between " + min + " and " + max + ", but was '"
                + Names.printable(value) + "'");
    }
}
