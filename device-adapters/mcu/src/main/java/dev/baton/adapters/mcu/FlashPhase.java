package dev.baton.adapters.mcu;

/** The steps of {@link Flasher#flash}, in the order they run. */
public enum FlashPhase {
    ERASE,
    WRITE,
    VERIFY,
    /** Re-erasing and rewriting pages that failed verification. */
    REWRITE
}
