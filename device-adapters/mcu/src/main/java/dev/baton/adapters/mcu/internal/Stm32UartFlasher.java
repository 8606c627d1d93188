package dev.baton.adapters.mcu.internal;

import dev.baton.adapters.mcu.ChipIdentity;
import dev.baton.adapters.mcu.EraseMode;
import dev.baton.adapters.mcu.FirmwareImage;
import dev.baton.adapters.mcu.FlashException;
import dev.baton.adapters.mcu.FlashException.Reason;
import dev.baton.adapters.mcu.FlashLayout;
import dev.baton.adapters.mcu.FlashOptions;
import dev.baton.adapters.mcu.FlashPhase;
import dev.baton.adapters.mcu.FlashProgressListener;
import dev.baton.adapters.mcu.FlashReport;
import dev.baton.adapters.mcu.Flasher;
import dev.baton.adapters.mcu.SerialLink;
import dev.baton.adapters.mcu.Verification;
import dev.baton.adapters.mcu.internal.WriteWindows.Window;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jetbrains.annotations.NotNull;

/**
 * The {@code stm32-uart} back-end: the STM32 system-memory bootloader over a UART, ST AN3155 ("USART protocol used
 * in the STM32 bootloader"). Every command is the opcode and its complement, answered by ACK (0x79) or NACK (0x1F);
 * addresses are four bytes MSB first plus their XOR.
 *
 * <p>Safety rules: the chip ID is checked before anything is erased; only the pages the image covers are erased
 * unless {@link EraseMode#MASS} is asked for; option bytes are never written; read-out protection is only removed
 * (AN3155 §3.13, which mass-erases) when {@link FlashOptions#removeReadProtection()} allows it.
 *
 * <p>Verification: by the bootloader's Get Checksum (0xA1, AN3155 rev. 14 and later; offered by newer bootloaders
 * only, and listed in the Get reply when it is) where it is offered, so the image crosses the wire once; a region
 * whose checksum differs is narrowed down page by page and only the pages that differ are read back, re-erased and
 * rewritten. Without 0xA1 every block is read back (AN3155 §3.4).
 *
 * <p>Threading: confined to the calling thread, like the {@link SerialLink} it uses.
 */
final class Stm32UartFlasher implements Flasher {

    static final String ID = "stm32-uart";

    static final int ACK = 0x79;
    static final int NACK = 0x1F;
    /** Sent by some bootloaders while they work (the "no-stretch" variants); it means: keep waiting. */
    static final int BUSY = 0x76;

    static final int SYNC = 0x7F;

    static final int GET = 0x00;
    static final int GET_ID = 0x02;
    static final int READ_MEMORY = 0x11;
    static final int GO = 0x21;
    static final int WRITE_MEMORY = 0x31;
    static final int ERASE = 0x43;
    static final int EXTENDED_ERASE = 0x44;
    static final int READOUT_UNPROTECT = 0x92;
    static final int GET_CHECKSUM = 0xA1;

    /** AN3155 §3.4/§3.6: Read Memory and Write Memory move at most 256 bytes, writes a multiple of 4. */
    static final int BLOCK = 256;

    static final int WORD = 4;

    /** Extended erase takes any page count; batches keep the progress moving and the timeout meaningful. */
    static final int ERASE_BATCH = 64;

    /** What one page erase may take before the bootloader is declared silent (stm32flash allows the same). */
    static final Duration PAGE_ERASE_ALLOWANCE = Duration.ofSeconds(5);

    /** Mass erase and read-out unprotect on a 2 MiB part. */
    static final Duration MASS_ERASE_ALLOWANCE = Duration.ofSeconds(35);

    /** Programming 256 bytes: about 7 ms on an F1, far less elsewhere. */
    static final Duration BLOCK_PROGRAM_ALLOWANCE = Duration.ofSeconds(1);

    /**
     * Get Checksum: the bootloader runs the CRC unit over the area before its second ACK. The unit takes about a cycle
     * per word; this allows for bootloaders that compute in software, on a 2 MiB part too.
     */
    static final Duration CHECKSUM_ALLOWANCE = Duration.ofSeconds(1);

