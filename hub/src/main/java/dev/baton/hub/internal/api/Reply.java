package dev.baton.hub.internal.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jetbrains.annotations.NotNull;

/**
 * A successful API answer: status, a body written as JSON (a {@code byte[]} is sent as it is, already JSON) and
 * extra headers.
 */
record Reply(int status, @NotNull Object body, @NotNull Map<String, String> headers) {

    Reply {
        headers = Map.copyOf(headers);
    }

    static @NotNull Reply ok(final @NotNull Object body) {
        return new Reply(200, body, Map.of());
    }

    static @NotNull Reply created(final @NotNull Object body) {
        return new Reply(201, body, Map.of());
    }

    @NotNull
    Reply withHeader(final @NotNull String name, final @NotNull String value) {
        final Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Reply(status, body, more);
    }

    /** An entity tag for a generation: {@code "N"}. */
    static @NotNull String etag(final long generation) {
        return "\"" + generation + '"';
    }
}
