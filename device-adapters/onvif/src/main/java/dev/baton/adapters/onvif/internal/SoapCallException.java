package dev.baton.adapters.onvif.internal;

import org.jetbrains.annotations.NotNull;

/**
 * One SOAP call to a camera failed. The message is a clause that follows the call's name, e.g. "was refused:
 * connection refused" or "answered with SOAP fault env:Receiver (…)", and never holds a secret.
 */
final class SoapCallException extends RuntimeException {

    enum Reason {
        /** No connection: refused, no route, unknown host, or no answer to connect in time. */
        UNREACHABLE,
        /** Connected, but no complete answer before the read timeout or the scan's deadline. */
        TIMEOUT,
        /** A SOAP fault with subcode {@code ter:NotAuthorized}, or HTTP 401. */
        NOT_AUTHORIZED,
        /** Another SOAP fault. */
        FAULT,
        /** Not a SOAP 1.2 response of the expected shape, or an HTTP status without a SOAP fault. */
        MALFORMED,
        /** Larger than the response limit. */
        TOO_LARGE
    }

    private final Reason reason;

    SoapCallException(final @NotNull Reason reason, final @NotNull String message) {
        super(message);
        this.reason = reason;
    }

    @NotNull
    Reason reason() {
        return reason;
    }
}
