package dev.baton.adapters.mcu;

import java.util.Locale;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/** How a flasher confirms that the flash holds the image after writing it. */
public enum Verification {
    /**
     * The bootloader's own checksum where it offers one (STM32 Get Checksum, AN3155 command 0xA1), read-back where it
     * does not. The default.
     */
    AUTO,
    /**
     * The bootloader's checksum of each written region, compared with the checksum of the image; only pages whose
     * checksum differs are read back. A bootloader without a checksum command is refused before anything is erased.
     */
    CHECKSUM,
    /** Every written byte is read back and compared. */
    READBACK,
    /** Nothing is checked after writing. */
    NONE;

    /** The property value: {@code auto}, {@code checksum}, {@code readback}, {@code none}. */
    public @NotNull String property() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The method a property value names, if it names one. */
    public static @NotNull Optional<Verification> ofProperty(final @NotNull String value) {
        for (final Verification v : values()) {
            if (v.property().equals(value)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