    static final Duration CHECKSUM_ALLOWANCE_PER_KIB = Duration.ofMillis(5);

    /** How long to wait for the answer to 0x7F before sending it again. */
    static final Duration SYNC_WAIT = Duration.ofMillis(100);

    private final BootloaderPort port;

    /** What Get, Get Version and Get ID said. */
    private record Bootloader(int version, Set<Integer> commands, int productId) {

        String versionText() {
            return (version >> 4) + "." + (version & 0x0F);
        }

        boolean offers(final int command) {
            return commands.contains(command);
        }
    }

    Stm32UartFlasher(final @NotNull SerialLink link) {
        this.port = new BootloaderPort(link);
    }

    @Override
    public @NotNull String id() {
        return ID;
    }

    @Override
    public @NotNull ChipIdentity identify() {
        return identity(connect(FlashOptions.defaults().syncAttempts()));
    }

    @Override
    public @NotNull FlashReport flash(
            final @NotNull FirmwareImage image,
            final @NotNull FlashOptions options,
            final @NotNull FlashProgressListener listener) {
        final long started = System.nanoTime();
        Bootloader found = connect(options.syncAttempts());
        if (options.expectedChipId().isPresent() && options.expectedChipId().getAsLong() != found.productId()) {
            throw new FlashException(
                    Reason.CHIP_MISMATCH,
                    String.format(
                            "the chip on %s reports product ID 0x%03X%s, but chipId expects 0x%03X; nothing was"
                                    + " erased or written. Check that the port leads to the intended board, or fix"
                                    + " chipId",
                            port.portName(),
                            found.productId(),
                            Stm32Chips.byProductId(found.productId())
                                    .map(c -> " (" + c.name() + ")")
                                    .orElse(""),
                            options.expectedChipId().getAsLong()));
        }
        ChipIdentity chip = identity(found);
        final FlashLayout layout = chip.flash();
        if (!layout.covers(image.startAddress(), image.endAddress())) {
            throw new FlashException(
                    Reason.IMAGE_OUT_OF_RANGE,
                    String.format(
                            "the image spans 0x%08X..0x%08X, but the flash of %s is 0x%08X..0x%08X; nothing was erased"
                                    + " or written. A raw binary for STM32 usually needs base address 0x08000000",
                            image.startAddress(), image.endAddress(), chip.chipName(), layout.start(), layout.end()));
        }
        require(found, WRITE_MEMORY, "Write Memory");
        require(found, READ_MEMORY, "Read Memory");
        if (!found.offers(ERASE) && !found.offers(EXTENDED_ERASE)) {
            throw unsupported(found, "Erase or Extended Erase");
        }
        final Verification verification = verification(found, options.verification());
        final List<Window> windows = WriteWindows.of(image, BLOCK, WORD);
        final boolean mass = options.eraseMode() == EraseMode.MASS;
        final List<Integer> erased = mass
                ? List.of()
                : layout.pagesHolding(image).stream()
                        .map(FlashLayout.Page::index)
                        .toList();
        try {
            erase(found, mass, erased, listener, options.retries());
        } catch (final FlashException refused) {
            // A read-protected chip refuses erasing (and reading): only then is it worth asking, so an unprotected
            // chip pays nothing for the check. A refused erase erased nothing.
            if (refused.reason() != Reason.REFUSED || !readProtected(layout.start())) {
                throw refused;
            }
            if (!options.removeReadProtection()) {
                throw new FlashException(
                        Reason.READ_PROTECTED,
                        "the chip on " + port.portName() + " is read-protected (it refuses Erase and Read Memory);"
                                + " nothing was erased or written. Removing the protection mass-erases the chip: set"
                                + " removeReadProtection to allow that",
                        layout.start(),
                        refused);
            }
            removeReadProtection(found);
            found = connect(options.syncAttempts());
            chip = identity(found);
            erase(found, mass, erased, listener, options.retries());
        }

        // Erased flash reads 0xFF already: a block of nothing but 0xFF (padding, gaps) needs no Write Memory, and
        // verification still reads it back.
        final List<Window> toWrite =
                windows.stream().filter(w -> !WriteWindows.erased(w)).toList();
        final long bytes = toWrite.stream().mapToLong(w -> w.data().length).sum();
        final ProgressMeter writing = new ProgressMeter(listener, FlashPhase.WRITE, bytes);
        for (final Window window : toWrite) {
            writeWithRetries(window, options.retries());
            writing.advance(window.data().length);
        }

        final TreeSet<Integer> rewritten = new TreeSet<>();
        if (verification != Verification.NONE) {
            List<Window> suspects = verify(verification, windows, layout, listener, options.retries());
            int round = 0;
            while (!suspects.isEmpty()) {
                if (round == options.rewriteRounds()) {
                    throw verifyFailed(suspects.get(0), round);
                }
                round++;
                final TreeSet<Integer> pages = WriteWindows.pagesOf(suspects, layout);
                final List<Window> affected = WriteWindows.touching(windows, pages, layout);
                pages.addAll(WriteWindows.pagesOf(affected, layout));
                rewritten.addAll(pages);
                erasePages(found, List.copyOf(pages), listener, options.retries());
                final List<Window> rewrite =
                        affected.stream().filter(w -> !WriteWindows.erased(w)).toList();
                final ProgressMeter rewriting = new ProgressMeter(
                        listener,
                        FlashPhase.REWRITE,
                        rewrite.stream().mapToLong(w -> w.data().length).sum());
                for (final Window window : rewrite) {
                    writeWithRetries(window, options.retries());
                    rewriting.advance(window.data().length);
                }
                suspects = verify(verification, affected, layout, listener, options.retries());
            }
        }

        if (options.startApplication()) {
            require(found, GO, "Go");
            go(image.startAddress(), options.retries());
        }
        return new FlashReport(
                chip,
                bytes,
                erased,
                mass,
                verification,
                List.copyOf(rewritten),
                Duration.ofNanos(System.nanoTime() - started));
    }

