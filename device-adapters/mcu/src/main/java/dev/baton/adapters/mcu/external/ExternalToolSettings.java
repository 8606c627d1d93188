package dev.baton.adapters.mcu.external;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * The typed, validated settings of one external flashing tool. Each record checks every value when it is made and
 * refuses a value the tool could read as an option (one starting with '-') or, for OpenOCD, as Tcl. Records are made
 * from JSON with their {@code fromJson} method, or by {@link ExternalFlashers#settings}.
 */
public sealed interface ExternalToolSettings
        permits OpenOcdSettings, DfuUtilSettings, AvrdudeSettings, EsptoolSettings, PyOcdSettings {

    /** {@code openocd}, {@code dfu-util}, {@code avrdude}, {@code esptool} or {@code pyocd}. */
    @NotNull
    String toolId();

    /** The tool's executable (setting {@code executable}, an absolute path); empty to search PATH. */
    @NotNull
    Optional<Path> executable();

    /**
     * How long one run may take before it is killed with its children (setting {@code timeoutSeconds}, 1 to 3600,
     * default 300).
     */
    @NotNull
    Duration timeout();
}
