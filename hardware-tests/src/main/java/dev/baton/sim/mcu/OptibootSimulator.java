package dev.baton.sim.mcu;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * optiboot (github.com/Optiboot/optiboot, optiboot.c) speaking its subset of STK500 version 1 (Atmel AVR061): every
 * command ends with CRC_EOP (0x20) and is answered STK_INSYNC (0x14), data, STK_OK (0x10). Implemented as optiboot
 * does: GET_PARAMETER (0x81/0x82 give the version, anything else 0x03), SET_DEVICE and SET_DEVICE_EXT (20 and 5
 * bytes, ignored), LOAD_ADDRESS (word address, little-endian), UNIVERSAL (ignored, answers 0x00), PROG_PAGE (erases
 * the page, then writes it; 'F' flash or 'E' EEPROM), READ_PAGE, READ_SIGN, LEAVE_PROGMODE (the application
 * starts); every other command, GET_SYNC and ENTER_PROGMODE included, is just acknowledged. A missing CRC_EOP makes
 * optiboot let its watchdog reset the chip into the application, so the simulator then stops answering until
 * {@link #reset()}.
 *
 * <p>Threading: see {@link BootloaderSimulator}.
 */
public final class OptibootSimulator extends BootloaderSimulator {

    public static final int STK_OK = 0x10;
    public static final int STK_INSYNC = 0x14;
    public static final int STK_NOSYNC = 0x15;
    public static final int CRC_EOP = 0x20;

    public static final int GET_SYNC = 0x30;
    public static final int GET_PARAMETER = 0x41;
    public static final int SET_DEVICE = 0x42;
    public static final int SET_DEVICE_EXT = 0x45;
    public static final int ENTER_PROGMODE = 0x50;
    public static final int LEAVE_PROGMODE = 0x51;
    public static final int LOAD_ADDRESS = 0x55;
    public static final int UNIVERSAL = 0x56;
    public static final int PROG_PAGE = 0x64;
    public static final int READ_PAGE = 0x74;
    public static final int READ_SIGN = 0x75;

    private final OptibootSimConfig config;
    private final FlashMemory flash;
    private final byte[] eeprom;
    private final byte[] bootSection;
    private volatile boolean applicationRunning;

    /** How the device thread treats the command at hand, as the fault plan says. */
    private enum Mode {
        NORMAL,
        REFUSE,
        SILENT,
        CORRUPT
    }

    public OptibootSimulator(final OptibootSimConfig config) {
        super("optiboot-sim", config.faults());
        this.config = config;
        this.flash = config.chip().newFlash();
        this.eeprom = new byte[config.chip().eepromSize()];
        Arrays.fill(eeprom, (byte) 0xFF);
        this.bootSection = new byte[config.chip().bootSize()];
        for (int i = 0; i < bootSection.length; i++) {
            bootSection[i] = (byte) (i * 7 + 0x0C); // stands for optiboot's code; must never change
        }
        flash.load(config.chip().applicationSize(), bootSection);
        weakCells().forEach(w -> flash.weakenCell(w.address(), w.clearMask()));
    }

    public OptibootSimConfig config() {
        return config;
    }

    @Override
    public FlashMemory flash() {
        return flash;
    }

    /** Whether the chip left the bootloader (LEAVE_PROGMODE, a framing error, the watchdog) and awaits a reset. */
    public boolean applicationRunning() {
        return applicationRunning;
    }

    /** Whether the boot section still holds what it held at power-up. */
    public boolean bootSectionIntact() {
        return Arrays.equals(flash.read(config.chip().applicationSize(), bootSection.length), bootSection);
    }

    @Override
    protected WireTiming timing() {
        return config.wire();
    }

    @Override
    protected void serve(final Reader r) throws IOException {
        applicationRunning = false;
        long quietSince = poweredAt();
        int address = 0;
        while (true) {
            final int command = r.read();
            if (applicationRunning) {
                continue;
            }
            if (config.watchdog().isPresent()
                    && r.lastByteAt() - quietSince > config.watchdog().get().toNanos()) {
                applicationRunning = true; // optiboot timed out before this byte and started the application
                continue;
            }
            final Optional<SimFault> fault = command(command);
            if (fault.isPresent() && fault.get() instanceof SimFault.Unplug) {
                unplugNow();
                return;
            }
            final Mode mode = fault.map(f -> f instanceof SimFault.Refuse
                            ? Mode.REFUSE
                            : f instanceof SimFault.Silence ? Mode.SILENT : Mode.CORRUPT)
                    .orElse(Mode.NORMAL);
            switch (command) {
                case GET_PARAMETER -> {
                    final int which = r.read();
                    if (endOfPacket(r)) {
                        answer(
                                r,
                                mode,
                                which == 0x81 ? config.majorVersion() : which == 0x82 ? config.minorVersion() : 0x03);
                    }
                }
                case SET_DEVICE -> {
                    r.read(20);
                    if (endOfPacket(r)) {
                        answer(r, mode);
                    }
                }
                case SET_DEVICE_EXT -> {
                    r.read(5);
                    if (endOfPacket(r)) {
                        answer(r, mode);
                    }
                }
                case LOAD_ADDRESS -> {
                    final int low = r.read();
                    final int high = r.read();
                    if (endOfPacket(r)) {
                        if (mode == Mode.NORMAL) {
                            address = ((high << 8) | low) * 2;
                        }
                        answer(r, mode);
                    }
                }
                case UNIVERSAL -> {
                    r.read(4);
                    if (endOfPacket(r)) {
                        answer(r, mode, 0x00);
                    }
                }
                case PROG_PAGE -> {
                    final int length = (r.read() << 8) | r.read();
                    final int memory = r.read();
                    final byte[] data = r.read(length);
                    if (endOfPacket(r)) {
                        if (mode == Mode.NORMAL || mode == Mode.CORRUPT) {
                            program(r, memory, address, data);
                        }
                        answer(r, mode);
                    }
                }
                case READ_PAGE -> {
                    final int length = (r.read() << 8) | r.read();
                    final int memory = r.read();
                    if (endOfPacket(r)) {
                        final byte[] data = read(memory, address, length);
                        if (mode == Mode.CORRUPT && data.length > 0) {
                            data[0] ^= 0x01;
                        }
                        answer(r, mode, data);
                    }
                }
                case READ_SIGN -> {
                    if (endOfPacket(r)) {
                        final int signature = config.chip().signature();
                        answer(r, mode, signature >> 16, (signature >> 8) & 0xFF, signature & 0xFF);
                    }
                }
                case LEAVE_PROGMODE -> {
                    if (endOfPacket(r)) {
                        // Set before the answer: a client that has read the answer must see the chip as started
                        // (on a real chip the 16 ms watchdog then resets it into the application).
                        if (mode == Mode.NORMAL) {
                            applicationRunning = true;
                        }
                        answer(r, mode);
                    }
                }
                default -> {
                    if (endOfPacket(r)) {
                        answer(r, mode);
                    }
                }
            }
            quietSince = System.nanoTime();
        }
    }

    /** optiboot's verifySpace(): anything but CRC_EOP sends the chip into the application via the watchdog. */
    private boolean endOfPacket(final Reader r) throws IOException {
        if (r.read() != CRC_EOP) {
            applicationRunning = true;
            return false;
        }
        return true;
    }

    private static void answer(final Reader r, final Mode mode, final int... data) throws IOException {
        final byte[] bytes = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            bytes[i] = (byte) data[i];
        }
        answer(r, mode, bytes);
    }

    private static void answer(final Reader r, final Mode mode, final byte[] data) throws IOException {
        switch (mode) {
            case SILENT -> {}
            case REFUSE -> r.send(STK_NOSYNC);
            default -> {
                final byte[] out = new byte[data.length + 2];
                out[0] = STK_INSYNC;
                System.arraycopy(data, 0, out, 1, data.length);
                out[out.length - 1] = STK_OK;
                r.write(out);
            }
        }
    }

    private void program(final Reader r, final int memory, final int address, final byte[] data) {
        if (memory == 'E') {
            for (int i = 0; i < data.length && address + i < eeprom.length; i++) {
                eeprom[address + i] = data[i];
            }
            return;
        }
        if (address + data.length > config.chip().applicationSize()) {
            return; // SPM cannot write the boot section: the lock bits keep optiboot safe
        }
        flash.erasePage(flash.pageAt(address));
        flash.program(address, data);
        r.busy(config.pageProgramTime());
    }

    private byte[] read(final int memory, final int address, final int length) {
        if (memory == 'E') {
            final byte[] out = new byte[length];
            for (int i = 0; i < length; i++) {
                out[i] = address + i < eeprom.length ? eeprom[address + i] : (byte) 0xFF;
            }
            return out;
        }
        return flash.read(address, Math.min(length, (int) (flash.end() - address)));
    }
}
