package dev.baton.sim.mcu;

import java.nio.charset.StandardCharsets;

/** Writes bytes as Intel HEX for the reference tools: 16-byte data records, extended linear address records. */
final class IntelHexText {

    private IntelHexText() {}

    static byte[] of(final long address, final byte[] data) {
        final StringBuilder out = new StringBuilder();
        long upper = -1;
        for (int at = 0; at < data.length; at += 16) {
            final long a = address + at;
            if ((a >>> 16) != upper) {
                upper = a >>> 16;
                record(out, 0, 0x04, new byte[] {(byte) (upper >> 8), (byte) upper});
            }
            final byte[] chunk = java.util.Arrays.copyOfRange(data, at, Math.min(data.length, at + 16));
            record(out, (int) (a & 0xFFFF), 0x00, chunk);
        }
        record(out, 0, 0x01, new byte[0]);
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void record(final StringBuilder out, final int offset, final int type, final byte[] data) {
        int sum = data.length + (offset >> 8) + (offset & 0xFF) + type;
        out.append(String.format(":%02X%04X%02X", data.length, offset, type));
        for (final byte b : data) {
            out.append(String.format("%02X", b & 0xFF));
            sum += b & 0xFF;
        }
        out.append(String.format("%02X%n", (-sum) & 0xFF));
    }
}