    // ---- AN3155 §2: synchronisation, §3.1 Get, §3.3 Get ID ----

    private Bootloader connect(final int attempts) {
        sync(attempts);
        command(GET, "Get", -1);
        final int count = port.receive(1, Duration.ZERO, "Get", -1)[0] & 0xFF;
        final byte[] reply = port.receive(count + 1, Duration.ZERO, "Get", -1);
        expectAck(Duration.ZERO, "Get", -1);
        final Set<Integer> commands = new HashSet<>();
        for (int i = 1; i < reply.length; i++) {
            commands.add(reply[i] & 0xFF);
        }
        // Get's reply carries the version already; Get Version (§3.2) would add only the legacy option bytes, which
        // flashing does not use: one round trip less.
        final int version = reply[0] & 0xFF;
        if (!commands.contains(GET_ID)) {
            throw new FlashException(
                    Reason.UNSUPPORTED, "the bootloader on " + port.portName() + " does not offer Get ID (0x02)");
        }
        command(GET_ID, "Get ID", -1);
        final int idLength = port.receive(1, Duration.ZERO, "Get ID", -1)[0] & 0xFF;
        final byte[] id = port.receive(idLength + 1, Duration.ZERO, "Get ID", -1);
        expectAck(Duration.ZERO, "Get ID", -1);
        if (id.length < 2) {
            throw new FlashException(
                    Reason.PROTOCOL_ERROR,
                    "Get ID returned " + id.length + " byte(s); AN3155 gives the product ID in 2");
        }
        return new Bootloader(version, Set.copyOf(commands), ((id[0] & 0xFF) << 8) | (id[1] & 0xFF));
    }

