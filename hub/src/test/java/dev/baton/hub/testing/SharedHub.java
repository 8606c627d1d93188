package dev.baton.hub.testing;

import dev.baton.hub.BatonHub;
import dev.baton.hub.HubConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real hub (embedded broker, SQLite in a temporary directory, REST API on loopback, ephemeral ports) shared by
 * every test class that uses this extension, because a hub takes seconds to stop. Tests keep apart by using their
 * own node names. Injects {@link BatonHub} and {@link HubApi} parameters.
 */
public final class SharedHub implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedHub.class);

    /** The running hub, closed when the whole test run ends. */
    private static final class Running implements ExtensionContext.Store.CloseableResource, AutoCloseable {

        final Path dataDir;
        final BatonHub hub;

        Running() {
            try {
                dataDir = Files.createTempDirectory("baton-shared-hub");
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
            hub = BatonHub.start(HubConfig.builder()
                    .dataDir(dataDir)
                    .bindHost("127.0.0.1")
                    .httpPort(0)
                    .mqttPort(0)
                    .build());
        }

        @Override
        public void close() throws IOException {
            hub.close();
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
        final Class<?> type = parameter.getParameter().getType();
        return type == BatonHub.class || type == HubApi.class;
    }

    @Override
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
        final BatonHub hub = running(context).hub;
        return parameter.getParameter().getType() == BatonHub.class ? hub : new HubApi(hub);
    }

    /** The shared hub's data directory. */
    public static Path dataDir(final ExtensionContext context) {
        return running(context).dataDir;
    }

    private static Running running(final ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, key -> new Running(), Running.class);
    }
}
