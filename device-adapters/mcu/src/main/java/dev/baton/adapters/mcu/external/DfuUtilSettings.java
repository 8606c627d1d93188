package dev.baton.adapters.mcu.external;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.mcu.external.internal.SettingChecks;
import dev.baton.adapters.mcu.external.internal.SettingsReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jetbrains.annotations.NotNull;

/**
 * dfu-util against a USB DFU bootloader (USB DFU 1.1, and ST's DfuSe extension when an address is given):
 * {@code dfu-util -a ALT [-s ADDRESS[:leave]] -D FILE [-d VID:PID] [-S SERIAL]}.
 *
 * @param alt setting {@code alt}: the alternate setting, a number (0 is internal flash on STM32) or its name
 * @param address setting {@code address}: the DfuSe target address ({@code -s}); without it plain DFU is used
 * @param leave setting {@code leave} (default true): leave DFU mode and start the firmware after the download
 *     (DfuSe only, so only with {@code address})
 * @param device setting {@code device}: {@code VID:PID} of the DFU device, e.g. {@code 0483:df11}
 * @param serial setting {@code serial}: the device's USB serial number, when several are plugged in
 */
public record DfuUtilSettings(
        @NotNull String alt,
        @NotNull OptionalLong address,
        boolean leave,
        @NotNull Optional<String> device,
        @NotNull Optional<String> serial,
        @NotNull Optional<Path> executable,
        @NotNull Duration timeout)
        implements ExternalToolSettings {

    public static final String TOOL_ID = "dfu-util";

    public static final Set<String> PROPERTIES = Set.of("alt", "address", "leave", "device", "serial");

    public DfuUtilSettings {
        SettingChecks.name(SettingChecks.label(TOOL_ID, "alt"), alt);
        SettingChecks.address(SettingChecks.label(TOOL_ID, "address"), address);
        SettingChecks.usbId(SettingChecks.label(TOOL_ID, "device"), device);
        SettingChecks.name(SettingChecks.label(TOOL_ID, "serial"), serial);
        SettingChecks.executable(TOOL_ID, executable);
        SettingChecks.timeout(TOOL_ID, Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Reads the settings from JSON; {@code callerProperties} are skipped, any other unknown property is refused.
     *
     * @throws IllegalArgumentException naming the setting and what it must be
     */
    public static @NotNull DfuUtilSettings fromJson(
            final @NotNull ObjectNode json, final @NotNull Set<String> callerProperties) {
        final SettingsReader in = SettingsReader.of(json, TOOL_ID, PROPERTIES, callerProperties);
        return new DfuUtilSettings(
                in.stringOrNumber("alt").orElseThrow(() -> in.invalid("needs property 'alt' (a number or a name)")),
                in.address("address"),
                in.flag("leave", true),
                in.optionalString("device"),
                in.optionalString("serial"),
                in.executable(),
                in.timeout());
    }

    @Override
    public @NotNull String toolId() {
        return TOOL_ID;
    }
}
