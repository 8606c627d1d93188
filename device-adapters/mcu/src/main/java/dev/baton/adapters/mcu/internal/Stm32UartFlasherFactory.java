package dev.baton.adapters.mcu.internal;

import dev.baton.adapters.mcu.Flasher;
import dev.baton.adapters.mcu.FlasherFactory;
import dev.baton.adapters.mcu.Parity;
import dev.baton.adapters.mcu.SerialLink;
import dev.baton.adapters.mcu.SerialLinkConfig;
import org.jetbrains.annotations.NotNull;

/** Makes {@link Stm32UartFlasher}s; the STM32 bootloader's UART frame is 8E1 (AN3155 §2). */
public final class Stm32UartFlasherFactory implements FlasherFactory {

    @Override
    public @NotNull String id() {
        return Stm32UartFlasher.ID;
    }

    @Override
    public SerialLinkConfig.@NotNull Builder defaultLink(final @NotNull String port, final int baud) {
        return SerialLinkConfig.builder(port).baud(baud).parity(Parity.EVEN);
    }

    @Override
    public @NotNull Flasher create(final @NotNull SerialLink link) {
        return new Stm32UartFlasher(link);
    }
}
