package dev.baton.adapters.mcu.component;

import java.time.Duration;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * What a back-end did to one target.
 *
 * @param chipId the chip's identity as the back-end read it, written like the {@code chipId} property
 *     ({@code 0x410}, {@code 0x1E950F}, a UF2 family {@code 0xE48BFF56}); null when the back-end cannot tell
 * @param verified whether the target read back (or otherwise confirmed) exactly the image
 * @param bytesWritten bytes sent to the target
 * @param duration how long the flash took
 * @param detail a short description for the component's message, e.g. {@code STM32F10xxx medium-density, 20000 bytes}
 */
public record FirmwareFlashResult(
        @Nullable String chipId,
        boolean verified,
        long bytesWritten,
        @NotNull Duration duration,
        @NotNull String detail) {

    public FirmwareFlashResult {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(detail, "detail");
    }
}
