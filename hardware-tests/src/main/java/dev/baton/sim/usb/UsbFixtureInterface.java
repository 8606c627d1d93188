package dev.baton.sim.usb;

import java.util.List;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * One interface of a simulated USB device ({@code <busPath>:1.<number>}).
 *
 * @param interfaceClass {@code bInterfaceClass} as two hex digits ({@code ff}, {@code 02}, {@code 0e}, …)
 * @param driver the bound driver, or null for an interface no driver claimed (DFU, PICOBOOT)
 * @param name the interface string descriptor ({@code interface} attribute), or null
 */
public record UsbFixtureInterface(
        int number,
        @NotNull String interfaceClass,
        @NotNull String subClass,
        @NotNull String protocol,
        int endpoints,
        @Nullable String driver,
        @Nullable String name,
        @NotNull List<UsbFixtureNode> nodes) {

    public UsbFixtureInterface {
        Objects.requireNonNull(interfaceClass, "interfaceClass");
        Objects.requireNonNull(subClass, "subClass");
        Objects.requireNonNull(protocol, "protocol");
        nodes = List.copyOf(nodes);
    }
}
