package dev.baton.agent.internal.reconcile;

import dev.baton.protocol.DesiredDocument;
import java.util.List;
import org.jetbrains.annotations.NotNull;

/**
 * A part of the desired document that something other than the component providers takes into use, such as the
 * discovery configuration. The reconciler asks it to check every new document before accepting it, so that a bad
 * section rejects the whole document, and tells it about every accepted one.
 */
public interface DesiredSection {

    /** A section for agents that have nothing beyond components (tests). */
    DesiredSection NONE = new DesiredSection() {
        @Override
        public @NotNull List<String> problems(final @NotNull DesiredDocument document) {
            return List.of();
        }

        @Override
        public void accepted(final @NotNull DesiredDocument document) {}
    };

    /**
     * What is wrong with the section in {@code document}, one sentence each naming the field; empty when it is fine.
     * Called on the reconciler thread; must not touch the host or the network.
     */
    @NotNull
    List<String> problems(@NotNull DesiredDocument document);

    /**
     * {@code document} was accepted, or loaded from the store at start. Called on the reconciler thread; hands the
     * work to its own threads and returns.
     */
    void accepted(@NotNull DesiredDocument document);
}
