package dev.baton.adapters.mcu.component;

import dev.baton.adapters.api.ComponentProvider;
import dev.baton.adapters.api.ComponentProviderFactory;
import java.util.concurrent.ScheduledExecutorService;
import org.jetbrains.annotations.NotNull;

/** Creates the {@link FirmwareProvider}; listed for {@link java.util.ServiceLoader} in {@code META-INF/services}. */
public final class FirmwareProviderFactory implements ComponentProviderFactory {

    @Override
    public @NotNull String kind() {
        return FirmwareProvider.KIND;
    }

    /** @param scheduler unused: flashing runs on the reconciler thread and has no timed work */
    @Override
    public @NotNull ComponentProvider create(final @NotNull ScheduledExecutorService scheduler) {
        return new FirmwareProvider();
    }
}
