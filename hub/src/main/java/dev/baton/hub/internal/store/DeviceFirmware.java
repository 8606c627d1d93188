package dev.baton.hub.internal.store;

import java.time.Instant;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The firmware image last flashed on a device, as a node's {@code firmware} component reported it in its outputs.
 *
 * @param verified whether the node read the image back from the device (a UF2 bootloader cannot be read back)
 * @param chipId the chip ID the flasher read, e.g. {@code 0x410}
 * @param flashedAt when the node flashed it
 */
public record DeviceFirmware(
        @NotNull String deviceId,
        @NotNull String node,
        @NotNull String component,
        @NotNull String sha256,
        boolean verified,
        @Nullable String chipId,
        @NotNull Instant flashedAt) {}
