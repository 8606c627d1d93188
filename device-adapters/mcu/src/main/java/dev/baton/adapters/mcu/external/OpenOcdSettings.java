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
 * OpenOCD through a debug probe (CMSIS-DAP, ST-Link, J-Link, …):
 * {@code openocd -f interface/I.cfg [-c "adapter serial S"] [-c "adapter speed K"] -f target/T.cfg
 * -c "program {FILE} [verify] [reset] exit [ADDRESS]"}.
 *
 * @param interfaceScript setting {@code interface}: a name under {@code interface/} ({@code cmsis-dap},
 *     {@code stlink}) or a script path ending in {@code .cfg}
 * @param targetScript setting {@code target}: a name under {@code target/} ({@code stm32f1x}) or a {@code .cfg}
 *     path (e.g. {@code board/st_nucleo_f4.cfg})
 * @param adapterSerial setting {@code adapterSerial}: the probe's serial number, when several are plugged in
 * @param adapterSpeedKhz setting {@code adapterSpeedKhz}: the SWD/JTAG clock, 1 to 100000 kHz
 * @param address setting {@code address}: where a raw binary goes (OpenOCD takes ELF and Intel HEX addresses from
 *     the file)
 * @param verify setting {@code verify} (default true): read back and compare after writing
 * @param reset setting {@code reset} (default true): reset the target to start the new firmware
 */
public record OpenOcdSettings(
        @NotNull String interfaceScript,
        @NotNull String targetScript,
        @NotNull Optional<String> adapterSerial,
        @NotNull OptionalLong adapterSpeedKhz,
        @NotNull OptionalLong address,
        boolean verify,
        boolean reset,
        @NotNull Optional<Path> executable,
        @NotNull Duration timeout)
        implements ExternalToolSettings {

    public static final String TOOL_ID = "openocd";

    /** The settings {@link #fromJson} reads, besides {@code executable} and {@code timeoutSeconds}. */
    public static final Set<String> PROPERTIES =
            Set.of("interface", "target", "adapterSerial", "adapterSpeedKhz", "address", "verify", "reset");

    public OpenOcdSettings {
        SettingChecks.script(SettingChecks.label(TOOL_ID, "interface"), interfaceScript);
        SettingChecks.script(SettingChecks.label(TOOL_ID, "target"), targetScript);
        SettingChecks.name(SettingChecks.label(TOOL_ID, "adapterSerial"), adapterSerial);
        SettingChecks.range(SettingChecks.label(TOOL_ID, "adapterSpeedKhz"), adapterSpeedKhz, 1, 100_000);
        SettingChecks.address(SettingChecks.label(TOOL_ID, "address"), address);
        SettingChecks.executable(TOOL_ID, executable);
        SettingChecks.timeout(TOOL_ID, Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Reads the settings from JSON; {@code callerProperties} are skipped (the component's own properties such as
     * {@code flasher} and {@code artifact}), any other unknown property is refused.
     *
     * @throws IllegalArgumentException naming the setting and what it must be
     */
    public static @NotNull OpenOcdSettings fromJson(
            final @NotNull ObjectNode json, final @NotNull Set<String> callerProperties) {
        final SettingsReader in = SettingsReader.of(json, TOOL_ID, PROPERTIES, callerProperties);
        return new OpenOcdSettings(
                in.requiredString("interface"),
                in.requiredString("target"),
                in.optionalString("adapterSerial"),
                in.optionalLong("adapterSpeedKhz", 1, 100_000),
                in.address("address"),
                in.flag("verify", true),
                in.flag("reset", true),
                in.executable(),
                in.timeout());
    }

    @Override
    public @NotNull String toolId() {
        return TOOL_ID;
    }
}
