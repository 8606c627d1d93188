package dev.baton.adapters.mcu.external.internal;

import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.NO_DEVICE;
import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.PERMISSION_DENIED;
import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.VERIFY_FAILED;
import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.WRONG_CHIP;

import dev.baton.adapters.mcu.FlashPhase;
import dev.baton.adapters.mcu.FlashProgress;
import dev.baton.adapters.mcu.external.ExternalToolFailure;
import dev.baton.adapters.mcu.external.OpenOcdSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/**
 * OpenOCD's {@code program} command (OpenOCD User's Guide, "Flash Programming"): {@code program FILE [verify]
 * [reset] exit [ADDRESS]}, after the interface and target scripts. The command is Tcl, so the file name goes in
 * braces and a path with braces or backslashes is refused.
 */
public final class OpenOcdDriver implements ToolDriver<OpenOcdSettings> {

    private static final Pattern VERSION = Pattern.compile("^Open On-Chip Debugger (\\S+)");
    private static final Pattern WROTE = Pattern.compile("^wrote (\\d+) bytes from file");
    private static final Pattern VERIFIED = Pattern.compile("^verified (\\d+) bytes");

    private static final String PROBE_ADVICE = "Check that the probe is plugged in and shows in lsusb, that the"
            + " 'interface' setting names its kind, and set 'adapterSerial' when several probes are attached.";

    private static final List<FailurePattern> FAILURES = List.of(
            FailurePattern.of(
                    "\\*\\* Verify Failed \\*\\*|verify failed in bank",
                    VERIFY_FAILED,
                    "the flash read back differs from the image",
                    "Flash again; if it fails again the chip's flash may be worn or write-protected."),
            FailurePattern.of(
                    "UNEXPECTED idcode|Cannot identify target as",
                    WRONG_CHIP,
                    "the chip on the probe is not the configured target",
                    "Check the 'target' setting against the chip on the board; nothing was written."),
            FailurePattern.of(
                    "LIBUSB_ERROR_ACCESS|Permission denied|insufficient permissions",
                    PERMISSION_DENIED,
                    "permission denied on the probe's USB device",
                    "Install OpenOCD's udev rules (Debian: /usr/lib/udev/rules.d/60-openocd.rules, then replug) or"
                            + " add the agent's user to the 'plugdev' group."),
            FailurePattern.of(
                    "unable to find a matching CMSIS-DAP device|No J-Link device found|Error: open failed"
                            + "|unable to open ftdi device|no device found|No CMSIS-DAP device"
                            + "|unable to find a matching",
                    NO_DEVICE,
                    "no debug probe found",
                    PROBE_ADVICE),
            FailurePattern.of(
                    "init mode failed|Error connecting DP|Could not find MEM-AP|Target not examined yet"
                            + "|target voltage may be too low|Examination failed",
                    NO_DEVICE,
                    "the probe was found but the target chip does not answer",
                    "Check the SWD wiring and that the board is powered."),
            FailurePattern.of(
                    "Can't find (interface|target|board)/|Can't find .*\\.cfg",
                    ExternalToolFailure.Reason.FAILED,
                    "OpenOCD has no such configuration script",
                    "Check the 'interface' and 'target' settings against /usr/share/openocd/scripts."));

    @Override
    public @NotNull String toolId() {
        return OpenOcdSettings.TOOL_ID;
    }

    @Override
    public @NotNull List<String> executableNames() {
        return List.of("openocd");
    }

    @Override
    public @NotNull String installHint() {
        return "Install it with 'apt-get install openocd' (Debian package openocd) or set 'executable'.";
    }

    @Override
    public void checkImagePath(final @NotNull Path image) {
        final String text = image.toString();
        if (text.indexOf('{') >= 0 || text.indexOf('}') >= 0 || text.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("openocd takes the image path inside a Tcl command, so it must not"
                    + " contain '{', '}' or '\\', but was '" + SettingChecks.printable(text) + "'");
        }
    }

    @Override
    public @NotNull List<String> arguments(
            final @NotNull Path executable, final @NotNull OpenOcdSettings settings, final @NotNull Path image) {
        final List<String> args = new ArrayList<>();
        args.add("-f");
        args.add(script("interface", settings.interfaceScript()));
        settings.adapterSerial().ifPresent(serial -> {
            args.add("-c");
            args.add("adapter serial " + serial);
        });
        settings.adapterSpeedKhz().ifPresent(khz -> {
            args.add("-c");
            args.add("adapter speed " + khz);
        });
        args.add("-f");
        args.add(script("target", settings.targetScript()));
        final StringBuilder program =
                new StringBuilder("program {").append(image).append('}');
        if (settings.verify()) {
            program.append(" verify");
        }
        if (settings.reset()) {
            program.append(" reset");
        }
        program.append(" exit");
        settings.address().ifPresent(address -> program.append(' ').append(SettingChecks.hex(address)));
        args.add("-c");
        args.add(program.toString());
        return List.copyOf(args);
    }

    /** {@code cmsis-dap} → {@code interface/cmsis-dap.cfg}; a value ending in .cfg is used as it is. */
    static String script(final String directory, final String value) {
        return value.endsWith(".cfg") ? value : directory + "/" + value + ".cfg";
    }

    @Override
    public @NotNull OutputParser parser(
            final @NotNull OpenOcdSettings settings,
            final long imageSize,
            final @NotNull Consumer<FlashProgress> sink) {
        return new OutputParser(imageSize, sink) {
            @Override
            public void onLine(final @NotNull String line, final boolean complete) {
                if (!complete) {
                    return;
                }
                final String text = line.strip();
                Matcher m = VERSION.matcher(text);
                if (m.find()) {
                    toolVersion = "openocd " + m.group(1);
                } else if (text.contains("** Programming Started **")) {
                    progress(FlashPhase.WRITE, 0, imageSize);
                } else if ((m = WROTE.matcher(text)).find()) {
                    bytesWritten = Long.parseLong(m.group(1));
                    progress(FlashPhase.WRITE, imageSize, imageSize);
                } else if (text.contains("** Verify Started **")) {
                    progress(FlashPhase.VERIFY, 0, imageSize);
                } else if ((m = VERIFIED.matcher(text)).find()) {
                    verified = true;
                    progress(FlashPhase.VERIFY, imageSize, imageSize);
                } else if (text.contains("** Verified OK **")) {
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
    public @NotNull String chipName(final @NotNull OpenOcdSettings settings) {
        return settings.targetScript();
    }

    @Override
    public long baseAddress(final @NotNull OpenOcdSettings settings) {
        return settings.address().orElse(0);
    }
}
