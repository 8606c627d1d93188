package dev.baton.adapters.mcu.external;

import dev.baton.adapters.mcu.FlashException;
import dev.baton.adapters.mcu.FlashProgressListener;
import dev.baton.adapters.mcu.FlashReport;
import java.nio.file.Path;
import java.util.List;
import org.jetbrains.annotations.NotNull;

/**
 * Flashes an image file with an external tool (OpenOCD, dfu-util, avrdude, esptool, pyOCD) installed on the host.
 * Made by {@link ExternalFlashers}.
 *
 * <p>The tool runs as a child process with its arguments passed as a list (never through a shell), stdin closed,
 * English messages ({@code LC_ALL=C}) and the settings' timeout; on timeout or interruption it is killed together
 * with the processes it started. Its output is parsed for progress and for the reason of a failure.
 *
 * <p>Threading: {@link #flash} blocks; run it on a worker thread, never an event loop. One flash per device at a
 * time is the caller's rule, as for {@link dev.baton.adapters.mcu.Flasher}.
 */
public interface ExternalFlasher {

    /** {@code openocd}, {@code dfu-util}, {@code avrdude}, {@code esptool} or {@code pyocd}. */
    @NotNull
    String toolId();

    @NotNull
    ExternalToolSettings settings();

    /**
     * The executable that {@link #flash} would run: the configured one, else the first found on PATH.
     *
     * @throws FlashException with a {@link ExternalToolFailure.Reason#TOOL_MISSING} cause naming the tool and the
     *     package to install
     */
    @NotNull
    Path executable();

    /**
     * The exact argv {@link #flash} would run for {@code image}, executable first; for logs and tests.
     *
     * @throws FlashException when the tool is missing (as {@link #executable})
     * @throws IllegalArgumentException when the image is not a readable file or its path cannot be passed safely
     */
    @NotNull
    List<String> commandLine(@NotNull Path image);

    /**
     * Writes {@code image} (raw binary, Intel HEX, or what else the tool reads) to the device. Progress goes to
     * {@code listener} on the calling thread, in bytes for every phase (external tools report erase progress in
     * bytes, not pages).
     *
     * <p>The report's {@link dev.baton.adapters.mcu.ChipIdentity} carries the tool ID as {@code flasher}, the chip
     * name the tool printed (or the configured part/target/chip), the chip ID where the tool printed one (avrdude's
     * signature, else 0), the tool's version as {@code bootloaderVersion}, and a nominal one-page layout covering
     * the image: external tools do not report the chip's flash layout. {@code verified} is true only when the
     * tool's output said the flash was read back and matched.
     *
     * @throws FlashException whose cause is an {@link ExternalToolFailure} with the precise reason, the exit code and
     *     the last lines of output; its message says what failed and what to do
     * @throws IllegalArgumentException when the image is not a readable file or its path cannot be passed safely
     */
    @NotNull
    FlashReport flash(@NotNull Path image, @NotNull FlashProgressListener listener);
}
