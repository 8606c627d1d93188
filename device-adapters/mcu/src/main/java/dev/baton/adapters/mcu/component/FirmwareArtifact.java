package dev.baton.adapters.mcu.component;

import dev.baton.adapters.mcu.FirmwareImage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * The image to flash, as fetched from the hub's artifact store and parsed.
 *
 * @param sha256 the artifact's SHA-256 (64 lower-case hex digits)
 * @param file the verified, read-only file in the agent's artifact cache (external tools take the file)
 * @param format how the file was read
 * @param image the parsed image (a raw binary placed at its base address)
 */
public record FirmwareArtifact(
        @NotNull String sha256, @NotNull Path file, @NotNull Format format, @NotNull FirmwareImage image) {

    /** The file formats of the {@code format} property. */
    public enum Format {
        /** A raw binary, placed at the {@code address} property (or the back-end's default base address). */
        BIN,
        /** Intel HEX (addresses inside). */
        HEX,
        /** UF2 blocks (addresses and family inside). */
        UF2;

        /** The property value: {@code bin}, {@code hex}, {@code uf2}. */
        public @NotNull String property() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public FirmwareArtifact {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(image, "image");
    }
}
