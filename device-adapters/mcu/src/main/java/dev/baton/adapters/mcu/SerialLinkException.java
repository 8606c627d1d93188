package dev.baton.adapters.mcu;

import java.util.Objects;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/** A serial port that cannot be opened, went away, or stayed silent. */
public final class SerialLinkException extends RuntimeException {

    public enum Reason {
        /** The port could not be opened for another reason than the two below (busy, not a terminal, …). */
        OPEN_FAILED,
        /** The port's device file does not exist (unplugged, wrong path). */
        PORT_MISSING,
        /** The port exists but this user may not open it (not in group dialout, a udev rule missing). */
        PERMISSION_DENIED,
        /** The port went away while in use (unplugged, closed). */
        LINK_LOST,
        /** Fewer bytes arrived than needed before the timeout. */
        TIMEOUT,
        /** The port has no modem control lines (a pty) or refused to set them. */
        CONTROL_LINES
    }

    private final @NotNull Reason reason;

    public SerialLinkException(final @NotNull Reason reason, final @NotNull String message) {
        this(reason, message, null);
    }

    public SerialLinkException(
            final @NotNull Reason reason, final @NotNull String message, final @Nullable Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public @NotNull Reason reason() {
        return reason;
    }
}
