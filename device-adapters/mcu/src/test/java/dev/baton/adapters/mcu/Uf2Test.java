package dev.baton.adapters.mcu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class Uf2Test {

    private static final int RP2040 = 0xe48bff56;
    private static final int SAMD21 = 0x68ed2b88;

    /** One 512-byte UF2 block, laid out as the UF2 README's header table says. */
    private static byte[] block(
            final int flags,
            final long target,
            final byte[] payload,
            final int blockNo,
            final int numBlocks,
            final int family) {
        final ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x0A324655); // magicStart0 "UF2\n"
        b.putInt(0x9E5D5157); // magicStart1
        b.putInt(flags);
        b.putInt((int) target); // targetAddr
        b.putInt(payload.length); // payloadSize
        b.putInt(blockNo);
        b.putInt(numBlocks);
        b.putInt(family); // familyID when flag 0x2000 is set
        b.put(payload);
        b.putInt(508, 0x0AB16F30); // magicEnd
        return b.array();
    }

    private static byte[] file(final byte[]... blocks) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] block : blocks) {
            out.writeBytes(block);
        }
        return out.toByteArray();
    }

    private static byte[] filled(final int length, final int value) {
        final byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void blocksOfOneFamilyBecomeAnImageWithThatFamily() {
        final byte[] uf2 = file(
                block(0x2000, 0x10000000L, filled(256, 0xAA), 0, 2, RP2040),
                block(0x2000, 0x10000100L, filled(256, 0xBB), 1, 2, RP2040));

        final FirmwareImage image = FirmwareImage.parseUf2(uf2);

        assertThat(image.segments()).containsExactly(new ImageSegment(0x10000000L, 512));
        assertThat(image.read(0x100000FFL, 2, (byte) 0)).containsExactly(0xAA, 0xBB);
        assertThat(image.uf2FamilyId()).hasValue(RP2040);
    }

    @Test
    void blocksMarkedNotMainFlashAreSkipped() {
        final byte[] uf2 = file(
                block(0x2000, 0x10000000L, filled(256, 0xAA), 0, 1, RP2040),
                block(0x0001, 0x20000000L, filled(256, 0xCC), 0, 1, 0));

        assertThat(FirmwareImage.parseUf2(uf2).segments()).containsExactly(new ImageSegment(0x10000000L, 256));
    }

    @Test
    void aFileOfTwoFamiliesNeedsOneChosen() {
        final byte[] uf2 = file(
                block(0x2000, 0x10000000L, filled(256, 0xAA), 0, 1, RP2040),
                block(0x2000, 0x00002000L, filled(256, 0x55), 0, 1, SAMD21));

        assertThatThrownBy(() -> FirmwareImage.parseUf2(uf2))
                .isInstanceOfSatisfying(FirmwareFormatException.class, e -> assertThat(e.reason())
                        .isEqualTo(FirmwareFormatException.Reason.FAMILY))
                .hasMessageContaining("0xe48bff56")
                .hasMessageContaining("0x68ed2b88");
        assertThat(FirmwareImage.parseUf2(uf2, SAMD21).segments()).containsExactly(new ImageSegment(0x2000, 256));
    }

    @Test
    void aMissingBlockNumberMakesTheFileTruncated() {
        final byte[] uf2 = file(
                block(0x2000, 0x10000000L, filled(256, 0xAA), 0, 3, RP2040),
                block(0x2000, 0x10000200L, filled(256, 0xAA), 2, 3, RP2040));

        assertThatThrownBy(() -> FirmwareImage.parseUf2(uf2))
                .isInstanceOfSatisfying(FirmwareFormatException.class, e -> assertThat(e.reason())
                        .isEqualTo(FirmwareFormatException.Reason.TRUNCATED))
                .hasMessageContaining("block number 1 of 3");
    }

    @Test
    void aBrokenMagicNumberNamesTheBlock() {
        final byte[] second = block(0x2000, 0x10000100L, filled(256, 0xBB), 1, 2, RP2040);
        second[509] ^= 0x01; // corrupt magicEnd
        final byte[] uf2 = file(block(0x2000, 0x10000000L, filled(256, 0xAA), 0, 2, RP2040), second);

        assertThatThrownBy(() -> FirmwareImage.parseUf2(uf2))
                .isInstanceOfSatisfying(FirmwareFormatException.class, e -> {
                    assertThat(e.reason()).isEqualTo(FirmwareFormatException.Reason.MALFORMED);
                    assertThat(e.block()).hasValue(1);
                });
    }

    @Test
    void aPayloadLargerThan476BytesIsMalformed() {
        final byte[] big = block(0x2000, 0x10000000L, filled(256, 0xAA), 0, 1, RP2040);
        ByteBuffer.wrap(big).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 477);

        assertThatThrownBy(() -> FirmwareImage.parseUf2(big))
                .isInstanceOfSatisfying(FirmwareFormatException.class, e -> assertThat(e.block())
                        .hasValue(0))
                .hasMessageContaining("477");
    }

    @Test
    void aLengthThatIsNotAWholeNumberOfBlocksIsMalformed() {
        assertThatThrownBy(() -> FirmwareImage.parseUf2(new byte[700]))
                .isInstanceOf(FirmwareFormatException.class)
                .hasMessageContaining("700");
    }
}
