package dev.baton.adapters.mcu.internal;

import dev.baton.adapters.mcu.Flasher;
import dev.baton.adapters.mcu.FlasherFactory;
import dev.baton.adapters.mcu.Parity;
import dev.baton.adapters.mcu.SerialLink;
import dev.baton.adapters.mcu.SerialLinkConfig;
import org.jetbrains.annotations.NotNull;

/** Makes {@link AvrOptibootFlasher}s; optiboot's UART frame is 8N1. */
public final class AvrOptibootFlasherFactory implements FlasherFactory {

    @Override
    public @NotNull String id() {
        return AvrOptibootFlasher.ID;
    }

    @Override
    public SerialLinkConfig.@NotNull Builder defaultLink(final @NotNull String port, final int baud) {
        return SerialLinkConfig.builder(port).baud(baud).parity(Parity.NONE);
    }

    @Override
    public @NotNull Flasher create(final @NotNull SerialLink link) {
        return new AvrOptibootFlasher(link);
    }
}
