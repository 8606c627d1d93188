package dev.baton.adapters.mcu.component;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.mcu.EraseMode;
import dev.baton.adapters.mcu.Parity;
import dev.baton.adapters.mcu.Verification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The settings of a {@code firmware} component that a {@link FirmwareBackend} uses, decoded and range-checked from the
 * component's properties. Empty optionals mean "the back-end's default".
 *
 * @param baud {@code baud}: 300 to 4,000,000
 * @param parity {@code parity}: {@code none}, {@code even}, {@code odd}
 * @param reset {@code reset}: how the back-end may reset the board
 * @param expectedChipId {@code chipId}: the chip (or, for {@code uf2}, the family) the target must report; a
 *     mismatch is refused before anything is written
 * @param verify {@code verify}: {@code auto} (default, also {@code true}: the bootloader's checksum where it offers
 *     one, read-back where not), {@code checksum}, {@code readback}, or {@code none} (also {@code false})
 * @param startApplication {@code startApplication} (default false, true with an {@code appCheck}): start the
 *     application when done
 * @param eraseMode {@code erase}: {@code pages} (default) or {@code mass}
 * @param removeReadProtection {@code removeReadProtection} (default false): allow lifting read-out protection, which
 *     erases the whole chip
 * @param appCheck {@code appCheck}, or null
 * @param volumeRoots {@code volumeRoots} ({@code uf2}): where mounted volumes are searched for {@code INFO_UF2.TXT}
 * @param rebootTimeout {@code rebootTimeoutMs} ({@code uf2}): how long the volume may take to disappear after the copy
 * @param options {@code options}: back-end specific settings (external tools), checked by the back-end
 */
public record FirmwareSettings(
        @NotNull OptionalInt baud,
        @NotNull Optional<Parity> parity,
        @NotNull Optional<ResetMethod> reset,
        @NotNull OptionalLong expectedChipId,
        @NotNull Verification verify,
        boolean startApplication,
        @NotNull EraseMode eraseMode,
        boolean removeReadProtection,
        @Nullable AppCheck appCheck,
        @NotNull List<Path> volumeRoots,
        @NotNull Duration rebootTimeout,
        @NotNull ObjectNode options) {

    /** Where {@code uf2} looks for mounted volumes when the component names none. */
    public static final List<Path> DEFAULT_VOLUME_ROOTS =
            List.of(Path.of("/media"), Path.of("/run/media"), Path.of("/mnt"));

    /** How long a UF2 bootloader may take to write the image and reboot (its volume disappears) by default. */
    public static final Duration DEFAULT_REBOOT_TIMEOUT = Duration.ofSeconds(30);

    /** How a back-end may reset the board into its bootloader (property {@code reset}). */
    public enum ResetMethod {
        /** Pulse DTR/RTS (an Arduino's auto-reset); ports without them fail clearly. */
        DTR,
        /** Touch no line: the board is already in its bootloader, or the port has no lines (a pty). */
        NONE
    }

    public FirmwareSettings {
        Objects.requireNonNull(baud, "baud");
        Objects.requireNonNull(parity, "parity");
        Objects.requireNonNull(reset, "reset");
        Objects.requireNonNull(expectedChipId, "expectedChipId");
        Objects.requireNonNull(verify, "verify");
        Objects.requireNonNull(eraseMode, "eraseMode");
        volumeRoots = List.copyOf(volumeRoots);
        Objects.requireNonNull(rebootTimeout, "rebootTimeout");
        options = options == null ? JsonNodeFactory.instance.objectNode() : options.deepCopy();
    }

    @Override
    public @NotNull ObjectNode options() {
        return options.deepCopy();
    }
}
