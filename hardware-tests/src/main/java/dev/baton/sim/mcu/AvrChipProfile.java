package dev.baton.sim.mcu;

/**
 * The AVR an {@link OptibootSimulator} pretends to be.
 *
 * @param signature the three signature bytes, e.g. 0x1E950F
 * @param name a readable name
 * @param flashSize all of flash in bytes
 * @param pageSize bytes per SPM page
 * @param bootSize bytes of the boot section at the top of flash, where optiboot lives (lock bits keep SPM out)
 * @param eepromSize bytes of EEPROM
 */
public record AvrChipProfile(int signature, String name, int flashSize, int pageSize, int bootSize, int eepromSize) {

    /** ATmega328P (Arduino Uno): 32 KiB in 128-byte pages, optiboot in the top 512 bytes. */
    public static final AvrChipProfile ATMEGA328P =
            new AvrChipProfile(0x1E950F, "ATmega328P", 32 * 1024, 128, 512, 1024);

    /** ATmega168: the same page size, half the flash. */
    public static final AvrChipProfile ATMEGA168 = new AvrChipProfile(0x1E9406, "ATmega168", 16 * 1024, 128, 512, 512);

    public FlashMemory newFlash() {
        return FlashMemory.uniform(0, pageSize, flashSize / pageSize);
    }

    public int applicationSize() {
        return flashSize - bootSize;
    }
}
