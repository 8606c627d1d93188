package dev.baton.adapters.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ComponentProvider;
import dev.baton.adapters.api.ComponentProviderFactory;
import dev.baton.adapters.api.testing.RecordingContext;
import dev.baton.adapters.container.testing.ContainerSpecs;
import dev.baton.protocol.ComponentSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the provider does when there is no engine to talk to, and how the agent finds it. */
class ContainerProviderWithoutEngineTest {

    @TempDir
    Path dir;

    private final ComponentSpec spec =
            ContainerSpecs.container("web", "{\"image\": \"localhost/web:1\", \"command\": [\"sleep\", \"1\"]}");

    @Test
    void absentEngineSocketFailsApplyObserveAndRemoveSayingWhatToDo() {
        final Path socket = dir.resolve("podman.sock");
        final ContainerProvider provider = new ContainerProvider(new EngineEndpoint.Unix(socket));
        final RecordingContext context = new RecordingContext("edge-1", "web", dir.resolve("state"));
        final String expected = "no Docker-compatible engine at unix://" + socket + " (the socket does not exist):"
                + " start Docker or `podman system service`, or set DOCKER_HOST to the engine's socket";

        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComponentException.Reason.APPLY_FAILED))
                .hasMessage(expected);
        assertThat(provider.observe(spec, context).synced()).isFalse();
        assertThat(provider.observe(spec, context).detail()).isEqualTo(expected);
        assertThatThrownBy(() -> provider.remove(spec, context))
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComponentException.Reason.REMOVE_FAILED))
                .hasMessage(expected);
    }

    @Test
    void validationNeedsNoEngine() {
        final ContainerProvider provider = new ContainerProvider(new EngineEndpoint.Unix(dir.resolve("absent.sock")));

        provider.validate(spec);
        assertThatThrownBy(() -> provider.validate(ContainerSpecs.container("web", "{\"image\": \"\"}")))
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComponentException.Reason.INVALID_SPEC));
    }

    @Test
    void unusableDockerHostStillYieldsAProviderThatSaysWhatToFix() {
        final ContainerProvider provider = ContainerProviderFactory.create(Map.of("DOCKER_HOST", "ssh://me@engine"));
        final RecordingContext context = new RecordingContext("edge-1", "web", dir.resolve("state"));

        assertThatThrownBy(() -> provider.apply(spec, context))
                .isInstanceOf(ComponentException.class)
                .hasMessage("no usable Docker-compatible engine: DOCKER_HOST=\"ssh://me@engine\" uses ssh://, which is"
                        + " not supported; use unix:///path/to/socket or tcp://host:port; fix the agent's environment"
                        + " (e.g. its service unit) and restart it");
    }

    @Test
    void serviceLoaderFindsTheContainerFactoryWhoseProviderMatchesItsKind() {
        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            final var factories = ServiceLoader.load(ComponentProviderFactory.class).stream()
                    .map(ServiceLoader.Provider::get)
                    .toList();

            assertThat(factories).extracting(ComponentProviderFactory::kind).containsExactly("container");
            try (ComponentProvider provider = factories.get(0).create(scheduler)) {
                assertThat(provider.kind()).isEqualTo("container");
            }
        } finally {
            scheduler.shutdownNow();
        }
    }
}
