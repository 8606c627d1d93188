package dev.baton.agent.internal.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.ArtifactSource;
import dev.baton.adapters.api.ProviderContext;
import dev.baton.agent.internal.outbox.NodeReporter;
import dev.baton.protocol.Device;
import dev.baton.protocol.Limits;
import dev.baton.protocol.MessageCodec;
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
    private final BiConsumer<String, ObjectNode> outputSink;
    private final ProviderServices services;
    private final NodeReporter reporter;
    private final MessageCodec codec;

    ComponentContext(
            final String node,
            final String component,
            final Path stateDirectory,
            final BiConsumer<String, String> reconcileRequests,
            final BiConsumer<String, ObjectNode> outputSink,
            final ProviderServices services,
            final NodeReporter reporter,
            final MessageCodec codec) {
        this.node = node;
        this.component = component;
        this.stateDirectory = stateDirectory;
        this.reconcileRequests = reconcileRequests;
        this.outputSink = outputSink;
        this.services = services;
        this.reporter = reporter;
        this.codec = codec;
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
    public @NotNull Path secretsDirectory() {
        return services.secretsDirectory();
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

    @Override
    public void outputs(final @NotNull ObjectNode outputs) {
        final int size = codec.writeValue(outputs).length;
        if (size > Limits.MAX_OUTPUTS_BYTES) {
            throw new IllegalArgumentException("the outputs of component " + component + " must not exceed "
                    + Limits.MAX_OUTPUTS_BYTES + " bytes as JSON, but were " + size);
        }
        outputSink.accept(component, outputs.deepCopy());
    }
}
