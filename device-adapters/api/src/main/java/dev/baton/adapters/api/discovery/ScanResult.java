package dev.baton.adapters.api.discovery;

import dev.baton.protocol.Device;
import java.util.List;
import org.jetbrains.annotations.NotNull;

/**
 * What one scan found.
 *
 * @param devices every device seen, each id once
 * @param problems what went wrong with single devices or addresses, one sentence each that names the device and
 *     says what to do, e.g. "camera urn:uuid:… at 10.0.0.5 refused the credentials for user 'admin': check
 *     secrets/onvif.json"; reported as events when they change
 */
public record ScanResult(@NotNull List<Device> devices, @NotNull List<String> problems) {

    public ScanResult {
        devices = List.copyOf(devices);
        problems = List.copyOf(problems);
    }

    public static @NotNull ScanResult of(final @NotNull List<Device> devices) {
        return new ScanResult(devices, List.of());
    }
}
