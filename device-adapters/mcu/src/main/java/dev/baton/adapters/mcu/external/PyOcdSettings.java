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
 * pyOCD through a CMSIS-DAP, ST-Link or J-Link probe: {@code pyocd flash -t TARGET [-u PROBE] [--base-address A]
 * FILE} (pip's pyocd), or {@code pyocd-flashtool -t TARGET [-b PROBE] [-a A] FILE} where only Debian's older
 * {@code python3-pyocd} is installed.
 *
 * @param target setting {@code target}: pyOCD's target type, e.g. {@code stm32f103rc}, {@code nrf52840}
 * @param probe setting {@code probe}: the probe's unique ID (or a unique part of it), when several are plugged in
 * @param address setting {@code address}: where a raw binary goes
 */
public record PyOcdSettings(
        @NotNull String target,
        @NotNull Optional<String> probe,
        @NotNull OptionalLong address,
        @NotNull Optional<Path> executable,
        @NotNull Duration timeout)
        implements ExternalToolSettings {

    public static final String TOOL_ID = "pyocd";

    public static final Set<String> PROPERTIES = Set.of("target", "probe", "address");

    public PyOcdSettings {
        SettingChecks.name(SettingChecks.label(TOOL_ID, "target"), target);
        SettingChecks.name(SettingChecks.label(TOOL_ID, "probe"), probe);
        SettingChecks.address(SettingChecks.label(TOOL_ID, "address"), address);
        SettingChecks.executable(TOOL_ID, executable);
        SettingChecks.timeout(TOOL_ID, Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Reads the settings from JSON; {@code callerProperties} are skipped, any other unknown property is refused.
     *
     * @throws IllegalArgumentException naming the setting and what it must be
     */
    public static @NotNull PyOcdSettings fromJson(
            final @NotNull ObjectNode json, final @NotNull Set<String> callerProperties) {
        final SettingsReader in = SettingsReader.of(json, TOOL_ID, PROPERTIES, callerProperties);
        return new PyOcdSettings(
                in.requiredString("target"),
                in.optionalString("probe"),
                in.address("address"),
                in.executable(),
                in.timeout());
    }

    @Override
    public @NotNull String toolId() {
        return TOOL_ID;
    }
}
