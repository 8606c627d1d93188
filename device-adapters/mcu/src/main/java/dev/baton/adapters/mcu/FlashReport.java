package dev.baton.adapters.mcu;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * What a successful flash did.
 *
 * @param chip the chip that was flashed
 * @param bytesWritten bytes sent with write commands (the image plus padding to the protocol's alignment)
 * @param pagesErased pages erased before writing (optiboot erases each page as it programs it); empty after a mass
 *     erase
 * @param massErased whether the whole flash was erased
 * @param verifiedBy how the written image was confirmed: {@link Verification#CHECKSUM} (the bootloader's checksum
 *     of every written region matched the image's), {@link Verification#READBACK} (every byte was read back and
 *     compared), or {@link Verification#NONE}
 * @param rewrittenPages pages that failed verification and were erased and written again (then passed)
 * @param duration from the first byte sent to the last answer
 */
public record FlashReport(
        @NotNull ChipIdentity chip,
        long bytesWritten,
        @NotNull List<Integer> pagesErased,
        boolean massErased,
        @NotNull Verification verifiedBy,
        @NotNull List<Integer> rewrittenPages,
        @NotNull Duration duration) {

    public FlashReport {
        Objects.requireNonNull(chip, "chip");
        Objects.requireNonNull(verifiedBy, "verifiedBy");
        if (verifiedBy == Verification.AUTO) {
            throw new IllegalArgumentException("verifiedBy names the method used: checksum, readback or none");
        }
        pagesErased = List.copyOf(pagesErased);
        rewrittenPages = List.copyOf(rewrittenPages);
        Objects.requireNonNull(duration, "duration");
    }

    /** Whether the flash was confirmed to hold the image. */
    public boolean verified() {
        return verifiedBy != Verification.NONE;
    }

    /** Bytes written per second over the whole flash, erase and verify included. */
    public double bytesPerSecond() {
        final double seconds = duration.toNanos() / 1e9;
        return seconds <= 0 ? 0 : bytesWritten / seconds;
    }
}
