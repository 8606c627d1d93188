package dev.baton.adapters.mcu;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IntelHexTest {

    /** Extended linear address 0x0800, 16 + 4 bytes at 0x08000000, 2 bytes after a gap, entry 0x080001C1, EOF. */
    private static final String STM32_HEX = String.join(
            "\r\n",
            ":020000040800F2", // 02 bytes, type 04: upper address 0x0800
            ":10000000000102030405060708090A0B0C0D0E0F78", // 16 bytes 00..0F at 0x0000
            ":04001000DEADBEEFB4", // 4 bytes at 0x0010, right after: same segment
            ":020020001122AB", // 2 bytes at 0x0020, after a 12-byte gap
            ":04000005080001C12D", // type 05: start linear address 0x080001C1
            ":00000001FF", // end of file
            "");

    private static FirmwareImage parse(final String text) {
        return FirmwareImage.parseIntelHex(text.getBytes(US_ASCII));
    }

    @Test
    void dataRecordsLandAtTheExtendedLinearAddressAndTouchingRecordsMergeIntoOneSegment() {
        final FirmwareImage image = parse(STM32_HEX);

        assertThat(image.segments())
                .containsExactly(new ImageSegment(0x08000000L, 20), new ImageSegment(0x08000020L, 2));
        assertThat(image.size()).isEqualTo(22);
        assertThat(image.read(0x0800000EL, 4, (byte) 0xFF)).containsExactly(0x0E, 0x0F, 0xDE, 0xAD);
        assertThat(image.read(0x08000012L, 16, (byte) 0xFF))
                .containsExactly(
                        0xBE, 0xEF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x11, 0x22);
        assertThat(image.entryPoint()).hasValue(0x080001C1L);
    }

    @Test
    void extendedSegmentAddressMultipliesBySixteenAndStartSegmentAddressIsSegmentTimesSixteenPlusOffset() {
        final FirmwareImage image = parse(String.join(
                "\n",
                ":020000021000EC", // segment base 0x1000 → 0x10000
                ":04FFF0000102030403", // 4 bytes at 0x10000 + 0xFFF0
                ":0400000312340010A3", // CS:IP = 0x1234:0x0010
                ":00000001FF"));

        assertThat(image.segments()).containsExactly(new ImageSegment(0x1FFF0L, 4));
        assertThat(image.entryPoint()).hasValue(0x12340L + 0x10);
    }

    @Test
    void aWrongChecksumNamesTheLineAndBothChecksums() {
        final String bad = STM32_HEX.replace(":04001000DEADBEEFB4", ":04001000DEADBEEFB5");

        assertThatThrownBy(() -> parse(bad))
                .isInstanceOfSatisfying(FirmwareFormatException.class, e -> {
                    assertThat(e.reason()).isEqualTo(FirmwareFormatException.Reason.BAD_CHECKSUM);
                    assertThat(e.line()).hasValue(3);
                })
                .hasMessageContaining("line 3")
                .hasMessageContaining("B5")
                .hasMessageContaining("B4");
    }

    @Test
    void aFileWithoutTheEndOfFileRecordIsTruncated() {
        final String cut = STM32_HEX.replace(":00000001FF", "");

        assertThatThrownBy(() -> parse(cut))
                .isInstanceOfSatisfying(FirmwareFormatException.class, e -> assertThat(e.reason())
                        .isEqualTo(FirmwareFormatException.Reason.TRUNCATED));
    }

    @Test
    void aNonHexDigitNamesItsLineAndColumn() {
        assertThatThrownBy(() -> parse(":020000040800G2\n:00000001FF\n"))
                .isInstanceOfSatisfying(FirmwareFormatException.class, e -> {
                    assertThat(e.reason()).isEqualTo(FirmwareFormatException.Reason.MALFORMED);
                    assertThat(e.line()).hasValue(1);
                })
                .hasMessageContaining("column 14")
                .hasMessageContaining("'G'");
    }

    @Test
    void aByteCountThatDisagreesWithTheRecordLengthIsMalformed() {
        // Byte count says 3 data bytes, the record holds 2 (checksum fixed so only the count is wrong).
        assertThatThrownBy(() -> parse(":03002000112200\n:00000001FF\n"))
                .isInstanceOfSatisfying(FirmwareFormatException.class, e -> {
                    assertThat(e.reason()).isEqualTo(FirmwareFormatException.Reason.MALFORMED);
                    assertThat(e.line()).hasValue(1);
                })
                .hasMessageContaining("says 3");
    }

    @Test
    void twoRecordsForTheSameAddressAreAnOverlapOnTheSecondLine() {
        final String twice =
                String.join("\n", ":04001000DEADBEEFB4", ":020020001122AB", ":04001000DEADBEEFB4", ":00000001FF");

        assertThatThrownBy(() -> parse(twice)).isInstanceOfSatisfying(FirmwareFormatException.class, e -> {
            assertThat(e.reason()).isEqualTo(FirmwareFormatException.Reason.OVERLAP);
            assertThat(e.line()).hasValue(3);
        });
    }

    @Test
    void aRecordAfterTheEndOfFileRecordIsRefused() {
        assertThatThrownBy(() -> parse(":00000001FF\n:020020001122AB\n"))
                .isInstanceOfSatisfying(
                        FirmwareFormatException.class, e -> assertThat(e.line()).hasValue(2));
    }

    @Test
    void anUnknownRecordTypeIsUnsupported() {
        assertThatThrownBy(() -> parse(":00000006FA\n:00000001FF\n"))
                .isInstanceOfSatisfying(FirmwareFormatException.class, e -> assertThat(e.reason())
                        .isEqualTo(FirmwareFormatException.Reason.UNSUPPORTED));
    }

    @Test
    void aRawBinaryStartsAtItsBaseAddress() {
        final FirmwareImage image = FirmwareImage.ofBinary(new byte[] {1, 2, 3}, 0x08000000L);

        assertThat(image.segments()).containsExactly(new ImageSegment(0x08000000L, 3));
        assertThat(image.contains(0x08000002L)).isTrue();
        assertThat(image.contains(0x08000003L)).isFalse();
        assertThatThrownBy(() -> FirmwareImage.ofBinary(new byte[] {1}, 0xFFFFFFFFL + 1))
                .isInstanceOf(FirmwareFormatException.class);
    }
}
