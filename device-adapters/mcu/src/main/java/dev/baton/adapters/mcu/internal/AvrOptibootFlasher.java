package dev.baton.adapters.mcu.internal;

import dev.baton.adapters.mcu.ChipIdentity;
import dev.baton.adapters.mcu.FirmwareImage;
import dev.baton.adapters.mcu.FlashException;
import dev.baton.adapters.mcu.FlashException.Reason;
import dev.baton.adapters.mcu.FlashLayout;
import dev.baton.adapters.mcu.FlashOptions;
import dev.baton.adapters.mcu.FlashPhase;
import dev.baton.adapters.mcu.FlashProgressListener;
import dev.baton.adapters.mcu.FlashReport;
import dev.baton.adapters.mcu.Flasher;
import dev.baton.adapters.mcu.ResetLines;
import dev.baton.adapters.mcu.SerialLink;
import dev.baton.adapters.mcu.Verification;
import dev.baton.adapters.mcu.internal.WriteWindows.Window;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import org.jetbrains.annotations.NotNull;

/**
 * The {@code avr-optiboot} back-end: optiboot's subset of Atmel's STK500 protocol version 1 (AVR061, "STK500
 * Communication Protocol"). Each command ends with CRC_EOP (0x20) and is answered STK_INSYNC (0x14), any data, then
 * STK_OK (0x10). LOAD_ADDRESS takes a word address, little-endian; PROG_PAGE erases and writes one page, so a page
 * is always sent whole, padded with 0xFF.
 *
 * <p>Before synchronising it pulses DTR/RTS as the Arduino auto-reset circuit expects (release 250 ms, assert, 50 ms
 * for optiboot to start), unless the link has no {@link ResetLines}. Safety: the signature is checked before anything
 * is written, and the boot section at the top of flash is never written.
 *
 * <p>Threading: confined to the calling thread, like the {@link SerialLink} it uses.
 */
final class AvrOptibootFlasher implements Flasher {

    static final String ID = "avr-optiboot";

    static final int STK_OK = 0x10;
    static final int STK_FAILED = 0x11;
    static final int STK_INSYNC = 0x14;
    static final int STK_NOSYNC = 0x15;
    static final int CRC_EOP = 0x20;

    static final int GET_SYNC = 0x30;
    static final int GET_PARAMETER = 0x41;
    static final int ENTER_PROGMODE = 0x50;
    static final int LEAVE_PROGMODE = 0x51;
    static final int LOAD_ADDRESS = 0x55;
    static final int PROG_PAGE = 0x64;
    static final int READ_PAGE = 0x74;
    static final int READ_SIGN = 0x75;

    static final int SW_MAJOR = 0x81;
    static final int SW_MINOR = 0x82;
    static final byte MEMORY_FLASH = 'F';

    static final Duration RESET_RELEASE = Duration.ofMillis(250);
    static final Duration BOOT_DELAY = Duration.ofMillis(50);
    static final Duration SYNC_WAIT = Duration.ofMillis(200);
    /** A page erase plus write takes about 4.5 ms on an ATmega328P. */
    static final Duration PAGE_PROGRAM_ALLOWANCE = Duration.ofMillis(500);

    private final BootloaderPort port;
    private final ResetLines resetLines;

    private record Session(AvrChips.Chip chip, int signature, String version) {}

    AvrOptibootFlasher(final @NotNull SerialLink link) {
        this.port = new BootloaderPort(link);
        this.resetLines = link.resetLines();
    }

    @Override
    public @NotNull String id() {
        return ID;
    }

    @Override
    public @NotNull ChipIdentity identify() {
        final Session session = connect(FlashOptions.defaults().syncAttempts());
        try {
            return identity(session);
        } finally {
            leaveProgrammingMode();
        }
    }

