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
 * avrdude with any of its programmers (usbasp, avrisp2, stk500v2, arduino, …):
 * {@code avrdude -c PROGRAMMER -p PART [-P PORT] [-b BAUD] [-V] -U flash:w:FILE:i|r}. Only the flash memory is
 * written: there is no setting that reaches fuses, lock bits or EEPROM.
 *
 * @param programmer setting {@code programmer}: avrdude's programmer ID, e.g. {@code usbasp}
 * @param part setting {@code part}: avrdude's part ID, e.g. {@code m328p}
 * @param port setting {@code port}: {@code /dev/ttyUSB0}, {@code usb}, {@code usb:SERIAL}; absent for
 *     programmers that find themselves
 * @param baud setting {@code baud}: the serial speed, 300 to 4000000
 * @param verify setting {@code verify} (default true); false adds {@code -V}
 */
public record AvrdudeSettings(
        @NotNull String programmer,
        @NotNull String part,
        @NotNull Optional<String> port,
        @NotNull OptionalLong baud,
        boolean verify,
        @NotNull Optional<Path> executable,
        @NotNull Duration timeout)
        implements ExternalToolSettings {

    public static final String TOOL_ID = "avrdude";

    public static final Set<String> PROPERTIES = Set.of("programmer", "part", "port", "baud", "verify");

    public AvrdudeSettings {
        SettingChecks.name(SettingChecks.label(TOOL_ID, "programmer"), programmer);
        SettingChecks.name(SettingChecks.label(TOOL_ID, "part"), part);
        SettingChecks.port(SettingChecks.label(TOOL_ID, "port"), port);
        SettingChecks.range(SettingChecks.label(TOOL_ID, "baud"), baud, 300, 4_000_000);
        SettingChecks.executable(TOOL_ID, executable);
        SettingChecks.timeout(TOOL_ID, Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Reads the settings from JSON; {@code callerProperties} are skipped, any other unknown property is refused.
     *
     * @throws IllegalArgumentException naming the setting and what it must be
     */
    public static @NotNull AvrdudeSettings fromJson(
            final @NotNull ObjectNode json, final @NotNull Set<String> callerProperties) {
        final SettingsReader in = SettingsReader.of(json, TOOL_ID, PROPERTIES, callerProperties);
        return new AvrdudeSettings(
                in.requiredString("programmer"),
                in.requiredString("part"),
                in.optionalString("port"),
                in.optionalLong("baud", 300, 4_000_000),
                in.flag("verify", true),
                in.executable(),
                in.timeout());
    }

    @Override
    public @NotNull String toolId() {
        return TOOL_ID;
    }
}
