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
 * Espressif's esptool (v4 {@code esptool.py} or v5 {@code esptool}) over the ROM serial bootloader:
 * {@code esptool --chip C --port P [--baud B] write_flash [--flash_mode M] [--flash_freq F] [--flash_size S]
 * ADDRESS FILE}. esptool checks every write with an MD5 of the flash ("Hash of data verified.").
 *
 * @param chip setting {@code chip} (default {@code auto}): {@code esp32}, {@code esp32s3}, {@code esp8266}, …
 * @param port setting {@code port}: e.g. {@code /dev/ttyUSB0}
 * @param baud setting {@code baud}: the speed while writing, 9600 to 4000000 (esptool's default 460800 when absent)
 * @param address setting {@code address}: where the image goes, e.g. {@code 0x10000} for an application
 * @param flashMode setting {@code flashMode}: {@code keep}, {@code qio}, {@code qout}, {@code dio}, {@code dout}
 * @param flashFreq setting {@code flashFreq}: {@code keep}, {@code 80m}, {@code 40m}, …
 * @param flashSize setting {@code flashSize}: {@code keep}, {@code detect}, {@code 4MB}, …
 */
public record EsptoolSettings(
        @NotNull String chip,
        @NotNull String port,
        @NotNull OptionalLong baud,
        long address,
        @NotNull Optional<String> flashMode,
        @NotNull Optional<String> flashFreq,
        @NotNull Optional<String> flashSize,
        @NotNull Optional<Path> executable,
        @NotNull Duration timeout)
        implements ExternalToolSettings {

    public static final String TOOL_ID = "esptool";

    public static final Set<String> PROPERTIES =
            Set.of("chip", "port", "baud", "address", "flashMode", "flashFreq", "flashSize");

    private static final Set<String> FLASH_MODES = Set.of("keep", "qio", "qout", "dio", "dout");
    private static final Set<String> FLASH_FREQS =
            Set.of("keep", "80m", "60m", "48m", "40m", "30m", "26m", "24m", "20m", "16m", "15m", "12m");
    private static final Set<String> FLASH_SIZES = Set.of(
            "keep", "detect", "256KB", "512KB", "1MB", "2MB", "2MB-c1", "4MB", "4MB-c1", "8MB", "16MB", "32MB", "64MB",
            "128MB");

    public EsptoolSettings {
        SettingChecks.name(SettingChecks.label(TOOL_ID, "chip"), chip);
        SettingChecks.port(SettingChecks.label(TOOL_ID, "port"), port);
        SettingChecks.range(SettingChecks.label(TOOL_ID, "baud"), baud, 9600, 4_000_000);
        SettingChecks.address(SettingChecks.label(TOOL_ID, "address"), OptionalLong.of(address));
        flashMode.ifPresent(v -> SettingChecks.oneOf(SettingChecks.label(TOOL_ID, "flashMode"), v, FLASH_MODES));
        flashFreq.ifPresent(v -> SettingChecks.oneOf(SettingChecks.label(TOOL_ID, "flashFreq"), v, FLASH_FREQS));
        flashSize.ifPresent(v -> SettingChecks.oneOf(SettingChecks.label(TOOL_ID, "flashSize"), v, FLASH_SIZES));
        SettingChecks.executable(TOOL_ID, executable);
        SettingChecks.timeout(TOOL_ID, Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Reads the settings from JSON; {@code callerProperties} are skipped, any other unknown property is refused.
     *
     * @throws IllegalArgumentException naming the setting and what it must be
     */
    public static @NotNull EsptoolSettings fromJson(
            final @NotNull ObjectNode json, final @NotNull Set<String> callerProperties) {
        final SettingsReader in = SettingsReader.of(json, TOOL_ID, PROPERTIES, callerProperties);
        return new EsptoolSettings(
                in.optionalString("chip").orElse("auto"),
                in.requiredString("port"),
                in.optionalLong("baud", 9600, 4_000_000),
                in.address("address")
                        .orElseThrow(
                                () -> in.invalid("needs property 'address' (e.g. \"0x10000\" for an application)")),
                in.optionalString("flashMode"),
                in.optionalString("flashFreq"),
                in.optionalString("flashSize"),
                in.executable(),
                in.timeout());
    }

    @Override
    public @NotNull String toolId() {
        return TOOL_ID;
    }
}
