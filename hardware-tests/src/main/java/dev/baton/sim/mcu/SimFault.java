package dev.baton.sim.mcu;

/**
 * A fault a bootloader simulator injects. Commands are counted per opcode from 1 over the simulator's life, so
 * "the 10th Write Memory" means the same for every client.
 */
public sealed interface SimFault {

    /**
     * Refuses {@code times} commands with {@code opcode} from the {@code occurrence}-th on: NACK (AN3155) or
     * STK_NOSYNC (STK500), without executing them.
     */
    record Refuse(int opcode, int occurrence, int times) implements SimFault {}

    /** Swallows the {@code occurrence}-th command with {@code opcode}: no answer, back to waiting for a command. */
    record Silence(int opcode, int occurrence) implements SimFault {}

    /** Unplugs the pty pair when the {@code occurrence}-th command with {@code opcode} arrives. */
    record Unplug(int opcode, int occurrence) implements SimFault {}

    /** Flips bit 0 of the first data byte of the answer to the {@code occurrence}-th {@code opcode} (a read). */
    record CorruptAnswer(int opcode, int occurrence) implements SimFault {}

    /** The first programming of {@code address} also clears the bits in {@code clearMask} (a cell that failed). */
    record WeakCell(long address, int clearMask) implements SimFault {}
}
