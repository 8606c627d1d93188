package dev.baton.adapters.opcua.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.jetbrains.annotations.NotNull;

/** Short, operator-readable causes for what failed while talking to a server. */
public final class Failures {

    private Failures() {}

    /** The cause of {@code failure} in a few words, e.g. "connection refused" or "Bad_Timeout (…)". */
    public static @NotNull String describe(final @NotNull Throwable failure) {
        final Throwable root = unwrap(failure);
        if (root instanceof TimeoutException) {
            return "no answer before the scan deadline";
        }
        if (root instanceof CancellationException) {
            return "cancelled at the scan deadline";
        }
        final Throwable deepest = deepest(root);
        if (deepest instanceof ConnectException) {
            return "connection refused (" + deepest.getMessage() + ")";
        }
        if (deepest instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (deepest instanceof UnknownHostException) {
            return "host name does not resolve (" + deepest.getMessage() + ")";
        }
        if (deepest instanceof ClosedChannelException) {
            return "the server closed the connection";
        }
        if (root instanceof UaException ua) {
            final long code = ua.getStatusCode().getValue();
            final String name = StatusCodes.lookup(code).map(names -> names[0]).orElse(String.format("0x%08X", code));
            final String message = ua.getMessage() == null ? "" : ua.getMessage();
            // Milo's messages often repeat the status as "status=Bad_…, message=…"; keep the useful part.
            final int at = message.indexOf("message=");
            final String detail = at >= 0 ? message.substring(at + "message=".length()) : message;
            return detail.isBlank() || detail.equals(name) ? name : name + " (" + trim(detail) + ")";
        }
        final String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + trim(message));
    }

    static @NotNull Throwable unwrap(final @NotNull Throwable failure) {
        Throwable current = failure;
        while ((current instanceof ExecutionException || current instanceof CompletionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static Throwable deepest(final Throwable failure) {
        Throwable current = failure;
        for (int i = 0; i < 16 && current.getCause() != null && current.getCause() != current; i++) {
            current = current.getCause();
        }
        return current;
    }

    private static String trim(final String text) {
        final String line = text.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
