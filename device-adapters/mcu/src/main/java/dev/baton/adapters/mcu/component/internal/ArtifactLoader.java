package dev.baton.adapters.mcu.component.internal;

import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ProviderContext;
import dev.baton.adapters.mcu.FirmwareFormatException;
import dev.baton.adapters.mcu.FirmwareImage;
import dev.baton.adapters.mcu.component.FirmwareArtifact;
import dev.baton.adapters.mcu.component.FirmwareConfig;
import dev.baton.adapters.mcu.component.FirmwareTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.jetbrains.annotations.NotNull;

/**
 * Fetches a component's image from the hub's artifact store (through the agent's verified cache) and parses it.
 *
 * <p>{@code format} is inferred when the component gives none, where that is safe: a {@code uf2} flasher takes UF2;
 * a file that starts with both UF2 magic numbers is UF2; a file of printable ASCII lines starting with ':' is Intel
 * HEX; anything else is a raw binary placed at {@code address} or the back-end's default base address.
 */
public final class ArtifactLoader {

    private ArtifactLoader() {}

    /**
     * @throws ComponentException APPLY_FAILED when the store cannot deliver it (a retry may help), INVALID_SPEC when
     *     the file is not a valid image of its format (the same spec can never work)
     */
    public static @NotNull FirmwareArtifact load(
            final @NotNull FirmwareConfig config, final @NotNull ProviderContext context) {
        final Path file = context.artifacts().fetch(config.artifact());
        final byte[] bytes;
        try {
            if (Files.size(file) > FirmwareImage.MAX_SIZE * 3L) {
                throw new ComponentException(
                        ComponentException.Reason.INVALID_SPEC,
                        "artifact " + config.artifact() + " is " + Files.size(file) + " bytes, more than any"
                                + " firmware image this agent flashes (" + FirmwareImage.MAX_SIZE + " bytes of flash)");
            }
            bytes = Files.readAllBytes(file);
        } catch (final IOException e) {
            throw new ComponentException(
                    ComponentException.Reason.APPLY_FAILED,
                    "cannot read artifact " + config.artifact() + " from the agent's cache: " + e.getMessage(),
                    e);
        }
        final FirmwareArtifact.Format format = config.format().orElseGet(() -> infer(config, bytes));
        try {
            final FirmwareImage image =
                    switch (format) {
                        case UF2 -> FirmwareImage.parseUf2(bytes);
                        case HEX -> FirmwareImage.parseIntelHex(bytes);
                        case BIN -> FirmwareImage.ofBinary(bytes, baseAddress(config));
                    };
            return new FirmwareArtifact(config.artifact(), file, format, image);
        } catch (final FirmwareFormatException e) {
            throw new ComponentException(
                    ComponentException.Reason.INVALID_SPEC,
                    "artifact " + config.artifact().substring(0, 12) + "… is not a valid " + format.property()
                            + " image: " + e.getMessage()
                            + (config.format().isEmpty() ? " (format inferred; set property 'format')" : ""),
                    e);
        }
    }

    static FirmwareArtifact.Format infer(final FirmwareConfig config, final byte[] bytes) {
        if (config.flasher().targetType() == FirmwareTarget.Type.UF2_VOLUME) {
            return FirmwareArtifact.Format.UF2;
        }
        if (bytes.length >= 8 && le32(bytes, 0) == 0x0A324655 && le32(bytes, 4) == 0x9E5D5157) {
            return FirmwareArtifact.Format.UF2;
        }
        if (config.address().isEmpty() && looksLikeIntelHex(bytes)) {
            return FirmwareArtifact.Format.HEX;
        }
        return FirmwareArtifact.Format.BIN;
    }

    private static boolean looksLikeIntelHex(final byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != ':') {
            return false;
        }
        for (final byte b : bytes) {
            if (!(b == '\r' || b == '\n' || (b >= 0x20 && b < 0x7F))) {
                return false;
            }
        }
        return true;
    }

    private static long baseAddress(final FirmwareConfig config) {
        if (config.address().isPresent()) {
            return config.address().getAsLong();
        }
        final OptionalLong base = config.flasher().binaryBaseAddress();
        if (base.isEmpty()) {
            throw new ComponentException(
                    ComponentException.Reason.INVALID_SPEC,
                    "artifact " + config.artifact().substring(0, 12) + "… is a raw binary and flasher "
                            + config.flasher().id() + " has no default base address: set property 'address'");
        }
        return base.getAsLong();
    }

    private static int le32(final byte[] data, final int at) {
        return (data[at] & 0xFF)
                | (data[at + 1] & 0xFF) << 8
                | (data[at + 2] & 0xFF) << 16
                | (data[at + 3] & 0xFF) << 24;
    }
}
