package dev.baton.agent.internal.reconcile;

import dev.baton.adapters.api.ArtifactSource;
import dev.baton.adapters.api.ProviderContext;
import dev.baton.agent.internal.outbox.NodeReporter;
import dev.baton.protocol.Device;
import dev.baton.protocol.Names;
import dev.baton.protocol.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import org.jetbrains.annotations.NotNull;

/** What a provider gets for one component: its state directory and a way to ask for a re-check. */
final class ComponentContext implements ProviderContext {

    private final String node;
    private final String component;
    private final Path stateDirectory;
    private final BiConsumer<String, String> reconcileRequests;
    private final ProviderServices services;
    private final NodeReporter reporter;

    ComponentContext(
            final String node,
            final String component,
            final Path stateDirectory,
            final BiConsumer<String, String> reconcileRequests,
            final ProviderServices services,
            final NodeReporter reporter) {
        this.node = node;
        this.component = component;
        this.stateDirectory = stateDirectory;
        this.reconcileRequests = reconcileRequests;
        this.services = services;
        this.reporter = reporter;
    }

    @Override
    public @NotNull String node() {
        return node;
    }

    @Override
    public @NotNull String componentName() {
        return component;
    }

    @Override
    public @NotNull Path stateDirectory() {
        try {
            return Files.createDirectories(stateDirectory);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create the state directory of component " + component, e);
        }
    }

    @Override
    public void requestReconcile(final @NotNull String reason) {
        reconcileRequests.accept(component, reason);
    }

    @Override
    public @NotNull ArtifactSource artifacts() {
        return services.artifacts();
    }

    @Override
    public @NotNull List<Device> devices() {
        return services.devices().get();
    }

    @Override
    public void event(final @NotNull Severity severity, final @NotNull String type, final @NotNull String message) {
        reporter.event(Names.checkEventType(type, "event type"), severity, component, message);
    }
}
