package dev.baton.adapters.host.file;

import dev.baton.adapters.api.ComponentProvider;
import dev.baton.adapters.api.ComponentProviderFactory;
import java.util.concurrent.ScheduledExecutorService;
import org.jetbrains.annotations.NotNull;

/** Creates the {@link FileProvider}; listed for {@link java.util.ServiceLoader} in {@code META-INF/services}. */
public final class FileProviderFactory implements ComponentProviderFactory {

    @Override
    public @NotNull String kind() {
        return FileProvider.KIND;
    }

    /** The file provider does no timed work, so it leaves {@code scheduler} alone. */
    @Override
    public @NotNull ComponentProvider create(final @NotNull ScheduledExecutorService scheduler) {
        return new FileProvider();
    }
}
