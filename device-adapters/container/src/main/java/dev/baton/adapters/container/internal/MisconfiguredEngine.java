package dev.baton.adapters.container.internal;

import org.jetbrains.annotations.NotNull;

/**
 * The transport when {@code DOCKER_HOST} is unusable: every exchange fails with the reason, so that the agent still
 * starts and each container component reports what to fix.
 */
public final class MisconfiguredEngine implements EngineTransport {

    private final String problem;

    /** @param problem what is wrong, naming the variable and its value */
    public MisconfiguredEngine(final @NotNull String problem) {
        this.problem = problem;
    }

    @Override
    public @NotNull HttpResponse exchange(final @NotNull HttpRequest request) {
        throw new EngineException(
                EngineException.Reason.UNREACHABLE,
                "no usable Docker-compatible engine: " + problem
                        + "; fix the agent's environment (e.g. its service unit) and restart it");
    }

    @Override
    public @NotNull String describe() {
        return "(misconfigured DOCKER_HOST)";
    }
}
