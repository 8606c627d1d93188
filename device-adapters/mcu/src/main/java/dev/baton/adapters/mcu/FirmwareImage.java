package dev.baton.adapters.mcu;

import dev.baton.adapters.mcu.internal.IntelHexParser;
import dev.baton.adapters.mcu.internal.Uf2Parser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.jetbrains.annotations.NotNull;

/**
 * A firmware image: bytes at absolute 32-bit addresses, held as non-overlapping segments. Immutable and safe to share
 * between threads.
 *
 * <p>Three sources: a raw binary placed at a base address ({@link #ofBinary}), an Intel HEX file
 * ({@link #parseIntelHex}: record checksums checked, errors name the line) and a UF2 file ({@link #parseUf2}: blocks
 * checked for magic numbers, numbering and family).
 */
public final class FirmwareImage {

    /** Largest image accepted, so a hostile file cannot make the agent allocate without bound. */
    public static final int MAX_SIZE = 64 * 1024 * 1024;

    /** One past the highest address: addresses are unsigned 32-bit. */
    public static final long ADDRESS_LIMIT = 1L << 32;

    private final NavigableMap<Long, byte[]> segments;
    private final int size;
    private final OptionalLong entryPoint;
    private final OptionalInt uf2FamilyId;

    private FirmwareImage(
            final NavigableMap<Long, byte[]> segments,
            final int size,
            final OptionalLong entryPoint,
            final OptionalInt uf2FamilyId) {
        this.segments = segments;
        this.size = size;
        this.entryPoint = entryPoint;
        this.uf2FamilyId = uf2FamilyId;
    }

    /**
     * A raw binary whose first byte goes to {@code baseAddress} (e.g. {@code 0x08000000} for STM32 flash, {@code 0}
     * for AVR).
     *
     * @throws FirmwareFormatException when the data is empty or does not fit below 4 GiB
     */
    public static @NotNull FirmwareImage ofBinary(final byte @NotNull [] data, final long baseAddress) {
        if (data.length == 0) {
            throw FirmwareFormatException.of(FirmwareFormatException.Reason.MALFORMED, "the binary image is empty");
        }
        return builder().add(baseAddress, data).build();
    }

    /**
     * Parses an Intel HEX file (record types 00 to 05). Every record's checksum is checked, the end-of-file record is
     * required, and two records for the same address are refused.
     *
     * @throws FirmwareFormatException naming the 1-based line and what is wrong on it
     */
    public static @NotNull FirmwareImage parseIntelHex(final byte @NotNull [] text) {
        return IntelHexParser.parse(text);
    }

    /**
     * Parses a UF2 file holding blocks of at most one family (blocks flagged "not main flash" are skipped).
     *
     * @throws FirmwareFormatException naming the block, or {@link FirmwareFormatException.Reason#FAMILY} when the
     *     file holds several families: then use {@link #parseUf2(byte[], int)}
     */
    public static @NotNull FirmwareImage parseUf2(final byte @NotNull [] data) {
        return Uf2Parser.parse(data, OptionalInt.empty());
    }

    /**
     * Parses the blocks of family {@code familyId} (e.g. {@code 0xe48bff56} for RP2040) out of a UF2 file.
     *
     * @throws FirmwareFormatException naming the block, or {@link FirmwareFormatException.Reason#FAMILY} when no block
     *     has that family
     */
    public static @NotNull FirmwareImage parseUf2(final byte @NotNull [] data, final int familyId) {
        return Uf2Parser.parse(data, OptionalInt.of(familyId));
    }

    /** A builder for parsers: chunks are added in any order and merged where they touch. */
    public static @NotNull Builder builder() {
        return new Builder();
    }

    /** The segments in address order; adjacent bytes are always in the same segment. */
    public @NotNull List<ImageSegment> segments() {
        final List<ImageSegment> out = new ArrayList<>(segments.size());
        segments.forEach((address, bytes) -> out.add(new ImageSegment(address, bytes.length)));
        return List.copyOf(out);
    }

    /** The lowest address holding a byte. */
    public long startAddress() {
        return segments.firstKey();
    }

    /** The address just past the highest byte. */
    public long endAddress() {
        final Map.Entry<Long, byte[]> last = segments.lastEntry();
        return last.getKey() + last.getValue().length;
    }

    /** How many bytes the image holds (gaps between segments not counted). */
    public int size() {
        return size;
    }

    /** Whether the image holds a byte at {@code address}. */
    public boolean contains(final long address) {
        final Map.Entry<Long, byte[]> entry = segments.floorEntry(address);
        return entry != null && address < entry.getKey() + entry.getValue().length;
    }

    /** Whether the image holds at least one byte in {@code [from, to)}. */
    public boolean intersects(final long from, final long to) {
        final Map.Entry<Long, byte[]> below = segments.floorEntry(from);
        if (below != null && from < below.getKey() + below.getValue().length) {
            return true;
        }
        final Long next = segments.ceilingKey(from);
        return next != null && next < to;
    }