    /**
     * Sends 0x7F until the bootloader answers. A fresh bootloader measures the baud rate on it and ACKs; one that is
     * already synchronised takes it for a command, waits for the complement, and NACKs the next 0x7F: both mean the
     * link is ready.
     */
    private void sync(final int attempts) {
        port.discardInput("synchronising");
        for (int attempt = 1; attempt <= attempts; attempt++) {
            port.send(new byte[] {(byte) SYNC}, "synchronising", -1);
            // One read slice (100 ms) where the two bytes' wire time fits in it, so that silence costs one slice.
            final Duration wait = port.wireTime(2).compareTo(SYNC_WAIT.dividedBy(2)) < 0
                    ? SYNC_WAIT
                    : SYNC_WAIT.plus(port.wireTime(2));
            final var answer = port.poll(wait, "synchronising");
            if (answer.isPresent() && (answer.getAsInt() == ACK || answer.getAsInt() == NACK)) {
                return;
            }
            if (answer.isPresent()) {
                port.discardInput("synchronising");
            }
        }
        throw new FlashException(
                Reason.NO_SYNC,
                "the STM32 bootloader on " + port.portName() + " did not answer 0x7F in " + attempts + " attempts at "
                        + port.link().config().baud() + " baud, " + frame() + ". Check that BOOT0 is high and the"
                        + " chip was reset, that this is the right port, and that the frame is 8E1 (pseudo-terminals"
                        + " carry 8N1 only)");
    }

    private String frame() {
        final var config = port.link().config();
        return "8" + config.parity().name().charAt(0) + config.stopBits();
    }

    private ChipIdentity identity(final Bootloader found) {
        final Stm32Chips.Chip chip = Stm32Chips.byProductId(found.productId())
                .orElseThrow(() -> new FlashException(
                        Reason.UNKNOWN_CHIP,
                        String.format(
                                "the chip on %s reports product ID 0x%03X, which this flasher has no flash layout for;"
                                        + " nothing was erased or written",
                                port.portName(), found.productId())));
        return new ChipIdentity(ID, found.productId(), chip.name(), found.versionText(), chip.flash());
    }

    // ---- commands ----

    private void command(final int opcode, final String what, final long address) {
        port.send(new byte[] {(byte) opcode, (byte) ~opcode}, what, address);
        expectAck(Duration.ZERO, what, address);
    }

    private void expectAck(final Duration work, final String what, final long address) {
        while (true) {
            final int answer = port.receive(1, work, what, address)[0] & 0xFF;
            if (answer == ACK) {
                return;
            }
            if (answer == NACK) {
                throw new FlashException(
                        Reason.REFUSED, what + BootloaderPort.at(address) + " was refused (NACK)", address, null);
            }
            if (answer != BUSY) {
                throw new FlashException(
                        Reason.PROTOCOL_ERROR,
                        String.format(
                                "%s%s: expected ACK (0x79) or NACK (0x1F), but got 0x%02X; the link may be noisy or"
                                        + " the baud rate wrong",
                                what, BootloaderPort.at(address), answer),
                        address,
                        null);
            }
        }
    }

    private static byte[] addressFrame(final long address) {
        final byte[] frame = new byte[5];
        for (int i = 0; i < 4; i++) {
            frame[i] = (byte) (address >>> (24 - 8 * i));
        }
        frame[4] = (byte) (frame[0] ^ frame[1] ^ frame[2] ^ frame[3]);
        return frame;
    }

    /** Probes read-out protection: a protected chip refuses Read Memory (AN3155 §3.4) right at the command. */
    private boolean readProtected(final long address) {
        try {
            command(READ_MEMORY, "Read Memory", address);
        } catch (final FlashException e) {
            if (e.reason() == Reason.REFUSED) {
                return true;
            }
            throw e;
        }
        port.send(addressFrame(address), "Read Memory", address);
        expectAck(Duration.ZERO, "Read Memory", address);
        port.send(new byte[] {(byte) (WORD - 1), (byte) ~(WORD - 1)}, "Read Memory", address);
        expectAck(Duration.ZERO, "Read Memory", address);
        port.receive(WORD, Duration.ZERO, "Read Memory", address);
        return false;
    }

    /** AN3155 §3.13 Readout Unprotect: two ACKs, then the chip mass-erases and resets, so it must be synced again. */
    private void removeReadProtection(final Bootloader found) {
        require(found, READOUT_UNPROTECT, "Readout Unprotect");
        command(READOUT_UNPROTECT, "Readout Unprotect", -1);
        expectAck(MASS_ERASE_ALLOWANCE, "Readout Unprotect", -1);
    }