    @Override
    public @NotNull FlashReport flash(
            final @NotNull FirmwareImage image,
            final @NotNull FlashOptions options,
            final @NotNull FlashProgressListener listener) {
        final long started = System.nanoTime();
        final Session session = connect(options.syncAttempts());
        if (options.expectedChipId().isPresent() && options.expectedChipId().getAsLong() != session.signature()) {
            throw new FlashException(
                    Reason.CHIP_MISMATCH,
                    String.format(
                            "the chip on %s has signature 0x%06X%s, but chipId expects 0x%06X; nothing was written."
                                    + " Check that the port leads to the intended board, or fix chipId",
                            port.portName(),
                            session.signature(),
                            session.chip() == null ? "" : " (" + session.chip().name() + ")",
                            options.expectedChipId().getAsLong()));
        }
        final ChipIdentity chip = identity(session);
        final FlashLayout layout = chip.flash();
        if (!layout.covers(image.startAddress(), image.endAddress())) {
            throw new FlashException(
                    Reason.IMAGE_OUT_OF_RANGE,
                    String.format(
                            "the image spans 0x%05X..0x%05X, but the application section of %s is 0x%05X..0x%05X"
                                    + " (the boot section above holds optiboot); nothing was written",
                            image.startAddress(), image.endAddress(), chip.chipName(), layout.start(), layout.end()));
        }
        if (options.verification() == Verification.CHECKSUM) {
            throw new FlashException(
                    Reason.UNSUPPORTED,
                    "optiboot (STK500v1) has no checksum command, but verify is checksum; nothing was written. Use"
                            + " verify auto or readback");
        }
        final int pageSize = session.chip().pageSize();
        final List<Window> pages = WriteWindows.of(image, pageSize, pageSize);
        final long bytes = pages.stream().mapToLong(w -> w.data().length).sum();
        final ProgressMeter writing = new ProgressMeter(listener, FlashPhase.WRITE, bytes);
        for (final Window page : pages) {
            program(page, options.retries());
            writing.advance(page.data().length);
        }
        final TreeSet<Integer> rewritten = new TreeSet<>();
        if (options.verify()) {
            List<Window> suspects = verify(pages, FlashPhase.VERIFY, listener, options.retries());
            int round = 0;
            while (!suspects.isEmpty()) {
                if (round == options.rewriteRounds()) {
                    final Window bad = suspects.get(0);
                    throw new FlashException(
                            Reason.VERIFY_FAILED,
                            String.format(
                                    "read-back of the page at 0x%05X differs from the image after %d rewrite round(s);"
                                            + " the flash may be worn, or lock bits keep it from being written",
                                    bad.address(), round),
                            bad.address(),
                            null);
                }
                round++;
                final ProgressMeter rewriting = new ProgressMeter(
                        listener,
                        FlashPhase.REWRITE,
                        suspects.stream().mapToLong(w -> w.data().length).sum());
                for (final Window page : suspects) {
                    rewritten.add(layout.pageAt(page.address()).index());
                    program(page, options.retries());
                    rewriting.advance(page.data().length);
                }
                suspects = verify(suspects, FlashPhase.VERIFY, listener, options.retries());
            }
        }
        leaveProgrammingMode();
        final List<Integer> written = new ArrayList<>();
        pages.forEach(p -> written.add(layout.pageAt(p.address()).index()));
        return new FlashReport(
                chip,
                bytes,
                written,
                false,
                options.verify() ? Verification.READBACK : Verification.NONE,
                List.copyOf(rewritten),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private Session connect(final int attempts) {
        reset();
        sync(attempts);
        final int major = parameter(SW_MAJOR);
        final int minor = parameter(SW_MINOR);
        exchange(new byte[] {ENTER_PROGMODE, CRC_EOP}, 0, Duration.ZERO, "ENTER_PROGMODE", -1);
        final byte[] signature = exchange(new byte[] {READ_SIGN, CRC_EOP}, 3, Duration.ZERO, "READ_SIGN", -1);
        final int value = ((signature[0] & 0xFF) << 16) | ((signature[1] & 0xFF) << 8) | (signature[2] & 0xFF);
        return new Session(AvrChips.bySignature(value).orElse(null), value, "optiboot " + major + "." + minor);
    }

    /** The Arduino auto-reset: DTR (and RTS) low through a capacitor pulls RESET low; optiboot starts on release. */
    private void reset() {
        if (!resetLines.present()) {
            return;
        }
        resetLines.setDtr(false);
        resetLines.setRts(false);
        pause(RESET_RELEASE);
        resetLines.setDtr(true);
        resetLines.setRts(true);
        pause(BOOT_DELAY);
    }

    private void sync(final int attempts) {
        port.discardInput("GET_SYNC");
        for (int attempt = 1; attempt <= attempts; attempt++) {
            port.send(new byte[] {GET_SYNC, CRC_EOP}, "GET_SYNC", -1);
            // Whole read slices (100 ms each) where the wire time fits in the wait, so that silence costs no extra one.
            final var first = port.poll(
                    port.wireTime(4).compareTo(SYNC_WAIT.dividedBy(4)) < 0
                            ? SYNC_WAIT
                            : SYNC_WAIT.plus(port.wireTime(4)),
                    "GET_SYNC");
            if (first.isPresent() && first.getAsInt() == STK_INSYNC) {
                final var second = port.poll(SYNC_WAIT, "GET_SYNC");
                if (second.isPresent() && second.getAsInt() == STK_OK) {
                    return;
                }
            }
            port.discardInput("GET_SYNC");
        }
        throw new FlashException(
                Reason.NO_SYNC,
                "optiboot on " + port.portName() + " did not answer GET_SYNC in " + attempts + " attempts at "
                        + port.link().config().baud() + " baud. Check the port and baud (115200 for optiboot on a"
                        + " 16 MHz Uno), and that the board resets on DTR"
                        + (resetLines.present() ? "" : " (this link has no reset lines: reset the board by hand)"));
    }

    private int parameter(final int parameter) {
        return exchange(new byte[] {GET_PARAMETER, (byte) parameter, CRC_EOP}, 1, Duration.ZERO, "GET_PARAMETER", -1)[0]
                & 0xFF;
    }

    private ChipIdentity identity(final Session session) {
        if (session.chip() == null) {
            throw new FlashException(
                    Reason.UNKNOWN_CHIP,
                    String.format(
                            "the chip on %s has signature 0x%06X, which this flasher has no page size for; nothing"
                                    + " was written",
                            port.portName(), session.signature()));
        }
        final AvrChips.Chip chip = session.chip();
        return new ChipIdentity(
                ID,
                session.signature(),
                chip.name(),
                session.version(),
                FlashLayout.uniform(0, chip.pageSize(), chip.applicationSize() / chip.pageSize()));
    }

    private void program(final Window page, final int retries) {
        final byte[] data = page.data();
        final byte[] frame = new byte[data.length + 5];
        frame[0] = PROG_PAGE;
        frame[1] = (byte) (data.length >> 8);
        frame[2] = (byte) data.length;
        frame[3] = MEMORY_FLASH;
        System.arraycopy(data, 0, frame, 4, data.length);
        frame[frame.length - 1] = CRC_EOP;
        withRetries(retries, "PROG_PAGE", page.address(), () -> {
            loadAddress(page.address());
            exchange(frame, 0, PAGE_PROGRAM_ALLOWANCE, "PROG_PAGE", page.address());
        });
    }

    private List<Window> verify(
            final List<Window> pages, final FlashPhase phase, final FlashProgressListener listener, final int retries) {
        final ProgressMeter meter = new ProgressMeter(
                listener, phase, pages.stream().mapToLong(w -> w.data().length).sum());
        final List<Window> differing = new ArrayList<>();
        for (final Window page : pages) {
            final int length = page.data().length;
            final byte[][] read = new byte[1][];
            withRetries(retries, "READ_PAGE", page.address(), () -> {
                loadAddress(page.address());
                read[0] = exchange(
                        new byte[] {READ_PAGE, (byte) (length >> 8), (byte) length, MEMORY_FLASH, CRC_EOP},
                        length,
                        Duration.ZERO,
                        "READ_PAGE",
                        page.address());
            });
            if (!Arrays.equals(read[0], page.data())) {
                differing.add(page);
            }
            meter.advance(length);
        }
        return differing;
    }

    private void loadAddress(final long byteAddress) {
        final long word = byteAddress >> 1;
        exchange(
                new byte[] {LOAD_ADDRESS, (byte) word, (byte) (word >> 8), CRC_EOP},
                0,
                Duration.ZERO,
                "LOAD_ADDRESS",
                byteAddress);
    }

    /** Leaving programming mode makes optiboot start the application through a watchdog reset. */
    private void leaveProgrammingMode() {
        exchange(new byte[] {LEAVE_PROGMODE, CRC_EOP}, 0, Duration.ZERO, "LEAVE_PROGMODE", -1);
    }

    /** Sends {@code frame} and reads STK_INSYNC, {@code replyLength} bytes, STK_OK. */
    private byte[] exchange(
            final byte[] frame, final int replyLength, final Duration work, final String what, final long address) {
        port.send(frame, what, address);
        final int first = port.receive(1, work, what, address)[0] & 0xFF;
        if (first == STK_NOSYNC) {
            throw new FlashException(
                    Reason.REFUSED, what + BootloaderPort.at(address) + " was answered STK_NOSYNC", address, null);
        }
        if (first != STK_INSYNC) {
            throw protocolError(what, address, "STK_INSYNC (0x14)", first);
        }
        final byte[] reply = replyLength == 0 ? new byte[0] : port.receive(replyLength, Duration.ZERO, what, address);
        final int last = port.receive(1, Duration.ZERO, what, address)[0] & 0xFF;
        if (last == STK_FAILED) {
            throw new FlashException(
                    Reason.REFUSED, what + BootloaderPort.at(address) + " was answered STK_FAILED", address, null);
        }
        if (last != STK_OK) {
            throw protocolError(what, address, "STK_OK (0x10)", last);
        }
        return reply;
    }

    private static FlashException protocolError(
            final String what, final long address, final String expected, final int got) {
        return new FlashException(
                Reason.PROTOCOL_ERROR,
                String.format(
                        "%s%s: expected %s, but got 0x%02X; the link may be noisy or the baud rate wrong",
                        what, BootloaderPort.at(address), expected, got),
                address,
                null);
    }

    /** Repeats {@code action} after re-synchronising while optiboot refuses it, at most {@code retries} more times. */
    private void withRetries(final int retries, final String what, final long address, final Runnable action) {
        RefusalRetries.run(
                retries,
                what,
                address,
                "",
                "the link may corrupt bytes. Check the wiring and baud rate, then flash again",
                () -> sync(3),
                action);
    }

    private static void pause(final Duration duration) {
        LockSupport.parkNanos(duration.toNanos());
        BootloaderPort.checkInterrupted("synchronising", -1);
    }
}
