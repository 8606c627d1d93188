package dev.baton.adapters.api.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.ArtifactSource;
import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ProviderContext;
import dev.baton.protocol.Device;
import dev.baton.protocol.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jetbrains.annotations.NotNull;

/**
 * A provider context for one component of one node that records the reconcile requests a provider makes, from
 * whichever thread. Shared by the tests of every provider module (the api module's test-jar).
 */
public final class RecordingContext implements ProviderContext {

    private final String node;
    private final String componentName;
    private final Path stateDirectory;
    private final List<String> reconcileReasons = new CopyOnWriteArrayList<>();
    private final List<RecordedEvent> events = new CopyOnWriteArrayList<>();
    private final Map<String, Path> artifacts = new ConcurrentHashMap<>();
    private volatile List<Device> devices = List.of();
    private volatile Path secretsDirectory;
    private volatile ObjectNode outputs = JsonNodeFactory.instance.objectNode();

    /** An event a provider sent through {@link #event}. */
    public record RecordedEvent(Severity severity, String type, String message) {}

    public RecordingContext(
            final @NotNull String node, final @NotNull String componentName, final @NotNull Path stateDirectory) {
        this.node = node;
        this.componentName = componentName;
        this.stateDirectory = stateDirectory;
    }

    /** A context on node {@code edge-1}. */
    public RecordingContext(final @NotNull String componentName, final @NotNull Path stateDirectory) {
        this("edge-1", componentName, stateDirectory);
    }

    @Override
    public @NotNull String node() {
        return node;
    }

    @Override
    public @NotNull String componentName() {
        return componentName;
    }

    @Override
    public @NotNull Path stateDirectory() {
        return stateDirectory;
    }

    @Override
    public void requestReconcile(final @NotNull String reason) {
        reconcileReasons.add(reason);
    }

    /** The reasons of the reconcile requests so far, oldest first. */
    public @NotNull List<String> reconcileReasons() {
        return List.copyOf(reconcileReasons);
    }

    @Override
    public @NotNull ArtifactSource artifacts() {
        return new ArtifactSource() {
            @Override
            public @NotNull Path fetch(final @NotNull String sha256) {
                final Path path = artifacts.get(sha256);
                if (path == null) {
                    throw new ComponentException(
                            ComponentException.Reason.APPLY_FAILED, "artifact " + sha256 + " is not in the store");
                }
                return path;
            }

            @Override
            public @NotNull Path fetch(final @NotNull URI url, final @NotNull String sha256) {
                return fetch(sha256);
            }
        };
    }

    /** {@code <dir>/secrets} for a state directory {@code <dir>/<component>}, unless set. */
    @Override
    public @NotNull Path secretsDirectory() {
        final Path set = secretsDirectory;
        return set != null ? set : stateDirectory.toAbsolutePath().getParent().resolve("secrets");
    }

    /** Sets what {@link #secretsDirectory()} answers. */
    public @NotNull RecordingContext secretsDirectory(final @NotNull Path directory) {
        this.secretsDirectory = directory;
        return this;
    }

    @Override
    public @NotNull List<Device> devices() {
        return devices;
    }

    @Override
    public void event(final @NotNull Severity severity, final @NotNull String type, final @NotNull String message) {
        events.add(new RecordedEvent(severity, type, message));
    }

    @Override
    public void outputs(final @NotNull ObjectNode outputs) {
        this.outputs = outputs.deepCopy();
    }

    /** The outputs the provider set last (empty before). */
    public @NotNull ObjectNode outputs() {
        return outputs.deepCopy();
    }

    /** Sets what {@link #devices()} answers. */
    public @NotNull RecordingContext devices(final @NotNull List<Device> devices) {
        this.devices = List.copyOf(devices);
        return this;
    }

    /**
     * Stores {@code content} as an artifact next to the state directory, so that {@code artifacts().fetch(sha)}
     * answers it, and returns its SHA-256.
     */
    public @NotNull String addArtifact(final byte @NotNull [] content) {
        final String sha256;
        try {
            sha256 = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try {
            final Path directory = Files.createDirectories(stateDirectory.resolveSibling("artifacts"));
            artifacts.put(sha256, Files.write(directory.resolve(sha256), content));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return sha256;
    }

    /** The events sent so far, oldest first. */
    public @NotNull List<RecordedEvent> events() {
        return List.copyOf(events);
    }
}
