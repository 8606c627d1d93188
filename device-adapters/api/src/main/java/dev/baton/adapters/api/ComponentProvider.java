package dev.baton.adapters.api;

import dev.baton.protocol.ComponentSpec;
import org.jetbrains.annotations.NotNull;

/**
 * Applies components of one {@linkplain #kind() kind} on the agent's host. The agent's reconciler calls every
 * method from its single reconciler thread, one component at a time, so an implementation needs no locking for
 * state it keeps per component; work it starts on other threads (a process watcher, say) must only talk back
 * through {@link ProviderContext#requestReconcile(String)}.
 *
 * <p>Every method must be idempotent: the agent may crash at any point and call it again after restart.
 */
public interface ComponentProvider extends AutoCloseable {

    /** The component kind this provider applies, e.g. {@code file}. */
    @NotNull
    String kind();

    /**
     * Decodes the component's properties into the provider's typed configuration and checks them, without touching
     * the host. A document with a component that fails here is rejected as a whole and nothing of it is applied.
     *
     * @throws ComponentException with {@link ComponentException.Reason#INVALID_SPEC}, naming the property
     */
    void validate(@NotNull ComponentSpec spec);

    /**
     * Brings the host to what {@code spec} says. Called for a new or changed spec, and again when
     * {@link #observe} reports drift.
     *
     * @return a short description of what was done, for the component's reported message
     * @throws ComponentException when it cannot; the message says what failed, why, and what to do
     */
    @NotNull
    String apply(@NotNull ComponentSpec spec, @NotNull ProviderContext context);

    /** Compares the host with {@code spec}, changing nothing. */
    @NotNull
    Observation observe(@NotNull ComponentSpec spec, @NotNull ProviderContext context);

    /**
     * Undoes what {@link #apply} did, because the component left the desired document. Removing what is already
     * gone succeeds.
     */
    void remove(@NotNull ComponentSpec spec, @NotNull ProviderContext context);

    /**
     * Releases what the provider holds when the agent stops. Things it manages on the host (files, supervised
     * processes) stay as they are so that a restarted agent adopts them.
     */
    @Override
    default void close() {}
}
