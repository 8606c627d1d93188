package dev.baton.adapters.mcu.component;

import dev.baton.adapters.mcu.FlashException;
import dev.baton.adapters.mcu.FlashProgressListener;
import java.util.OptionalLong;
import org.jetbrains.annotations.NotNull;

/**
 * One way of putting a firmware image on a target, named by the {@code flasher} property of a {@code firmware}
 * component: the native serial bootloaders ({@code stm32-uart}, {@code avr-optiboot}), a UF2 mass-storage volume
 * ({@code uf2}), or an external tool (openocd, dfu-util, avrdude, esptool, pyocd).
 *
 * <p>The {@code firmware} provider does everything around a back-end: it decodes and validates the component, fetches
 * and parses the artifact, resolves the target devices from the inventory, holds the per-port lock, throttles
 * progress into events, records what was flashed and verified, and reports it. A back-end only flashes one target.
 *
 * <p>Back-ends are found with {@link java.util.ServiceLoader} (list them in
 * {@code META-INF/services/dev.baton.adapters.mcu.component.FirmwareBackend}) besides the bundled ones; a back-end
 * with the ID of a bundled one is ignored.
 *
 * <p>Threading: {@link #flash} blocks the agent's reconciler thread for as long as the flash takes, and is never
 * called twice at once for the same target location.
 */
public interface FirmwareBackend {

    /** The {@code flasher} property value, e.g. {@code stm32-uart}. */
    @NotNull
    String id();

    /** What the back-end flashes through, which decides how a device selector is resolved. */
    @NotNull
    FirmwareTarget.Type targetType();

    /**
     * Where a raw binary starts when the component gives no {@code address} (STM32 flash: {@code 0x08000000}; AVR:
     * 0); empty when the back-end has no such default, which makes {@code address} necessary for a binary.
     */
    default @NotNull OptionalLong binaryBaseAddress() {
        return OptionalLong.empty();
    }

    /**
     * Checks what only this back-end knows: which settings it accepts (e.g. {@code baud} makes no sense for a UF2
     * volume) and its back-end specific {@link FirmwareSettings#options()}. Must not touch the host.
     *
     * @throws IllegalArgumentException with a message that names the property, e.g. {@code property 'baud' …}
     */
    default void validate(final @NotNull FirmwareSettings settings) {}

    /**
     * Flashes {@code artifact} onto {@code target} and, when {@link FirmwareSettings#verify()} asks, verifies it.
     *
     * @param listener hears progress on the calling thread; returns fast
     * @return what was done; {@link FirmwareFlashResult#verified()} true only when the target read back (or checked
     *     otherwise) the image
     * @throws FlashException when the flash did not complete: the message says what failed (command, address), why,
     *     and what to do; reasons that touched nothing ({@link FlashException.Reason#NO_SYNC},
     *     {@link FlashException.Reason#CHIP_MISMATCH}, …) tell the provider the chip still holds what it held
     */
    @NotNull
    FirmwareFlashResult flash(
            @NotNull FirmwareTarget target,
            @NotNull FirmwareArtifact artifact,
            @NotNull FirmwareSettings settings,
            @NotNull FlashProgressListener listener);
}
