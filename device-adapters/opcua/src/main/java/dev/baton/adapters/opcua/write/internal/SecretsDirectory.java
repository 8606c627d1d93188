package dev.baton.adapters.opcua.write.internal;

import java.nio.file.Path;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * Finds the agent's {@code <data dir>/secrets} from a component's state directory, which the agent keeps at
 * {@code <data dir>/state/components/<component>}. The provider SPI hands providers no secrets directory (discovery
 * handlers get one); until it does, this layout is the only way to reach the OPC UA client certificate that discovery
 * uses and {@code opcua.json}. Where the layout differs, there is no secrets directory, and only anonymous sessions
 * without security are possible.
 */
final class SecretsDirectory {

    private SecretsDirectory() {}

    static @NotNull Optional<Path> of(final @NotNull Path stateDirectory) {
        final Path absolute = stateDirectory.toAbsolutePath().normalize();
        final Path components = absolute.getParent();
        final Path state = components == null ? null : components.getParent();
        final Path data = state == null ? null : state.getParent();
        if (data == null
                || !"components".equals(String.valueOf(components.getFileName()))
                || !"state".equals(String.valueOf(state.getFileName()))) {
            return Optional.empty();
        }
        return Optional.of(data.resolve("secrets"));
    }
}
