package dev.baton.sim.mcu;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The STM32 system-memory bootloader's USART protocol, ST AN3155: auto-baud on 0x7F (§2), then commands of an
 * opcode and its complement, each step answered ACK (0x79) or NACK (0x1F). Implemented: Get (§3.1), Get Version
 * (§3.2), Get ID (§3.3), Read Memory (§3.4), Go (§3.5), Write Memory (§3.6), Erase (§3.7) or Extended Erase (§3.8,
 * with the 0xFFFF/0xFFFE/0xFFFD specials), Write Protect and Unprotect (§3.9, §3.10), Readout Protect and
 * Unprotect (§3.11, §3.12) and, when configured, Get Checksum (0xA1). Addresses and checksums are checked as the
 * application note says; a failing check NACKs.
 *
 * <p>Read-out protection refuses Read Memory, Write Memory, Go and erases; Readout Unprotect mass-erases, lifts it
 * and resets. Option bytes are never changed: writes there are refused and counted, as are Write Protect/Unprotect
 * and Readout Protect/Unprotect, so tests can assert a flasher never tried.
 *
 * <p>Threading: see {@link BootloaderSimulator}.
 */
public final class Stm32BootloaderSimulator extends BootloaderSimulator {

    public static final int ACK = 0x79;
    public static final int NACK = 0x1F;
    public static final int SYNC = 0x7F;

    public static final int GET = 0x00;
    public static final int GET_VERSION = 0x01;
    public static final int GET_ID = 0x02;
    public static final int READ_MEMORY = 0x11;
    public static final int GO = 0x21;
    public static final int WRITE_MEMORY = 0x31;
    public static final int ERASE = 0x43;
    public static final int EXTENDED_ERASE = 0x44;
    public static final int WRITE_PROTECT = 0x63;
    public static final int WRITE_UNPROTECT = 0x73;
    public static final int READOUT_PROTECT = 0x82;
    public static final int READOUT_UNPROTECT = 0x92;
    public static final int GET_CHECKSUM = 0xA1;

    private final Stm32SimConfig config;
    private final FlashMemory flash;
    private final byte[] ram;
    private final AtomicInteger optionByteChanges = new AtomicInteger();
    private volatile boolean readProtected;
    private volatile long goAddress = -1;

    public Stm32BootloaderSimulator(final Stm32SimConfig config) {
        super("stm32-sim", config.faults());
        this.config = config;
        this.flash = config.chip().newFlash();
        this.ram = new byte[(int) (config.chip().ramEnd() - config.chip().ramStart())];
        this.readProtected = config.readProtected();
        weakCells().forEach(w -> flash.weakenCell(w.address(), w.clearMask()));
    }

    public Stm32SimConfig config() {
        return config;
    }

    @Override
    public FlashMemory flash() {
        return flash;
    }

    public boolean readProtected() {
        return readProtected;
    }

    /** Attempts to change option bytes: writes there, write (un)protect, readout (un)protect. */
    public int optionByteChanges() {
        return optionByteChanges.get();
    }

    /** Where the last Go jumped, if one did. */
    public OptionalLong goAddress() {
        final long address = goAddress;
        return address < 0 ? OptionalLong.empty() : OptionalLong.of(address);
    }

    @Override
    protected WireTiming timing() {
        return config.wire();
    }

