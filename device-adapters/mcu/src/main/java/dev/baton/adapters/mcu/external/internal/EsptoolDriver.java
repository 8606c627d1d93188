package dev.baton.adapters.mcu.external.internal;

import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.FAILED;
import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.NO_DEVICE;
import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.PERMISSION_DENIED;
import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.VERIFY_FAILED;
import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.WRONG_CHIP;

import dev.baton.adapters.mcu.FlashPhase;
import dev.baton.adapters.mcu.FlashProgress;
import dev.baton.adapters.mcu.external.EsptoolSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/**
 * esptool's {@code write_flash} (the v4 spelling, which v5 still takes). Progress lines differ by version:
 * v4 {@code Writing at 0x00010000... (45 %)}, v5 {@code Writing at 0x00010000 [=====>      ]  45.2% 4096/9000
 * bytes...}. The percent is of the compressed stream, applied to the image size here.
 */
public final class EsptoolDriver implements ToolDriver<EsptoolSettings> {

    private static final Pattern VERSION = Pattern.compile("^(esptool(?:\\.py)?) v(\\d\\S*)");
    private static final Pattern V4_PROGRESS = Pattern.compile("^Writing at 0x[0-9a-fA-F]+\\.\\.\\. \\((\\d+) ?%\\)");
    private static final Pattern V5_PROGRESS =
            Pattern.compile("^Writing at 0x[0-9a-fA-F]+ \\[[=> ]*\\]\\s+(\\d+(?:\\.\\d+)?)%");
    private static final Pattern CHIP =
            Pattern.compile("^(?:Chip is|Chip type:)\\s+(.+?)(?:\\s+\\(revision [^)]*\\))?$");
    private static final Pattern WROTE = Pattern.compile("^Wrote (\\d+) bytes");

    private static final String PORT_ADVICE = "Check 'port', and that the ESP is in its download mode (hold BOOT"
            + " while pressing RESET if the board's auto-reset does not do it).";

    private static final List<FailurePattern> FAILURES = List.of(
            FailurePattern.of(
                    "MD5 of file does not match|Hash of data does not match|Verification failed|verify FAILED",
                    VERIFY_FAILED,
                    "the flash read back differs from the image",
                    "Flash again at a lower 'baud'; if it fails again check the flash chip and its power supply."),
            FailurePattern.of(
                    "Wrong --chip argument|This chip is .*, not |Unexpected chip ID",
                    WRONG_CHIP,
                    "the chip is not the configured one",
                    "Check the 'chip' setting against the board (or set it to auto); nothing was written."),
            FailurePattern.of(
                    "Permission denied|\\[Errno 13\\]",
                    PERMISSION_DENIED,
                    "permission denied on the serial port",
                    "Add the agent's user to the 'dialout' group and restart the agent."),
            FailurePattern.of(
                    "exclusively lock port|Resource temporarily unavailable|Device or resource busy",
                    FAILED,
                    "another program holds the serial port",
                    "Stop the program using the port (a serial monitor, ModemManager) and flash again."),
            FailurePattern.of(
                    "Could not open .*(port is busy or doesn't exist|port doesn't exist)|could not open port"
                            + "|No such file or directory",
                    NO_DEVICE,
                    "the serial port does not exist",
                    PORT_ADVICE),
            FailurePattern.of(
                    "Failed to connect to|No serial data received|Wrong boot mode detected"
                            + "|returned no data|Invalid head of packet",
                    NO_DEVICE,
                    "no ESP bootloader answered on the port",
                    PORT_ADVICE));

    @Override
    public @NotNull String toolId() {
        return EsptoolSettings.TOOL_ID;
    }

    @Override
    public @NotNull List<String> executableNames() {
        return List.of("esptool", "esptool.py");
    }

    @Override
    public @NotNull String installHint() {
        return "Install it with 'pipx install esptool' (PyPI package esptool; Debian bookworm has no esptool"
                + " package) or set 'executable'.";
    }

    @Override
    public @NotNull List<String> arguments(
            final @NotNull Path executable, final @NotNull EsptoolSettings settings, final @NotNull Path image) {
        final List<String> args = new ArrayList<>();
        args.add("--chip");
        args.add(settings.chip());
        args.add("--port");
        args.add(settings.port());
        settings.baud().ifPresent(baud -> {
            args.add("--baud");
            args.add(Long.toString(baud));
        });
        args.add("write_flash");
        settings.flashMode().ifPresent(mode -> {
            args.add("--flash_mode");
            args.add(mode);
        });
        settings.flashFreq().ifPresent(freq -> {
            args.add("--flash_freq");
            args.add(freq);
        });
        settings.flashSize().ifPresent(size -> {
            args.add("--flash_size");
            args.add(size);
        });
        args.add(SettingChecks.hex(settings.address()));
        args.add(image.toString());
        return List.copyOf(args);
    }

    @Override
    public @NotNull OutputParser parser(
            final @NotNull EsptoolSettings settings,
            final long imageSize,
            final @NotNull Consumer<FlashProgress> sink) {
        return new OutputParser(imageSize, sink) {
            @Override
            public void onLine(final @NotNull String line, final boolean complete) {
                if (!complete) {
                    return;
                }
                final String text = line.strip();
                Matcher m = V4_PROGRESS.matcher(text);
                if (m.find() || (m = V5_PROGRESS.matcher(text)).find()) {
                    progress(FlashPhase.WRITE, ofImage(Double.parseDouble(m.group(1))), imageSize);
                } else if ((m = VERSION.matcher(text)).find()) {
                    toolVersion = m.group(1) + " " + m.group(2);
                } else if ((m = CHIP.matcher(text)).find()) {
                    chipName = m.group(1);
                } else if ((m = WROTE.matcher(text)).find()) {
                    bytesWritten = Long.parseLong(m.group(1));
                    progress(FlashPhase.WRITE, imageSize, imageSize);
                } else if (text.startsWith("Hash of data verified")) {
                    verified = true;
                }
            }
        };
    }

    @Override
    public @NotNull List<FailurePattern> failures() {
        return FAILURES;
    }

    @Override
    public @NotNull String chipName(final @NotNull EsptoolSettings settings) {
        return settings.chip();
    }

    @Override
    public long baseAddress(final @NotNull EsptoolSettings settings) {
        return settings.address();
    }
}
