package dev.baton.sim.mcu;

import dev.baton.adapters.mcu.Parity;
import dev.baton.adapters.mcu.ResetLines;
import dev.baton.adapters.mcu.SerialLink;
import dev.baton.adapters.mcu.SerialLinkConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A bootloader simulator on a pty pair with a Baton {@link SerialLink} open on the client end (8N1: ptys drop
 * parity). {@link #replug()} makes a fresh pair after an unplug, as a user plugging the adapter back in.
 */
final class SimulatorRig implements AutoCloseable {

    private final Path dir;
    private final BootloaderSimulator sim;
    private final ResetLines resetLines;
    private PtyPair pair;
    private SerialLink link;
    private int generation;

    private SimulatorRig(final Path dir, final BootloaderSimulator sim, final ResetLines resetLines) {
        this.dir = dir;
        this.sim = sim;
        this.resetLines = resetLines;
    }

    /** {@code sim} on a new pty pair; the link has no reset lines. */
    static SimulatorRig start(final Path dir, final BootloaderSimulator sim) throws IOException {
        return start(dir, sim, ResetLines.none());
    }

    /** {@code sim} on a new pty pair; {@code resetLines} stand in for the board's DTR/RTS wiring. */
    static SimulatorRig start(final Path dir, final BootloaderSimulator sim, final ResetLines resetLines)
            throws IOException {
        ExternalTool.requireSocat();
        final SimulatorRig rig = new SimulatorRig(dir, sim, resetLines);
        rig.replug();
        return rig;
    }

    static SerialLinkConfig linkConfig(final PtyPair pair) {
        return SerialLinkConfig.builder(pair.clientEnd().toString())
                .baud(115_200)
                .parity(Parity.NONE)
                .controlLines(SerialLinkConfig.ControlLines.NONE)
                .responseTimeout(Duration.ofMillis(300))
                .build();
    }

    /** Drops the current pair and link, and connects the same chip through new ones. */
    void replug() throws IOException {
        closeLink();
        pair = PtyPair.open(dir, "pty" + generation++);
        sim.attach(pair);
        link = SerialLink.open(linkConfig(pair), resetLines);
    }

    SerialLink link() {
        return link;
    }

    PtyPair pair() {
        return pair;
    }

    private void closeLink() {
        if (link != null) {
            link.close();
        }
        if (pair != null) {
            pair.close();
        }
    }

    @Override
    public void close() {
        closeLink();
        sim.close();
    }
}
