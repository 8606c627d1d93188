package dev.baton.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How much an event matters to an operator. */
public enum Severity {
    INFO,
    WARNING,
    ERROR;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Severity ofJson(final String json) {
        for (final Severity severity : values()) {
            if (severity.json().equals(json)) {
                return severity;
            }
        }
        throw new ProtocolException(
                ProtocolException.Reason.INVALID_FIELD,
                "severity must be info, warning or error, but was '" + Names.printable(json) + "'");
    }
}
