package dev.baton.adapters.api;

import java.nio.file.Path;
import org.jetbrains.annotations.NotNull;

/** What the agent gives a provider for one component. */
public interface ProviderContext {

    /** The node this agent runs as. */
    @NotNull
    String node();

    /** The component's name. */
    @NotNull
    String componentName();

    /**
     * A directory private to this component (created on first use), kept across agent restarts and deleted after
     * the component is removed. Providers keep what they need to adopt their work after a restart here.
     */
    @NotNull
    Path stateDirectory();

    /**
     * Asks the reconciler to observe this component again soon, from any thread: a supervised process exited, a
     * watched file changed. The reason shows in the agent's log.
     */
    void requestReconcile(@NotNull String reason);
}
