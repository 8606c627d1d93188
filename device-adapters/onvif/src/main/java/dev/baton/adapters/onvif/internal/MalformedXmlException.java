package dev.baton.adapters.onvif.internal;

import org.jetbrains.annotations.NotNull;

/**
 * A message from the network was refused: not XML, not the expected shape, or too large. The message is a
 * predicate ("is not well-formed XML at line 3, column 7") that the caller prefixes with what was refused.
 */
final class MalformedXmlException extends RuntimeException {

    MalformedXmlException(final @NotNull String predicate) {
        super(predicate);
    }
}