    private void erase(
            final Bootloader found,
            final boolean mass,
            final List<Integer> pages,
            final FlashProgressListener listener,
            final int retries) {
        if (mass) {
            massErase(found, listener);
        } else {
            erasePages(found, pages, listener, retries);
        }
    }

    private void massErase(final Bootloader found, final FlashProgressListener listener) {
        final ProgressMeter meter = new ProgressMeter(listener, FlashPhase.ERASE, 1);
        if (found.offers(EXTENDED_ERASE)) {
            command(EXTENDED_ERASE, "Extended Erase", -1);
            port.send(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x00}, "mass erase", -1);
        } else {
            command(ERASE, "Erase", -1);
            port.send(new byte[] {(byte) 0xFF, 0x00}, "mass erase", -1);
        }
        expectAck(MASS_ERASE_ALLOWANCE, "mass erase", -1);
        meter.advance(1);
    }

    /** AN3155 §3.7 Erase (one-byte page numbers) or §3.8 Extended Erase (two-byte page numbers). */
    private void erasePages(
            final Bootloader found,
            final List<Integer> pages,
            final FlashProgressListener listener,
            final int retries) {
        final boolean extended = found.offers(EXTENDED_ERASE);
        final ProgressMeter meter = new ProgressMeter(listener, FlashPhase.ERASE, pages.size());
        for (int from = 0; from < pages.size(); from += ERASE_BATCH) {
            final List<Integer> batch = pages.subList(from, Math.min(pages.size(), from + ERASE_BATCH));
            final byte[] frame = extended ? extendedEraseFrame(batch) : eraseFrame(batch);
            final long address = -1;
            final String what = "erasing page" + (batch.size() == 1 ? " " : "s ") + batch.get(0)
                    + (batch.size() == 1 ? "" : ".." + batch.get(batch.size() - 1));
            withRetries(retries, what, address, () -> {
                command(extended ? EXTENDED_ERASE : ERASE, what, address);
                port.send(frame, what, address);
                expectAck(PAGE_ERASE_ALLOWANCE.multipliedBy(batch.size()), what, address);
            });
            meter.advance(batch.size());
        }
    }

    private static byte[] eraseFrame(final List<Integer> pages) {
        final byte[] frame = new byte[pages.size() + 2];
        frame[0] = (byte) (pages.size() - 1);
        byte checksum = frame[0];
        for (int i = 0; i < pages.size(); i++) {
            if (pages.get(i) > 0xFF) {
                throw new FlashException(
                        Reason.UNSUPPORTED,
                        "page " + pages.get(i) + " cannot be named by the one-byte Erase command (0x43), and the"
                                + " bootloader does not offer Extended Erase; use eraseMode MASS");
            }
            frame[i + 1] = (byte) (int) pages.get(i);
            checksum ^= frame[i + 1];
        }
        frame[frame.length - 1] = checksum;
        return frame;
    }

    private static byte[] extendedEraseFrame(final List<Integer> pages) {
        final byte[] frame = new byte[2 + 2 * pages.size() + 1];
        final int count = pages.size() - 1;
        frame[0] = (byte) (count >> 8);
        frame[1] = (byte) count;
        for (int i = 0; i < pages.size(); i++) {
            frame[2 + 2 * i] = (byte) (pages.get(i) >> 8);
            frame[3 + 2 * i] = (byte) (int) pages.get(i);
        }
        byte checksum = 0;
        for (int i = 0; i < frame.length - 1; i++) {
            checksum ^= frame[i];
        }
        frame[frame.length - 1] = checksum;
        return frame;
    }

    /** AN3155 §3.6 Write Memory: address, then N-1, N bytes and the XOR of N-1 and the bytes. */
    private void writeWithRetries(final Window window, final int retries) {
        final byte[] data = window.data();
        final byte[] frame = new byte[data.length + 2];
        frame[0] = (byte) (data.length - 1);
        byte checksum = frame[0];
        for (int i = 0; i < data.length; i++) {
            frame[i + 1] = data[i];
            checksum ^= data[i];
        }
        frame[frame.length - 1] = checksum;
        final byte[] address = addressFrame(window.address());
        withRetries(retries, "Write Memory", window.address(), () -> {
            command(WRITE_MEMORY, "Write Memory", window.address());
            port.send(address, "Write Memory", window.address());
            expectAck(Duration.ZERO, "Write Memory", window.address());
            port.send(frame, "Write Memory", window.address());
            expectAck(BLOCK_PROGRAM_ALLOWANCE, "Write Memory", window.address());
        });
    }

    /**
     * The method {@code asked} comes to with this bootloader: {@link Verification#AUTO} is the checksum where Get
     * offers Get Checksum (0xA1), read-back where it does not. Checked before anything is erased.
     */
    private Verification verification(final Bootloader found, final Verification asked) {
        return switch (asked) {
            case AUTO -> found.offers(GET_CHECKSUM) ? Verification.CHECKSUM : Verification.READBACK;
            case CHECKSUM -> {
                if (!found.offers(GET_CHECKSUM)) {
                    throw new FlashException(
                            Reason.UNSUPPORTED,
                            "the bootloader on " + port.portName() + " (version " + found.versionText()
                                    + ") does not offer Get Checksum (0xA1), but verify is checksum; nothing was"
                                    + " erased or written. Use verify auto (read-back where there is no checksum)"
                                    + " or readback");
                }
                yield Verification.CHECKSUM;
            }
            case READBACK, NONE -> asked;
        };
    }

    /** Checks {@code windows} against the flash with {@code method}; returns the windows whose bytes differ. */
    private List<Window> verify(
            final Verification method,
            final List<Window> windows,
            final FlashLayout layout,
            final FlashProgressListener listener,
            final int retries) {
        final ProgressMeter meter = new ProgressMeter(
                listener,
                FlashPhase.VERIFY,
                windows.stream().mapToLong(w -> w.data().length).sum());
        final List<Window> differing = new ArrayList<>();
        if (method == Verification.READBACK) {
            for (final Window window : windows) {
                if (!readBackMatches(window, retries)) {
                    differing.add(window);
                }
                meter.advance(window.data().length);
            }
            return differing;
        }
        for (final List<Window> region : regions(windows)) {
            final long from = region.get(0).address();
            final long to = region.get(region.size() - 1).end();
            final byte[] expected = concat(region);
            if (!checksumMatches(from, expected, 0, expected.length, retries)) {
                // Narrow down page by page (a few bytes on the wire each), then read back only the windows of the
                // pages whose checksum differs: they say which bytes are wrong, and read-back has the last word.
                final Set<Long> readBack = new HashSet<>();
                for (long at = from; at < to; ) {
                    final FlashLayout.Page page = layout.pageAt(at);
                    final long until = Math.min(to, page.end());
                    if (!checksumMatches(at, expected, (int) (at - from), (int) (until - at), retries)) {
                        for (final Window window : region) {
                            if (window.address() < until && window.end() > at && readBack.add(window.address())) {
                                if (!readBackMatches(window, retries)) {
                                    differing.add(window);
                                }
                            }
                        }
                    }
                    at = until;
                }
            }
            meter.advance(expected.length);
        }
        return differing;
    }

    /** Runs of windows that follow each other without a gap: one checksum each. */
    private static List<List<Window>> regions(final List<Window> windows) {
        final List<List<Window>> regions = new ArrayList<>();
        List<Window> current = new ArrayList<>();
        for (final Window window : windows) {
            if (!current.isEmpty() && current.get(current.size() - 1).end() != window.address()) {
                regions.add(current);
                current = new ArrayList<>();
            }
            current.add(window);
        }
        if (!current.isEmpty()) {
            regions.add(current);
        }
        return regions;
    }

    private static byte[] concat(final List<Window> region) {
        final byte[] bytes = new byte
                [(int) (region.get(region.size() - 1).end() - region.get(0).address())];
        int at = 0;
        for (final Window window : region) {
            System.arraycopy(window.data(), 0, bytes, at, window.data().length);
            at += window.data().length;
        }
        return bytes;
    }

    /**
     * Get Checksum (0xA1; the framing stm32flash uses): the address and then the length in bytes, each four bytes MSB
     * first with their XOR and each ACKed; a second ACK when the CRC is computed; then the CRC MSB first and the XOR
     * of its bytes. Compared with {@link Stm32Crc} of the image's bytes.
     */
    private boolean checksumMatches(
            final long address, final byte[] image, final int offset, final int length, final int retries) {
        final int expected = Stm32Crc.of(image, offset, length);
        final Duration computing = CHECKSUM_ALLOWANCE.plus(CHECKSUM_ALLOWANCE_PER_KIB.multipliedBy(length / 1024 + 1));
        final int[] crc = new int[1];
        withRetries(retries, "Get Checksum", address, () -> {
            command(GET_CHECKSUM, "Get Checksum", address);
            port.send(addressFrame(address), "Get Checksum", address);
            expectAck(Duration.ZERO, "Get Checksum", address);
            port.send(addressFrame(length), "Get Checksum", address);
            expectAck(Duration.ZERO, "Get Checksum", address);
            expectAck(computing, "Get Checksum", address);
            final byte[] answer = port.receive(5, Duration.ZERO, "Get Checksum", address);
            if ((answer[0] ^ answer[1] ^ answer[2] ^ answer[3]) != answer[4]) {
                throw new FlashException(
                        Reason.PROTOCOL_ERROR,
                        String.format(
                                "Get Checksum at 0x%08X: the CRC's check byte does not match its bytes; the link may"
                                        + " be noisy or the baud rate wrong",
                                address),
                        address,
                        null);
            }
            crc[0] = (answer[0] & 0xFF) << 24 | (answer[1] & 0xFF) << 16 | (answer[2] & 0xFF) << 8 | (answer[3] & 0xFF);
        });
        return crc[0] == expected;
    }

    /** AN3155 §3.4 Read Memory of one window; whether its bytes are the window's. */
    private boolean readBackMatches(final Window window, final int retries) {
        final int length = window.data().length;
        final byte[][] read = new byte[1][];
        withRetries(retries, "Read Memory", window.address(), () -> {
            command(READ_MEMORY, "Read Memory", window.address());
            port.send(addressFrame(window.address()), "Read Memory", window.address());
            expectAck(Duration.ZERO, "Read Memory", window.address());
            port.send(new byte[] {(byte) (length - 1), (byte) ~(length - 1)}, "Read Memory", window.address());
            expectAck(Duration.ZERO, "Read Memory", window.address());
            read[0] = port.receive(length, Duration.ZERO, "Read Memory", window.address());
        });
        return Arrays.equals(read[0], window.data());
    }

    private void go(final long address, final int retries) {
        withRetries(retries, "Go", address, () -> {
            command(GO, "Go", address);
            port.send(addressFrame(address), "Go", address);
            expectAck(Duration.ZERO, "Go", address);
        });
    }

    /** Repeats {@code action} while the bootloader NACKs it, at most {@code retries} more times. */
    private static void withRetries(final int retries, final String what, final long address, final Runnable action) {
        RefusalRetries.run(
                retries,
                what,
                address,
                " (NACK)",
                "the address may be protected or outside flash, or the link corrupts bytes. Check write protection"
                        + " and the wiring, then flash again",
                () -> {},
                action);
    }

    private FlashException verifyFailed(final Window window, final int rounds) {
        final byte[] expected = window.data();
        return new FlashException(
                Reason.VERIFY_FAILED,
                String.format(
                        "read-back of %d bytes at 0x%08X differs from the image after %d rewrite round(s); the flash"
                                + " may be worn or write-protected (check the option bytes with ST tools)",
                        expected.length, window.address(), rounds),
                window.address(),
                null);
    }

    private static void require(final Bootloader found, final int command, final String name) {
        if (!found.offers(command)) {
            throw unsupported(found, String.format("%s (0x%02X)", name, command));
        }
    }

    private static FlashException unsupported(final Bootloader found, final String what) {
        return new FlashException(
                Reason.UNSUPPORTED,
                "the bootloader (version " + found.versionText() + ") does not offer " + what
                        + ", which flashing needs");
    }
}
