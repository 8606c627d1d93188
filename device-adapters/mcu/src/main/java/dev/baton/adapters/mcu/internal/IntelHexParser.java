package dev.baton.adapters.mcu.internal;

import dev.baton.adapters.mcu.FirmwareFormatException;
import dev.baton.adapters.mcu.FirmwareFormatException.Reason;
import dev.baton.adapters.mcu.FirmwareImage;
import org.jetbrains.annotations.NotNull;

/**
 * Reads Intel HEX (Intel "Hexadecimal Object File Format Specification" rev. A, 1988): records
 * {@code :LLAAAATT<data>CC}, where the checksum CC is the two's complement of the sum of all other record bytes.
 * Record types: 00 data, 01 end of file, 02 extended segment address (base = value × 16), 03 start segment address,
 * 04 extended linear address (upper 16 bits), 05 start linear address. Lines may end in LF or CR LF; blank lines are
 * skipped; anything after the end-of-file record must be blank.
 */
public final class IntelHexParser {

    private static final int DATA = 0x00;
    private static final int END_OF_FILE = 0x01;
    private static final int EXTENDED_SEGMENT_ADDRESS = 0x02;
    private static final int START_SEGMENT_ADDRESS = 0x03;
    private static final int EXTENDED_LINEAR_ADDRESS = 0x04;
    private static final int START_LINEAR_ADDRESS = 0x05;

    private IntelHexParser() {}

    /** See {@link FirmwareImage#parseIntelHex(byte[])}. */
    public static @NotNull FirmwareImage parse(final byte @NotNull [] text) {
        final FirmwareImage.Builder image = FirmwareImage.builder();
        long base = 0;
        boolean ended = false;
        int lineNumber = 0;
        int at = 0;
        while (at < text.length) {
            int lineEnd = at;
            while (lineEnd < text.length && text[lineEnd] != '\n') {
                lineEnd++;
            }
            lineNumber++;
            int contentEnd = lineEnd;
            while (contentEnd > at && isBlank(text[contentEnd - 1])) {
                contentEnd--;
            }
            int contentStart = at;
            while (contentStart < contentEnd && isBlank(text[contentStart])) {
                contentStart++;
            }
            at = lineEnd + 1;
            if (contentStart == contentEnd) {
                continue;
            }
            if (ended) {
                throw FirmwareFormatException.atLine(
                        Reason.MALFORMED, lineNumber, "a record follows the end-of-file record");
            }
            final byte[] record = decodeRecord(text, contentStart, contentEnd, lineNumber);
            final int length = record[0] & 0xFF;
            final int offset = ((record[1] & 0xFF) << 8) | (record[2] & 0xFF);
            final int type = record[3] & 0xFF;
            switch (type) {
                case DATA -> {
                    final long address = base + offset;
                    if (address + length > FirmwareImage.ADDRESS_LIMIT) {
                        throw FirmwareFormatException.atLine(
                                Reason.OUT_OF_RANGE,
                                lineNumber,
                                String.format("%d bytes at 0x%X pass the 32-bit address limit", length, address));
                    }
                    if (image.overlaps(address, length)) {
                        throw FirmwareFormatException.atLine(
                                Reason.OVERLAP,
                                lineNumber,
                                String.format("data at 0x%08X overlaps bytes given by an earlier record", address));
                    }
                    final byte[] data = new byte[length];
                    System.arraycopy(record, 4, data, 0, length);
                    image.add(address, data);
                }
                case END_OF_FILE -> {
                    expectLength(length, 0, type, lineNumber);
                    ended = true;
                }
                case EXTENDED_SEGMENT_ADDRESS -> {
                    expectLength(length, 2, type, lineNumber);
                    base = (long) word(record, 4) << 4;
                }
                case EXTENDED_LINEAR_ADDRESS -> {
                    expectLength(length, 2, type, lineNumber);
                    base = (long) word(record, 4) << 16;
                }
                case START_SEGMENT_ADDRESS -> {
                    expectLength(length, 4, type, lineNumber);
                    image.entryPoint(((long) word(record, 4) << 4) + word(record, 6));
                }
                case START_LINEAR_ADDRESS -> {
                    expectLength(length, 4, type, lineNumber);
                    image.entryPoint(((long) word(record, 4) << 16) | word(record, 6));
                }
                default -> throw FirmwareFormatException.atLine(
                        Reason.UNSUPPORTED, lineNumber, String.format("record type %02X is not one of 00 to 05", type));
            }
        }
        if (!ended) {
            throw FirmwareFormatException.of(
                    Reason.TRUNCATED,
                    "Intel HEX file ends after line " + lineNumber
                            + " without the end-of-file record ':00000001FF'; is the file complete?");
        }
        return image.build();
    }

    /** Decodes the hex digits after ':' and checks the length and checksum fields. */
    private static byte[] decodeRecord(final byte[] text, final int start, final int end, final int line) {
        if (text[start] != ':') {
            throw FirmwareFormatException.atLine(
                    Reason.MALFORMED, line, "a record must start with ':', but started with " + printable(text[start]));
        }
        final int digits = end - start - 1;
        if (digits % 2 != 0) {
            throw FirmwareFormatException.atLine(
                    Reason.MALFORMED, line, "a record must hold an even number of hex digits, but held " + digits);
        }
        final int bytes = digits / 2;
        if (bytes < 5) {
            throw FirmwareFormatException.atLine(
                    Reason.MALFORMED, line, "a record must hold at least 5 bytes, but held " + bytes);
        }
        final byte[] record = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            final int high = Character.digit(text[start + 1 + 2 * i], 16);
            final int low = Character.digit(text[start + 2 + 2 * i], 16);
            if (high < 0 || low < 0) {
                final int column = 2 + 2 * i + (high < 0 ? 0 : 1);
                throw FirmwareFormatException.atLine(
                        Reason.MALFORMED,
                        line,
                        "column " + column + " holds " + printable(text[start + column - 1])
                                + ", which is not a hex digit");
            }
            record[i] = (byte) ((high << 4) | low);
        }
        final int length = record[0] & 0xFF;
        if (bytes != length + 5) {
            throw FirmwareFormatException.atLine(
                    Reason.MALFORMED,
                    line,
                    "the byte count field says " + length + " data bytes, but the record holds " + (bytes - 5));
        }
        int sum = 0;
        for (int i = 0; i < bytes - 1; i++) {
            sum += record[i] & 0xFF;
        }
        final int expected = (-sum) & 0xFF;
        final int actual = record[bytes - 1] & 0xFF;
        if (expected != actual) {
            throw FirmwareFormatException.atLine(
                    Reason.BAD_CHECKSUM,
                    line,
                    String.format("checksum is %02X, but the record's bytes need %02X", actual, expected));
        }
        return record;
    }

    private static void expectLength(final int length, final int expected, final int type, final int line) {
        if (length != expected) {
            throw FirmwareFormatException.atLine(
                    Reason.MALFORMED,
                    line,
                    String.format("a type %02X record must hold %d data bytes, but held %d", type, expected, length));
        }
    }

    private static int word(final byte[] record, final int at) {
        return ((record[at] & 0xFF) << 8) | (record[at + 1] & 0xFF);
    }

    private static boolean isBlank(final byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private static String printable(final byte b) {
        return b >= 0x21 && b < 0x7F ? "'" + (char) b + "'" : String.format("byte 0x%02X", b & 0xFF);
    }
}
