package dev.baton.agent.internal.reconcile;

import dev.baton.adapters.api.ArtifactSource;
import dev.baton.protocol.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jetbrains.annotations.NotNull;

/**
 * What the agent lends every provider through its {@link dev.baton.adapters.api.ProviderContext}, beyond the
 * component's own name and directory.
 *
 * @param artifacts the agent's artifact cache in front of the hub's store
 * @param devices the node's current inventory
 * @param secretsDirectory {@code <data dir>/secrets}
 */
public record ProviderServices(
        @NotNull ArtifactSource artifacts, @NotNull Supplier<List<Device>> devices, @NotNull Path secretsDirectory) {

    public ProviderServices {
        Objects.requireNonNull(artifacts, "artifacts");
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(secretsDirectory, "secretsDirectory");
    }
}
