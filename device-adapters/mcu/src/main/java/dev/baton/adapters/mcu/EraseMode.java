package dev.baton.adapters.mcu;

/** How much flash a flasher erases before writing. */
public enum EraseMode {
    /**
     * Only the pages that hold at least one byte of the image. Bytes of those pages outside the image read 0xFF
     * afterwards; every other page keeps its contents (a bootloader, calibration data).
     */
    PAGES,
    /** The whole flash, with the bootloader's mass erase. Only when asked for. */
    MASS
}
