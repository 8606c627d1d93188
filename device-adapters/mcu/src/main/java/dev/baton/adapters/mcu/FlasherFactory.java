package dev.baton.adapters.mcu;

import java.util.Optional;
import java.util.ServiceLoader;
import org.jetbrains.annotations.NotNull;

/**
 * Makes {@link Flasher}s of one back-end; implementations are found with {@link ServiceLoader} so that the
 * {@code firmware} component can pick one by the {@code flasher} property.
 */
public interface FlasherFactory {

    /** The back-end's ID, e.g. {@code stm32-uart}. */
    @NotNull
    String id();

    /** The serial settings the bootloader expects at {@code baud} (STM32: 8E1; optiboot: 8N1). */
    @NotNull
    SerialLinkConfig.Builder defaultLink(@NotNull String port, int baud);

    /** A flasher that talks over {@code link}; it does not own the link. */
    @NotNull
    Flasher create(@NotNull SerialLink link);

    /** The factory with this ID on the class path, if any. */
    static @NotNull Optional<FlasherFactory> byId(final @NotNull String id) {
        for (final FlasherFactory factory :
                ServiceLoader.load(FlasherFactory.class, FlasherFactory.class.getClassLoader())) {
            if (factory.id().equals(id)) {
                return Optional.of(factory);
            }
        }
        return Optional.empty();
    }
}
