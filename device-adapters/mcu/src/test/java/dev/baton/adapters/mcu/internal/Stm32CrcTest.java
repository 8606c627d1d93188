package dev.baton.adapters.mcu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Stm32CrcTest {

    /** The STM32 CRC unit as RM0008 §4 describes it: one 32-bit word at a time, MSB first, no reflection. */
    private static int wordByWord(final byte[] data) {
        int crc = 0xFFFFFFFF;
        for (int i = 0; i < data.length; i += 4) {
            crc ^= (data[i] & 0xFF)
                    | (data[i + 1] & 0xFF) << 8
                    | (data[i + 2] & 0xFF) << 16
                    | (data[i + 3] & 0xFF) << 24;
            for (int bit = 0; bit < 32; bit++) {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
        }
        return crc;
    }

    @Test
    void theTableDrivenCrcEqualsTheCrcUnitsWordByWordDefinition() {
        final byte[] data = new byte[4096];
        new Random(7).nextBytes(data);
        for (final int length : new int[] {0, 4, 8, 256, 1020, 4096}) {
            assertThat(Stm32Crc.of(data, 0, length))
                    .as("length " + length)
                    .isEqualTo(wordByWord(slice(data, 0, length)));
        }
        assertThat(Stm32Crc.of(data, 1024, 512)).isEqualTo(wordByWord(slice(data, 1024, 512)));
    }

    @Test
    void theWordIsTakenLittleEndianSoSwappingItsBytesChangesTheCrc() {
        // One word 0x00000001 in memory is the bytes 01 00 00 00; the CRC unit sees 0x00000001, not 0x01000000.
        assertThat(Stm32Crc.of(new byte[] {1, 0, 0, 0}, 0, 4)).isEqualTo(wordByWord(new byte[] {1, 0, 0, 0}));
        assertThat(Stm32Crc.of(new byte[] {1, 0, 0, 0}, 0, 4)).isNotEqualTo(Stm32Crc.of(new byte[] {0, 0, 0, 1}, 0, 4));
    }

    @Test
    void aLengthThatIsNotWholeWordsIsRefused() {
        assertThatThrownBy(() -> Stm32Crc.of(new byte[8], 0, 6))
                .hasMessage("the STM32 CRC takes whole 32-bit words, but length was 6");
    }

    private static byte[] slice(final byte[] data, final int from, final int length) {
        return java.util.Arrays.copyOfRange(data, from, from + length);
    }
}