    @Override
    protected void serve(final Reader r) throws IOException {
        while (r.read() != SYNC) {
            // AN3155 §2: until the host sends 0x7F the bootloader has no baud rate and ignores the line
        }
        r.write((byte) ACK);
        while (true) {
            final int opcode = r.read();
            final int complement = r.read();
            if ((opcode ^ complement) != 0xFF) {
                r.write((byte) NACK);
                continue;
            }
            final Optional<SimFault> fault = command(opcode);
            if (fault.isPresent() && fault.get() instanceof SimFault.Unplug) {
                unplugNow();
                return;
            }
            if (fault.isPresent() && fault.get() instanceof SimFault.Silence) {
                continue;
            }
            if (fault.isPresent() && fault.get() instanceof SimFault.Refuse) {
                r.write((byte) NACK);
                continue;
            }
            final boolean corrupt = fault.isPresent() && fault.get() instanceof SimFault.CorruptAnswer;
            if (!offered().contains(opcode)) {
                r.write((byte) NACK);
                continue;
            }
            switch (opcode) {
                case GET -> get(r);
                case GET_VERSION -> r.send(ACK, config.chip().bootloaderVersion(), 0x00, 0x00, ACK);
                case GET_ID -> r.send(
                        ACK, 0x01, config.chip().productId() >> 8, config.chip().productId() & 0xFF, ACK);
                case READ_MEMORY -> readMemory(r, corrupt);
                case GO -> go(r);
                case WRITE_MEMORY -> writeMemory(r);
                case ERASE -> erase(r);
                case EXTENDED_ERASE -> extendedErase(r);
                case WRITE_PROTECT -> writeProtect(r);
                case WRITE_UNPROTECT -> optionChange(r);
                case READOUT_PROTECT -> {
                    r.write((byte) ACK);
                    optionByteChanges.incrementAndGet();
                    readProtected = true;
                    r.write((byte) ACK);
                    throw new ResetSignal();
                }
                case READOUT_UNPROTECT -> readoutUnprotect(r);
                case GET_CHECKSUM -> checksum(r);
                default -> r.write((byte) NACK);
            }
        }
    }

    private List<Integer> offered() {
        final List<Integer> commands = new ArrayList<>(List.of(
                GET,
                GET_VERSION,
                GET_ID,
                READ_MEMORY,
                GO,
                WRITE_MEMORY,
                config.chip().extendedErase() ? EXTENDED_ERASE : ERASE,
                WRITE_PROTECT,
                WRITE_UNPROTECT,
                READOUT_PROTECT,
                READOUT_UNPROTECT));
        if (config.checksumCommand()) {
            commands.add(GET_CHECKSUM);
        }
        return commands;
    }

    /** AN3155 §3.1: ACK, N (bytes that follow minus 1), version, the command codes, ACK. */
    private void get(final Reader r) throws IOException {
        final List<Integer> commands = offered();
        final byte[] answer = new byte[commands.size() + 4];
        answer[0] = (byte) ACK;
        answer[1] = (byte) commands.size();
        answer[2] = (byte) config.chip().bootloaderVersion();
        for (int i = 0; i < commands.size(); i++) {
            answer[3 + i] = (byte) (int) commands.get(i);
        }
        answer[answer.length - 1] = (byte) ACK;
        r.write(answer);
    }

    /** Four address bytes MSB first and their XOR; -1 when the checksum is wrong. */
    private static long address(final Reader r) throws IOException {
        final byte[] frame = r.read(5);
        if ((frame[0] ^ frame[1] ^ frame[2] ^ frame[3]) != frame[4]) {
            return -1;
        }
        return ((frame[0] & 0xFFL) << 24) | ((frame[1] & 0xFFL) << 16) | ((frame[2] & 0xFFL) << 8) | (frame[3] & 0xFFL);
    }

    private boolean inRam(final long address, final long length) {
        return address >= config.chip().ramStart()
                && address + length <= config.chip().ramEnd();
    }

    private boolean inOptionBytes(final long address, final long length) {
        return address + length > config.chip().optionBytesStart()
                && address < config.chip().optionBytesStart() + config.chip().optionBytesSize();
    }

    private boolean readable(final long address, final long length) {
        final Stm32ChipProfile chip = config.chip();
        return flash.contains(address, length)
                || inRam(address, length)
                || (address >= chip.systemMemoryStart()
                        && address + length <= chip.systemMemoryStart() + chip.systemMemorySize())
                || (address >= chip.optionBytesStart()
                        && address + length <= chip.optionBytesStart() + chip.optionBytesSize());
    }

