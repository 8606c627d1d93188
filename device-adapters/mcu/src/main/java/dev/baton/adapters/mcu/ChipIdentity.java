package dev.baton.adapters.mcu;

import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * What a bootloader said about the chip behind it.
 *
 * @param flasher the back-end that asked, e.g. {@code stm32-uart}
 * @param chipId the chip's identity as the protocol gives it: the 12-bit product ID for STM32 (AN3155 Get ID, e.g.
 *     {@code 0x410}), the three signature bytes for AVR (e.g. {@code 0x1E950F})
 * @param chipName a readable name from the back-end's table, e.g. {@code STM32F10xxx medium-density}
 * @param bootloaderVersion the bootloader's version as it reports it, e.g. {@code 2.2} or {@code optiboot 8.0}
 * @param flash the flash layout used for erasing and range checks
 */
public record ChipIdentity(
        @NotNull String flasher,
        long chipId,
        @NotNull String chipName,
        @NotNull String bootloaderVersion,
        @NotNull FlashLayout flash) {

    public ChipIdentity {
        Objects.requireNonNull(flasher, "flasher");
        Objects.requireNonNull(chipName, "chipName");
        Objects.requireNonNull(bootloaderVersion, "bootloaderVersion");
        Objects.requireNonNull(flash, "flash");
    }

    /** The chip ID as the {@code chipId} component property writes it: {@code 0x410}, {@code 0x1E950F}. */
    public @NotNull String chipIdHex() {
        return "0x" + Long.toHexString(chipId).toUpperCase(java.util.Locale.ROOT);
    }
}
