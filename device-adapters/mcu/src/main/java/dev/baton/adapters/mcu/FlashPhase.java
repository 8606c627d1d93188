package dev.baton.adapters.mcu;

/** The steps of {@link Flasher#flash}, in the order they run. */
public enum FlashPhase {
    /** Erasing pages (progress in pages); also the re-erase of pages that failed verification. */
    ERASE,
    /** Writing the image (progress in bytes). */
    WRITE,
    /** Reading back and comparing (progress in bytes). */
    VERIFY,
    /** Writing again the blocks of pages that failed verification (progress in bytes). */
    REWRITE
}
