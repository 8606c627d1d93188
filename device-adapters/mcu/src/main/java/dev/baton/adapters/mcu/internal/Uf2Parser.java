package dev.baton.adapters.mcu.internal;

import dev.baton.adapters.mcu.FirmwareFormatException;
import dev.baton.adapters.mcu.FirmwareFormatException.Reason;
import dev.baton.adapters.mcu.FirmwareImage;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jetbrains.annotations.NotNull;

/**
 * Reads UF2 (Microsoft's USB Flashing Format, github.com/microsoft/uf2 README "File format"): 512-byte blocks of
 * little-endian words {@code magicStart0 0x0A324655, magicStart1 0x9E5D5157, flags, targetAddr, payloadSize,
 * blockNo, numBlocks, fileSize-or-familyID}, 476 data bytes, then {@code magicEnd 0x0AB16F30}. Flag 0x00000001
 * marks a block not meant for main flash (skipped), 0x00002000 says the last header word is a family ID, 0x00001000
 * marks a file container (refused: not firmware).
 */
public final class Uf2Parser {

    static final int BLOCK = 512;
    static final int MAGIC_START0 = 0x0A324655;
    static final int MAGIC_START1 = 0x9E5D5157;
    static final int MAGIC_END = 0x0AB16F30;
    static final int FLAG_NOT_MAIN_FLASH = 0x00000001;
    static final int FLAG_FILE_CONTAINER = 0x00001000;
    static final int FLAG_FAMILY_ID = 0x00002000;
    static final int MAX_PAYLOAD = 476;

    private Uf2Parser() {}

    private record Block(int index, long address, byte[] payload, int blockNo, int numBlocks, OptionalInt family) {}

    /** See {@link FirmwareImage#parseUf2(byte[], int)}. */
    public static @NotNull FirmwareImage parse(final byte @NotNull [] data, final @NotNull OptionalInt wanted) {
        if (data.length == 0 || data.length % BLOCK != 0) {
            throw FirmwareFormatException.of(
                    Reason.MALFORMED,
                    "a UF2 file must be a whole number of 512-byte blocks, but was " + data.length + " bytes");
        }
        final List<Block> blocks = new ArrayList<>();
        for (int index = 0; index < data.length / BLOCK; index++) {
            final int at = index * BLOCK;
            if (le32(data, at) != MAGIC_START0
                    || le32(data, at + 4) != MAGIC_START1
                    || le32(data, at + 508) != MAGIC_END) {
                throw FirmwareFormatException.atBlock(
                        Reason.MALFORMED, index, "magic numbers missing; this is not a UF2 block");
            }
            final int flags = le32(data, at + 8);
            if ((flags & FLAG_NOT_MAIN_FLASH) != 0) {
                continue;
            }
            if ((flags & FLAG_FILE_CONTAINER) != 0) {
                throw FirmwareFormatException.atBlock(
                        Reason.UNSUPPORTED, index, "is part of a file container, not a flash image");
            }
            final long address = le32(data, at + 12) & 0xFFFF_FFFFL;
            final int payloadSize = le32(data, at + 16);
            if (payloadSize < 0 || payloadSize > MAX_PAYLOAD) {
                throw FirmwareFormatException.atBlock(
                        Reason.MALFORMED,
                        index,
                        "payload size must be 0 to " + MAX_PAYLOAD + ", but was "
                                + Integer.toUnsignedString(payloadSize));
            }
            if (address + payloadSize > FirmwareImage.ADDRESS_LIMIT) {
                throw FirmwareFormatException.atBlock(
                        Reason.OUT_OF_RANGE,
                        index,
                        String.format("target 0x%08X + %d passes 4 GiB", address, payloadSize));
            }
            final int blockNo = le32(data, at + 20);
            final int numBlocks = le32(data, at + 24);
            if (numBlocks <= 0 || blockNo < 0 || blockNo >= numBlocks) {
                throw FirmwareFormatException.atBlock(
                        Reason.MALFORMED,
                        index,
                        "block number " + Integer.toUnsignedString(blockNo) + " is not below the block count "
                                + Integer.toUnsignedString(numBlocks));
            }
            final OptionalInt family =
                    (flags & FLAG_FAMILY_ID) != 0 ? OptionalInt.of(le32(data, at + 28)) : OptionalInt.empty();
            final byte[] payload = new byte[payloadSize];
            System.arraycopy(data, at + 32, payload, 0, payloadSize);
            blocks.add(new Block(index, address, payload, blockNo, numBlocks, family));
        }
        final Map<OptionalInt, List<Block>> byFamily =
                blocks.stream().collect(Collectors.groupingBy(Block::family, HashMap::new, Collectors.toList()));
        final List<Block> chosen;
        if (wanted.isPresent()) {
            chosen = byFamily.getOrDefault(wanted, List.of());
            if (chosen.isEmpty()) {
                throw FirmwareFormatException.of(
                        Reason.FAMILY,
                        String.format(
                                "the UF2 file holds no blocks of family 0x%08x; it holds %s",
                                wanted.getAsInt(), families(byFamily)));
            }
        } else if (byFamily.size() > 1) {
            throw FirmwareFormatException.of(
                    Reason.FAMILY, "the UF2 file holds blocks of " + families(byFamily) + "; choose one family");
        } else if (byFamily.isEmpty()) {
            throw FirmwareFormatException.of(Reason.MALFORMED, "the UF2 file holds no main-flash blocks");
        } else {
            chosen = byFamily.values().iterator().next();
        }
        final int numBlocks = chosen.get(0).numBlocks();
        final BitSet seen = new BitSet(numBlocks);
        final FirmwareImage.Builder image = FirmwareImage.builder();
        for (final Block block : chosen) {
            if (block.numBlocks() != numBlocks) {
                throw FirmwareFormatException.atBlock(
                        Reason.MALFORMED,
                        block.index(),
                        "block count " + block.numBlocks() + " differs from the first block's " + numBlocks);
            }
            if (seen.get(block.blockNo())) {
                throw FirmwareFormatException.atBlock(
                        Reason.MALFORMED, block.index(), "block number " + block.blockNo() + " appears twice");
            }
            seen.set(block.blockNo());
            if (image.overlaps(block.address(), block.payload().length)) {
                throw FirmwareFormatException.atBlock(
                        Reason.OVERLAP,
                        block.index(),
                        String.format("data at 0x%08X overlaps an earlier block", block.address()));
            }
            image.add(block.address(), block.payload());
        }
        final int missing = seen.nextClearBit(0);
        if (missing < numBlocks) {
            throw FirmwareFormatException.of(
                    Reason.TRUNCATED,
                    "the UF2 file lacks block number " + missing + " of " + numBlocks + "; is the file complete?");
        }
        chosen.get(0).family().ifPresent(image::uf2FamilyId);
        return image.build();
    }

    private static String families(final Map<OptionalInt, List<Block>> byFamily) {
        final TreeSet<String> names = new TreeSet<>();
        byFamily.keySet()
                .forEach(f -> names.add(f.isPresent() ? String.format("family 0x%08x", f.getAsInt()) : "no family"));
        return String.join(", ", names);
    }

    static int le32(final byte[] data, final int at) {
        return (data[at] & 0xFF)
                | (data[at + 1] & 0xFF) << 8
                | (data[at + 2] & 0xFF) << 16
                | (data[at + 3] & 0xFF) << 24;
    }
}