    private byte[] readBytes(final long address, final int length) {
        if (flash.contains(address, length)) {
            return flash.read(address, length);
        }
        if (inRam(address, length)) {
            final int from = (int) (address - config.chip().ramStart());
            return Arrays.copyOfRange(ram, from, from + length);
        }
        final byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            final long at = address + i - config.chip().optionBytesStart();
            // Option bytes read as value/complement pairs; RDP 0xA5 means unprotected (RM0008 §2.5).
            out[i] = at == 0
                    ? (byte) (readProtected ? 0x00 : 0xA5)
                    : at == 1 ? (byte) (readProtected ? 0xFF : 0x5A) : (byte) 0xFF;
        }
        return out;
    }

    /** AN3155 §3.4. */
    private void readMemory(final Reader r, final boolean corrupt) throws IOException {
        if (readProtected) {
            r.write((byte) NACK);
            return;
        }
        r.write((byte) ACK);
        final long address = address(r);
        if (address < 0 || !readable(address, 1)) {
            r.write((byte) NACK);
            return;
        }
        r.write((byte) ACK);
        final int n = r.read();
        final int check = r.read();
        if ((n ^ check) != 0xFF || !readable(address, n + 1L)) {
            r.write((byte) NACK);
            return;
        }
        final byte[] data = readBytes(address, n + 1);
        if (corrupt) {
            data[0] ^= 0x01;
        }
        final byte[] answer = new byte[data.length + 1];
        answer[0] = (byte) ACK;
        System.arraycopy(data, 0, answer, 1, data.length);
        r.write(answer);
    }

    /** AN3155 §3.5: after the second ACK the chip runs the application and the bootloader is gone until reset. */
    private void go(final Reader r) throws IOException {
        if (readProtected) {
            r.write((byte) NACK);
            return;
        }
        r.write((byte) ACK);
        final long address = address(r);
        if (address < 0 || !(flash.contains(address, 8) || inRam(address, 8))) {
            r.write((byte) NACK);
            return;
        }
        r.write((byte) ACK);
        goAddress = address;
        while (true) {
            r.read(); // the application ignores the bootloader protocol; a reset brings the bootloader back
        }
    }

    /** AN3155 §3.6: N+1 bytes (a multiple of 4, at most 256), checksum = XOR of N and the bytes. */
    private void writeMemory(final Reader r) throws IOException {
        if (readProtected) {
            r.write((byte) NACK);
            return;
        }
        r.write((byte) ACK);
        final long address = address(r);
        if (address >= 0 && inOptionBytes(address, 1)) {
            optionByteChanges.incrementAndGet();
        }
        if (address < 0 || !(flash.contains(address, 1) || inRam(address, 1))) {
            r.write((byte) NACK);
            return;
        }
        r.write((byte) ACK);
        final int n = r.read();
        final byte[] data = r.read(n + 1);
        int checksum = n;
        for (final byte b : data) {
            checksum ^= b & 0xFF;
        }
        if (checksum != r.read() || data.length % 4 != 0) {
            r.write((byte) NACK);
            return;
        }
        if (flash.contains(address, data.length)) {
            flash.program(address, data);
            r.busy(config.blockProgramTime());
        } else if (inRam(address, data.length)) {
            System.arraycopy(data, 0, ram, (int) (address - config.chip().ramStart()), data.length);
        } else {
            r.write((byte) NACK);
            return;
        }
        r.write((byte) ACK);
    }

    /** AN3155 §3.7: N-1 then N one-byte page numbers and their XOR with N-1, or 0xFF 0x00 for a mass erase. */
    private void erase(final Reader r) throws IOException {
        if (readProtected) {
            r.write((byte) NACK);
            return;
        }
        r.write((byte) ACK);
        final int n = r.read();
        if (n == 0xFF) {
            if (r.read() != 0x00) {
                r.write((byte) NACK);
                return;
            }
            massErase(r);
            r.write((byte) ACK);
            return;
        }
        final byte[] pages = r.read(n + 1);
        int checksum = n;
        for (final byte page : pages) {
            checksum ^= page & 0xFF;
        }
        final int[] numbers = new int[pages.length];
        for (int i = 0; i < pages.length; i++) {
            numbers[i] = pages[i] & 0xFF;
        }
        erasePages(r, numbers, checksum == r.read());
    }

    /** AN3155 §3.8: two-byte N-1 (or 0xFFFF mass, 0xFFFE bank 1, 0xFFFD bank 2), two-byte page numbers, XOR. */
    private void extendedErase(final Reader r) throws IOException {
        if (readProtected) {
            r.write((byte) NACK);
            return;
        }
        r.write((byte) ACK);
        final int high = r.read();
        final int low = r.read();
        final int value = (high << 8) | low;
        if (value >= 0xFFF0) {
            final boolean checksumOk = r.read() == (high ^ low);
            if (!checksumOk || (value != 0xFFFF && value != 0xFFFE)) {
                r.write((byte) NACK); // one bank only: 0xFFFD (bank 2) and the reserved codes are refused
                return;
            }
            massErase(r);
            r.write((byte) ACK);
            return;
        }
        final byte[] pages = r.read(2 * (value + 1));
        int checksum = high ^ low;
        final int[] numbers = new int[value + 1];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = ((pages[2 * i] & 0xFF) << 8) | (pages[2 * i + 1] & 0xFF);
            checksum ^= (pages[2 * i] & 0xFF) ^ (pages[2 * i + 1] & 0xFF);
        }
        erasePages(r, numbers, checksum == r.read());
    }

    private void erasePages(final Reader r, final int[] pages, final boolean checksumOk) throws IOException {
        if (!checksumOk || Arrays.stream(pages).anyMatch(p -> p >= flash.pageCount())) {
            r.write((byte) NACK);
            return;
        }
        for (final int page : pages) {
            flash.erasePage(page);
            r.busy(config.pageEraseTime());
        }
        r.write((byte) ACK);
    }

    private void massErase(final Reader r) {
        flash.eraseAll();
        r.busy(config.massEraseTime());
    }

    /** AN3155 §3.9: changes option bytes, then resets; counted, never needed for flashing. */
    private void writeProtect(final Reader r) throws IOException {
        r.write((byte) ACK);
        final int n = r.read();
        r.read(n + 1);
        r.read();
        optionByteChanges.incrementAndGet();
        r.write((byte) ACK);
        throw new ResetSignal();
    }

    private void optionChange(final Reader r) throws IOException {
        r.write((byte) ACK);
        optionByteChanges.incrementAndGet();
        r.write((byte) ACK);
        throw new ResetSignal();
    }

    /** AN3155 §3.12: mass erase, protection off, system reset (the host must send 0x7F again). */
    private void readoutUnprotect(final Reader r) throws IOException {
        r.write((byte) ACK);
        optionByteChanges.incrementAndGet();
        massErase(r);
        readProtected = false;
        r.write((byte) ACK);
        throw new ResetSignal();
    }

    /**
     * Get Checksum (0xA1, AN3155 rev. 14 §3.14): address, length in bytes (a multiple of 4), each with its XOR;
     * ACK, ACK while computing, then the CRC-32 (polynomial 0x04C11DB7, initial 0xFFFFFFFF, over little-endian
     * words as the STM32 CRC unit computes it) MSB first and its XOR.
     */
    private void checksum(final Reader r) throws IOException {
        if (readProtected) {
            r.write((byte) NACK);
            return;
        }
        r.write((byte) ACK);
        final long address = address(r);
        if (address < 0 || !readable(address, 4)) {
            r.write((byte) NACK);
            return;
        }
        r.write((byte) ACK);
        final long length = address(r);
        if (length <= 0 || length % 4 != 0 || !readable(address, length)) {
            r.write((byte) NACK);
            return;
        }
        final int crc = stm32Crc(readBytes(address, (int) length));
        final byte[] value = {(byte) (crc >>> 24), (byte) (crc >>> 16), (byte) (crc >>> 8), (byte) crc};
        r.write((byte) ACK, (byte) ACK, value[0], value[1], value[2], value[3], (byte)
                (value[0] ^ value[1] ^ value[2] ^ value[3]));
    }

    /** The STM32 CRC unit's CRC-32: MSB-first over 32-bit words read little-endian, no final XOR. */
    public static int stm32Crc(final byte[] data) {
        int crc = 0xFFFFFFFF;
        for (int i = 0; i + 3 < data.length; i += 4) {
            final int word = (data[i] & 0xFF)
                    | (data[i + 1] & 0xFF) << 8
                    | (data[i + 2] & 0xFF) << 16
                    | (data[i + 3] & 0xFF) << 24;
            crc ^= word;
            for (int bit = 0; bit < 32; bit++) {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
        }
        return crc;
    }
}