    /**
     * The bytes of {@code [address, address + length)}, with {@code fill} where the image holds nothing (0xFF is
     * erased flash).
     */
    public byte @NotNull [] read(final long address, final int length, final byte fill) {
        final byte[] out = new byte[length];
        Arrays.fill(out, fill);
        final long end = address + length;
        final Long first = segments.floorKey(address);
        for (final Map.Entry<Long, byte[]> entry : segments.subMap(first == null ? address : first, true, end, false)
                .entrySet()) {
            final long segmentStart = entry.getKey();
            final long segmentEnd = segmentStart + entry.getValue().length;
            final long from = Math.max(segmentStart, address);
            final long to = Math.min(segmentEnd, end);
            if (from < to) {
                System.arraycopy(
                        entry.getValue(), (int) (from - segmentStart), out, (int) (from - address), (int) (to - from));
            }
        }
        return out;
    }

    /** The start address an Intel HEX file gave (record 05, or 03 as segment:offset), if any. */
    public @NotNull OptionalLong entryPoint() {
        return entryPoint;
    }

    /** The UF2 family of the blocks this image was made of, if the file flagged one. */
    public @NotNull OptionalInt uf2FamilyId() {
        return uf2FamilyId;
    }

    @Override
    public String toString() {
        return "FirmwareImage[" + size + " bytes in " + segments.size() + " segment(s), "
                + String.format("0x%08X..0x%08X", startAddress(), endAddress()) + "]";
    }

    /** Collects chunks; not thread-safe. */
    public static final class Builder {

        private final TreeMap<Long, byte[]> chunks = new TreeMap<>();
        private long total;
        private OptionalLong entryPoint = OptionalLong.empty();
        private OptionalInt uf2FamilyId = OptionalInt.empty();

        private Builder() {}

        /** Whether any byte of {@code [address, address + length)} was added before. */
        public boolean overlaps(final long address, final int length) {
            final Map.Entry<Long, byte[]> below = chunks.floorEntry(address);
            if (below != null && address < below.getKey() + below.getValue().length) {
                return true;
            }
            final Long next = chunks.ceilingKey(address);
            return next != null && next < address + length;
        }

        /**
         * Adds {@code data} at {@code address}.
         *
         * @throws FirmwareFormatException with {@link FirmwareFormatException.Reason#OUT_OF_RANGE} past 4 GiB or
         *     64 MiB in total
         * @throws IllegalArgumentException when the bytes overlap earlier ones: parsers check {@link #overlaps}
         *     first, to name the line or block
         */
        public @NotNull Builder add(final long address, final byte @NotNull [] data) {
            Objects.requireNonNull(data, "data");
            if (address < 0 || address + data.length > ADDRESS_LIMIT) {
                throw FirmwareFormatException.of(
                        FirmwareFormatException.Reason.OUT_OF_RANGE,
                        String.format(
                                "%d bytes at 0x%X do not fit below the 32-bit address limit 0x100000000",
                                data.length, address));
            }
            if (total + data.length > MAX_SIZE) {
                throw FirmwareFormatException.of(
                        FirmwareFormatException.Reason.OUT_OF_RANGE,
                        "the image must not exceed " + MAX_SIZE + " bytes, but reached " + (total + data.length));
            }
            if (data.length == 0) {
                return this;
            }
            if (overlaps(address, data.length)) {
                throw new IllegalArgumentException(String.format("bytes at 0x%X overlap earlier ones", address));
            }
            chunks.put(address, data.clone());
            total += data.length;
            return this;
        }

        public @NotNull Builder entryPoint(final long address) {
            this.entryPoint = OptionalLong.of(address);
            return this;
        }

        public @NotNull Builder uf2FamilyId(final int familyId) {
            this.uf2FamilyId = OptionalInt.of(familyId);
            return this;
        }

        /**
         * The image, with touching chunks merged into one segment.
         *
         * @throws FirmwareFormatException with {@link FirmwareFormatException.Reason#MALFORMED} when nothing was
         *     added
         */
        public @NotNull FirmwareImage build() {
            if (chunks.isEmpty()) {
                throw FirmwareFormatException.of(
                        FirmwareFormatException.Reason.MALFORMED, "the file holds no data bytes");
            }
            final TreeMap<Long, byte[]> merged = new TreeMap<>();
            long runStart = -1;
            final List<byte[]> run = new ArrayList<>();
            long runEnd = -1;
            for (final Map.Entry<Long, byte[]> chunk : chunks.entrySet()) {
                if (chunk.getKey() != runEnd) {
                    if (runStart >= 0) {
                        merged.put(runStart, concat(run));
                    }
                    run.clear();
                    runStart = chunk.getKey();
                }
                run.add(chunk.getValue());
                runEnd = chunk.getKey() + chunk.getValue().length;
            }
            merged.put(runStart, concat(run));
            return new FirmwareImage(merged, (int) total, entryPoint, uf2FamilyId);
        }

        private static byte[] concat(final List<byte[]> parts) {
            if (parts.size() == 1) {
                return parts.get(0);
            }
            final byte[] out = new byte[parts.stream().mapToInt(p -> p.length).sum()];
            int at = 0;
            for (final byte[] part : parts) {
                System.arraycopy(part, 0, out, at, part.length);
                at += part.length;
            }
            return out;
        }
    }
}
