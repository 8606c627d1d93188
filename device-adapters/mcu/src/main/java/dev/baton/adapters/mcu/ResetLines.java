package dev.baton.adapters.mcu;

/**
 * The modem control lines a board wires to its reset (and, on some STM32 boards, BOOT0) pin. On an Arduino the DTR
 * line reaches RESET through a capacitor, so asserting DTR resets the chip into optiboot.
 *
 * <p>Pseudo-terminals have no such lines (the ioctl fails with ENOTTY), so links to them use {@link #none()}.
 */
public interface ResetLines {

    /** Asserts (true: the line goes low on the wire, as RS-232 logic has it) or releases DTR. */
    void setDtr(boolean asserted);

    /** Asserts or releases RTS. */
    void setRts(boolean asserted);

    /** False for {@link #none()}: setting lines reaches nothing, so a flasher skips the waits of a reset pulse. */
    default boolean present() {
        return true;
    }

    /** Lines that do nothing, for ports without modem lines (ptys, some USB bridges) or boards not wired to them. */
    static ResetLines none() {
        return NoResetLines.INSTANCE;
    }

    /** The {@link #none()} lines. */
    enum NoResetLines implements ResetLines {
        INSTANCE;

        @Override
        public void setDtr(final boolean asserted) {}

        @Override
        public void setRts(final boolean asserted) {}

        @Override
        public boolean present() {
            return false;
        }
    }
}
