package dev.baton.adapters.mcu.internal;

/**
 * The CRC-32 the STM32 CRC unit computes, which the bootloader's Get Checksum command (AN3155, command 0xA1)
 * returns: polynomial 0x04C11DB7 shifted MSB first, initial value 0xFFFFFFFF, no final XOR, fed 32-bit words that
 * are read little-endian from memory. It differs from the zlib CRC-32 (reflected) and from a plain big-endian CRC-32
 * over bytes (the word's bytes are swapped first), so neither {@link java.util.zip.CRC32} nor a byte-wise table fits.
 */
final class Stm32Crc {

    static final int POLYNOMIAL = 0x04C11DB7;
    static final int INITIAL = 0xFFFFFFFF;

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ POLYNOMIAL : crc << 1;
            }
            TABLE[i] = crc;
        }
    }

    private Stm32Crc() {}

    /**
     * The CRC of {@code length} bytes of {@code data} from {@code offset}.
     *
     * @throws IllegalArgumentException when {@code length} is not a multiple of 4 (the unit takes whole words)
     */
    static int of(final byte[] data, final int offset, final int length) {
        if (length % 4 != 0) {
            throw new IllegalArgumentException("the STM32 CRC takes whole 32-bit words, but length was " + length);
        }
        int crc = INITIAL;
        for (int i = offset; i < offset + length; i += 4) {
            // The word is little-endian in memory; the unit shifts it in most significant byte first.
            crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ data[i + 3]) & 0xFF];
            crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ data[i + 2]) & 0xFF];
            crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ data[i + 1]) & 0xFF];
            crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ data[i]) & 0xFF];
        }
        return crc;
    }
}
