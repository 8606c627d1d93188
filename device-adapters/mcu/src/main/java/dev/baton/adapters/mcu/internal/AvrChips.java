package dev.baton.adapters.mcu.internal;

import java.util.Map;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * AVR parts optiboot runs on, by their three signature bytes (the datasheets' "Signature Bytes" tables), with the
 * flash page size SPM programs and the space optiboot's boot section takes at the top of flash.
 */
final class AvrChips {

    /**
     * A part the flasher knows.
     *
     * @param signature the three signature bytes, e.g. {@code 0x1E950F}
     * @param flashSize all of flash, in bytes
     * @param pageSize bytes per SPM page
     * @param bootSize bytes the boot section takes (the application may not write there)
     */
    record Chip(int signature, String name, int flashSize, int pageSize, int bootSize) {

        int applicationSize() {
            return flashSize - bootSize;
        }
    }

    private static final Map<Integer, Chip> CHIPS = Map.ofEntries(
            chip(0x1E950F, "ATmega328P", 32 * 1024, 128, 512),
            chip(0x1E9514, "ATmega328", 32 * 1024, 128, 512),
            chip(0x1E9516, "ATmega328PB", 32 * 1024, 128, 512),
            chip(0x1E9406, "ATmega168", 16 * 1024, 128, 512),
            chip(0x1E940B, "ATmega168P", 16 * 1024, 128, 512),
            chip(0x1E930A, "ATmega88", 8 * 1024, 64, 512),
            chip(0x1E9307, "ATmega8", 8 * 1024, 64, 512),
            chip(0x1E960A, "ATmega644P", 64 * 1024, 256, 1024),
            chip(0x1E9705, "ATmega1284P", 128 * 1024, 256, 1024));

    private AvrChips() {}

    static @NotNull Optional<Chip> bySignature(final int signature) {
        return Optional.ofNullable(CHIPS.get(signature));
    }

    private static Map.Entry<Integer, Chip> chip(
            final int signature, final String name, final int flash, final int page, final int boot) {
        return Map.entry(signature, new Chip(signature, name, flash, page, boot));
    }
}
