package dev.baton.adapters.mcu;

/**
 * A run of consecutive bytes of a {@link FirmwareImage}.
 *
 * @param address the address of the first byte
 * @param length how many bytes, at least 1
 */
public record ImageSegment(long address, int length) {

    /** The address just past the last byte. */
    public long end() {
        return address + length;
    }
}
