package dev.baton.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/** An agent's answer to a {@link CommandRequest}, on {@code baton/v1/{tenant}/{node}/cmd/res}. */
public record CommandResponse(
        @NotNull String id, @NotNull Outcome outcome, @NotNull String message, @NotNull ObjectNode result) {

    /** How a command ended. */
    public enum Outcome {
        OK,
        FAILED,
        UNKNOWN_COMMAND,
        INVALID_ARGUMENTS;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @JsonCreator
        public static Outcome ofJson(final String json) {
            for (final Outcome outcome : values()) {
                if (outcome.json().equals(json)) {
                    return outcome;
                }
            }
            throw new ProtocolException(
                    ProtocolException.Reason.INVALID_FIELD,
                    "outcome must be ok, failed, unknown-command or invalid-arguments, but was '"
                            + Names.printable(json) + "'");
        }
    }

    public CommandResponse(
            final @NotNull String id,
            final @NotNull Outcome outcome,
            final @Nullable String message,
            final @Nullable ObjectNode result) {
        this.id = id;
        this.outcome = outcome;
        this.message = message == null ? "" : Texts.truncate(message, Limits.MAX_MESSAGE_CHARS);
        this.result = result == null ? JsonNodeFactory.instance.objectNode() : result.deepCopy();
    }

    @Override
    public @NotNull ObjectNode result() {
        return result.deepCopy();
    }
}
