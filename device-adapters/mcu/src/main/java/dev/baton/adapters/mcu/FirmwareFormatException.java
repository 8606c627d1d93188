package dev.baton.adapters.mcu;

import java.util.Objects;
import java.util.OptionalInt;
import org.jetbrains.annotations.NotNull;

/**
 * A firmware file that cannot be read as the format it claims to be. The message names the line (Intel HEX) or the
 * block (UF2) and what is wrong with it.
 */
public final class FirmwareFormatException extends RuntimeException {

    /** What is wrong with the file. */
    public enum Reason {
        /** Not the format's syntax: a missing start code, a non-hex digit, a length that does not add up. */
        MALFORMED,
        /** A record's checksum does not match its bytes. */
        BAD_CHECKSUM,
        /** Two records or blocks give the same address different bytes. */
        OVERLAP,
        /** An address or size past what an image may hold (32-bit addresses, at most 64 MiB). */
        OUT_OF_RANGE,
        /** The file ends without the format's end marker (Intel HEX end-of-file record). */
        TRUNCATED,
        /** A record type or flag this parser does not handle. */
        UNSUPPORTED,
        /** UF2 blocks of another family than the one asked for, or of several families when none was asked for. */
        FAMILY
    }

    private final @NotNull Reason reason;
    private final int line;
    private final int block;

    private FirmwareFormatException(
            final @NotNull Reason reason, final @NotNull String message, final int line, final int block) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.line = line;
        this.block = block;
    }

    /** A problem on line {@code line} (1-based) of an Intel HEX file. */
    public static @NotNull FirmwareFormatException atLine(
            final @NotNull Reason reason, final int line, final @NotNull String problem) {
        return new FirmwareFormatException(reason, "Intel HEX line " + line + ": " + problem, line, -1);
    }

    /** A problem in block {@code block} (0-based, as UF2 numbers them) of a UF2 file. */
    public static @NotNull FirmwareFormatException atBlock(
            final @NotNull Reason reason, final int block, final @NotNull String problem) {
        return new FirmwareFormatException(reason, "UF2 block " + block + ": " + problem, -1, block);
    }

    /** A problem with the file as a whole. */
    public static @NotNull FirmwareFormatException of(final @NotNull Reason reason, final @NotNull String problem) {
        return new FirmwareFormatException(reason, problem, -1, -1);
    }

    public @NotNull Reason reason() {
        return reason;
    }

    /** The 1-based line of an Intel HEX file the problem is on, if it is on one. */
    public @NotNull OptionalInt line() {
        return line < 0 ? OptionalInt.empty() : OptionalInt.of(line);
    }

    /** The 0-based block of a UF2 file the problem is in, if it is in one. */
    public @NotNull OptionalInt block() {
        return block < 0 ? OptionalInt.empty() : OptionalInt.of(block);
    }
}
