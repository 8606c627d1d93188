package dev.baton.adapters.mcu.external;

import dev.baton.adapters.mcu.FlashException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jetbrains.annotations.NotNull;

/**
 * Why an external flashing tool failed, with its exit code and last output lines. It is the
 * {@linkplain FlashException#getCause() cause} of the {@link FlashException} that {@link ExternalFlasher#flash}
 * throws; {@link #of(FlashException)} finds it.
 */
public final class ExternalToolFailure extends RuntimeException {

    /** What went wrong, as far as the tool's exit code and output tell. */
    public enum Reason {
        /** The tool is not installed (not on PATH, or the configured executable does not exist). */
        TOOL_MISSING(FlashException.Reason.TOOL_MISSING),
        /** No probe, DFU device, port or answering chip was found. Plugging it in or fixing the port can help. */
        NO_DEVICE(FlashException.Reason.NO_DEVICE),
        /** The port or USB device exists but this user may not open it (udev rule or group membership missing). */
        PERMISSION_DENIED(FlashException.Reason.PERMISSION_DENIED),
        /** The chip behind the probe is not the one the settings name; the tool wrote nothing. */
        WRONG_CHIP(FlashException.Reason.CHIP_MISMATCH),
        /** The tool read the flash back and it differs from the image. */
        VERIFY_FAILED(FlashException.Reason.VERIFY_FAILED),
        /** The tool did not end within the configured timeout and was killed with its children. */
        TIMEOUT(FlashException.Reason.TIMEOUT),
        /** The calling thread was interrupted; the tool was killed with its children. */
        CANCELLED(FlashException.Reason.CANCELLED),
        /** Any other non-zero exit: the message carries the last lines of the tool's output. */
        FAILED(FlashException.Reason.REFUSED);

        private final FlashException.Reason flashReason;

        Reason(final FlashException.Reason flashReason) {
            this.flashReason = flashReason;
        }

        /** The {@link FlashException} reason this failure is reported with. */
        public @NotNull FlashException.Reason flashReason() {
            return flashReason;
        }
    }

    private final @NotNull String toolId;
    private final @NotNull Reason reason;
    private final int exitCode;
    private final @NotNull List<String> lastLines;

    public ExternalToolFailure(
            final @NotNull String toolId,
            final @NotNull Reason reason,
            final @NotNull String message,
            final int exitCode,
            final @NotNull List<String> lastLines) {
        super(message);
        this.toolId = Objects.requireNonNull(toolId, "toolId");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.exitCode = exitCode;
        this.lastLines = List.copyOf(lastLines);
    }

    /** The failure behind {@code exception}, when an external tool caused it. */
    public static @NotNull Optional<ExternalToolFailure> of(final @NotNull FlashException exception) {
        return exception.getCause() instanceof ExternalToolFailure failure ? Optional.of(failure) : Optional.empty();
    }

    /** The {@link FlashException} a caller of {@link ExternalFlasher#flash} sees, with this as its cause. */
    public @NotNull FlashException toFlashException() {
        return new FlashException(reason.flashReason(), getMessage(), -1, this);
    }

    /** The tool ID: {@code openocd}, {@code dfu-util}, {@code avrdude}, {@code esptool} or {@code pyocd}. */
    public @NotNull String toolId() {
        return toolId;
    }

    public @NotNull Reason reason() {
        return reason;
    }

    /** The tool's exit code, when it ran to an end (not for a missing tool, a timeout or a cancellation). */
    public @NotNull OptionalInt exitCode() {
        return exitCode < 0 ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /** The last lines the tool printed (stdout and stderr merged), at most 20. */
    public @NotNull List<String> lastLines() {
        return lastLines;
    }
}
