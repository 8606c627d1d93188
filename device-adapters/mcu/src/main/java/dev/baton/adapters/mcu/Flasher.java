package dev.baton.adapters.mcu;

import org.jetbrains.annotations.NotNull;

/**
 * Writes firmware into a microcontroller through its bootloader, over a {@link SerialLink} it was created with.
 *
 * <p>Threading: blocking, and confined to one thread at a time; the caller runs it on a worker, never on an event
 * loop. Interrupting that thread stops the flash at the next block with {@link FlashException.Reason#CANCELLED}.
 * The flasher does not own the link: the caller closes it.
 */
public interface Flasher {

    /** The back-end's ID, the {@code flasher} component property: {@code stm32-uart}, {@code avr-optiboot}. */
    @NotNull
    String id();

    /**
     * Synchronises with the bootloader and asks who the chip is; erases and writes nothing.
     *
     * @throws FlashException with {@link FlashException.Reason#NO_SYNC} when the bootloader does not answer
     */
    @NotNull
    ChipIdentity identify();

    /**
     * Erases what {@code options} say, writes {@code image}, and verifies it when asked. Every check that can refuse
     * the flash (chip ID, image range, read protection) runs before the first erase.
     *
     * @throws FlashException saying what failed, at which address, and what to do
     */
    @NotNull
    FlashReport flash(
            @NotNull FirmwareImage image, @NotNull FlashOptions options, @NotNull FlashProgressListener listener);
}
