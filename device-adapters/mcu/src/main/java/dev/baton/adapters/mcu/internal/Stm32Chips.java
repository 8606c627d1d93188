package dev.baton.adapters.mcu.internal;

import dev.baton.adapters.mcu.FlashLayout;
import java.util.Map;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * Flash layouts of STM32 parts by the product ID the bootloader's Get ID command returns, from ST AN2606
 * ("STM32 microcontroller system memory boot mode", device-dependent bootloader parameters). Page numbers are what
 * the Erase and Extended Erase commands (AN3155 §3.7, §3.8) take: 1 or 2 KiB pages on F0/F1/F3/L4, sectors of 16,
 * 16, 16, 16, 64 and then 128 KiB on F2/F4.
 */
final class Stm32Chips {

    /** A part the flasher knows. */
    record Chip(int productId, String name, FlashLayout flash) {}

    private static final long FLASH = 0x0800_0000L;
    private static final int KIB = 1024;
    private static final int[] F2_F4_SECTORS = {16 * KIB, 16 * KIB, 16 * KIB, 16 * KIB, 64 * KIB, 128 * KIB};

    private static final Map<Integer, Chip> CHIPS = Map.ofEntries(
            pages(0x412, "STM32F10xxx low-density", 32, 1),
            pages(0x410, "STM32F10xxx medium-density", 128, 1),
            pages(0x414, "STM32F10xxx high-density", 512, 2),
            pages(0x420, "STM32F10xxx medium-density value line", 128, 1),
            pages(0x428, "STM32F10xxx high-density value line", 512, 2),
            pages(0x418, "STM32F105xx/F107xx connectivity line", 256, 2),
            pages(0x430, "STM32F10xxx XL-density", 1024, 2),
            pages(0x444, "STM32F03xx4/6", 32, 1),
            pages(0x440, "STM32F030x8/F05xxx", 64, 1),
            pages(0x448, "STM32F070xB/F071xx/F072xx", 128, 2),
            pages(0x442, "STM32F030xC/F09xxx", 256, 2),
            pages(0x438, "STM32F303x4(6/8)/F334xx/F328xx", 64, 2),
            pages(0x422, "STM32F302xB(C)/F303xB(C)/F358xx", 256, 2),
            pages(0x415, "STM32L476xx/486xx", 1024, 2),
            Map.entry(0x417, new Chip(0x417, "STM32L05xxx/06xxx", FlashLayout.uniform(FLASH, 128, 512))),
            sectors(0x411, "STM32F2xxxx", 1024),
            sectors(0x413, "STM32F40xxx/41xxx", 1024),
            sectors(0x423, "STM32F401xB(C)", 256),
            sectors(0x433, "STM32F401xD(E)", 512),
            sectors(0x431, "STM32F411xx", 512),
            sectors(0x421, "STM32F446xx", 512));

    private Stm32Chips() {}

    static @NotNull Optional<Chip> byProductId(final int productId) {
        return Optional.ofNullable(CHIPS.get(productId));
    }

    private static Map.Entry<Integer, Chip> pages(
            final int id, final String name, final int flashKib, final int pageKib) {
        return Map.entry(id, new Chip(id, name, FlashLayout.uniform(FLASH, pageKib * KIB, flashKib / pageKib)));
    }

    private static Map.Entry<Integer, Chip> sectors(final int id, final String name, final int flashKib) {
        return Map.entry(id, new Chip(id, name, FlashLayout.sectors(FLASH, (long) flashKib * KIB, F2_F4_SECTORS)));
    }
}
