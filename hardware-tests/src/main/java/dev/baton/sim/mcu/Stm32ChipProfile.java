package dev.baton.sim.mcu;

import java.util.ArrayList;
import java.util.List;

/**
 * The chip a {@link Stm32BootloaderSimulator} pretends to be, with the parameters ST AN2606 lists per product ID.
 *
 * @param productId what Get ID returns, e.g. 0x410
 * @param name a readable name
 * @param bootloaderVersion what Get and Get Version return, 0x22 meaning 2.2
 * @param flashBase the first flash address
 * @param pageSizes the erase units in order
 * @param ramStart the first RAM byte the host may write (below it the bootloader keeps its own data)
 * @param ramEnd one past the last RAM byte
 * @param systemMemoryStart where the bootloader itself lives (readable)
 * @param systemMemorySize its size
 * @param optionBytesStart the option bytes (readable; writes are refused and counted)
 * @param optionBytesSize their size
 * @param extendedErase whether Get offers Extended Erase (0x44, bootloader 3.0 and later) rather than Erase (0x43)
 */
public record Stm32ChipProfile(
        int productId,
        String name,
        int bootloaderVersion,
        long flashBase,
        List<Integer> pageSizes,
        long ramStart,
        long ramEnd,
        long systemMemoryStart,
        int systemMemorySize,
        long optionBytesStart,
        int optionBytesSize,
        boolean extendedErase) {

    /** STM32F103x8/B: 128 KiB in 1 KiB pages, bootloader 2.2 with the one-byte Erase command. */
    public static final Stm32ChipProfile F103_MEDIUM_DENSITY = new Stm32ChipProfile(
            0x410,
            "STM32F103 medium-density",
            0x22,
            0x0800_0000L,
            repeat(1024, 128),
            0x2000_0200L,
            0x2000_5000L,
            0x1FFF_F000L,
            0x800,
            0x1FFF_F800L,
            16,
            false);

    /** STM32F407: 1 MiB in sectors of 16, 16, 16, 16, 64 and 7 × 128 KiB, bootloader 3.1 with Extended Erase. */
    public static final Stm32ChipProfile F407 = new Stm32ChipProfile(
            0x413,
            "STM32F407",
            0x31,
            0x0800_0000L,
            sectors(),
            0x2000_3000L,
            0x2002_0000L,
            0x1FFF_0000L,
            0x7800,
            0x1FFF_C000L,
            16,
            true);

    public Stm32ChipProfile {
        pageSizes = List.copyOf(pageSizes);
    }

    public FlashMemory newFlash() {
        return new FlashMemory(flashBase, pageSizes);
    }

    private static List<Integer> repeat(final int size, final int count) {
        final List<Integer> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(size);
        }
        return out;
    }

    private static List<Integer> sectors() {
        final List<Integer> out = new ArrayList<>(List.of(16384, 16384, 16384, 16384, 65536));
        out.addAll(repeat(131072, 7));
        return out;
    }
}
