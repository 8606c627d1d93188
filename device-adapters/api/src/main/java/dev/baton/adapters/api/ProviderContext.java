package dev.baton.adapters.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.protocol.Device;
import dev.baton.protocol.Severity;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * The agent's secrets directory ({@code <data dir>/secrets}), where operators put credentials that must stay on
     * the edge (device passwords, client certificates). Providers read it when they need a secret and never copy a
     * secret into reported state, events or logs. It may not exist.
     */
    @NotNull
    Path secretsDirectory();

    /** Where the component's artifacts come from: the hub's artifact store, verified and cached on the agent. */
    @NotNull
    ArtifactSource artifacts();

    /**
     * The devices the agent's discovery currently holds for this node (present ones, as last reported), for components
     * that select their target from the inventory (a firmware image for every {@code 0483:5740} port, say). An empty
     * list when discovery is off or has not scanned yet.
     */
    @NotNull
    List<Device> devices();

    /**
     * Sends an event about this component to the hub through the agent's outbox (progress of a long apply, a
     * warning). Events are the first thing dropped when the outbox is full, so they must not carry state that matters.
     *
     * @param type dotted lower-case, e.g. {@code firmware.progress}
     * @param message for a person; truncated to the protocol's limit
     */
    void event(@NotNull Severity severity, @NotNull String type, @NotNull String message);

    /**
     * Sets the facts this component reports next to its state, replacing the previous ones: what a person or the
     * hub needs beyond the message (the SHA-256 of the image flashed and verified on a device, the version a service
     * runs). Kept across agent restarts until the component is removed.
     *
     * @throws IllegalArgumentException when the encoded outputs exceed {@link dev.baton.protocol.Limits#MAX_OUTPUTS_BYTES}
     */
    void outputs(@NotNull ObjectNode outputs);
}
