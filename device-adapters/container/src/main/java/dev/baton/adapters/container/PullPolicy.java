package dev.baton.adapters.container;

import java.util.Arrays;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/** When the provider asks the engine to pull the image, before it creates a container. */
enum PullPolicy {
    /** Pull only when the engine does not hold the image; the default, and the one that works offline. */
    IF_MISSING("if-missing"),
    /**
     * Pull before every create; if the pull fails but the engine holds the image, use that. A running container is
     * not recreated because its tag moved on: that takes a spec change.
     */
    ALWAYS("always"),
    /** Never pull: the image must have been loaded ({@code docker load}, {@code podman load}). */
    NEVER("never");

    private final String json;

    PullPolicy(final String json) {
        this.json = json;
    }

    @NotNull
    String json() {
        return json;
    }

    static @NotNull Optional<PullPolicy> fromJson(final @NotNull String text) {
        return Arrays.stream(values()).filter(p -> p.json.equals(text)).findFirst();
    }
}
