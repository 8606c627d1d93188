package dev.baton.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.jetbrains.annotations.NotNull;

/** Where one component stands on the agent. The JSON names are part of the acceptance contract. */
public enum ComponentState {
    /** Known from the desired document, not yet worked on. */
    PENDING("pending"),
    /** The provider is working on it. */
    APPLYING("applying"),
    /** Applied and matching its spec. */
    HEALTHY("healthy"),
    /** The provider could not apply it; the message says why. */
    FAILED("failed"),
    /** Returned to the last good generation after a failure. */
    ROLLED_BACK("rolled-back"),
    /** Removed because the desired document no longer holds it. */
    REMOVED("removed");

    private final String json;

    ComponentState(final String json) {
        this.json = json;
    }

    @JsonValue
    public @NotNull String json() {
        return json;
    }

    @JsonCreator
    public static @NotNull ComponentState ofJson(final String json) {
        for (final ComponentState state : values()) {
            if (state.json.equals(json)) {
                return state;
            }
        }
        throw new ProtocolException(
                ProtocolException.Reason.INVALID_FIELD,
                "component state must be one of pending, applying, healthy, failed, rolled-back, removed, but was '"
                        + Names.printable(json) + "'");
    }
}
