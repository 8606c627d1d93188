package dev.baton.adapters.container;

import java.util.Arrays;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * What the engine does when the container exits, also while the agent is down (Engine API
 * {@code HostConfig.RestartPolicy}). The agent repairs an exited container at its next drift check whatever the
 * policy.
 */
enum RestartPolicy {
    /** The engine leaves an exited container; the default, so that an exit shows as drift with its exit code. */
    NO("no"),
    /** The engine restarts it whenever it exits, and when the engine starts. */
    ALWAYS("always"),
    /** As {@link #ALWAYS}, except after it was stopped on purpose. */
    UNLESS_STOPPED("unless-stopped"),
    /** The engine restarts it when it exits with a non-zero code. */
    ON_FAILURE("on-failure");

    private final String json;

    RestartPolicy(final String json) {
        this.json = json;
    }

    /** The name in component properties and in the Engine API. */
    @NotNull
    String json() {
        return json;
    }

    static @NotNull Optional<RestartPolicy> fromJson(final @NotNull String text) {
        return Arrays.stream(values()).filter(p -> p.json.equals(text)).findFirst();
    }
}
