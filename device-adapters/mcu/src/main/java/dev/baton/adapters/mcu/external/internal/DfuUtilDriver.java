package dev.baton.adapters.mcu.external.internal;

import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.FAILED;
import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.NO_DEVICE;
import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.PERMISSION_DENIED;
import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.WRONG_CHIP;

import dev.baton.adapters.mcu.FlashPhase;
import dev.baton.adapters.mcu.FlashProgress;
import dev.baton.adapters.mcu.external.DfuUtilSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/**
 * dfu-util (USB DFU 1.1; ST's DfuSe extension, UM0424, when {@code -s ADDRESS} is given). It prints its progress
 * bars with {@code \r}: {@code Download\t[=====    ]  45%   7168 bytes}.
 */
public final class DfuUtilDriver implements ToolDriver<DfuUtilSettings> {

    private static final Pattern VERSION = Pattern.compile("^dfu-util (\\d\\S*)");
    private static final Pattern BAR = Pattern.compile("^(Erase|Download)\\s*\\[[= ]*\\]\\s*(\\d+)%\\s*(\\d+) bytes");

    private static final List<FailurePattern> FAILURES = List.of(
            FailurePattern.of(
                    "does not match device",
                    WRONG_CHIP,
                    "the file's DFU suffix names another USB device",
                    "Check that the image was built for this board; nothing was written."),
            FailurePattern.of(
                    "LIBUSB_ERROR_ACCESS|Permission denied|insufficient permissions",
                    PERMISSION_DENIED,
                    "permission denied on the DFU device",
                    "Add a udev rule giving the agent's user access to the device's VID:PID (Debian's dfu-util"
                            + " ships none), or add the user to the 'plugdev' group; then replug the device."),
            FailurePattern.of(
                    "More than one DFU capable USB device found",
                    FAILED,
                    "several DFU devices are attached",
                    "Set 'device' (VID:PID) and 'serial' so that dfu-util picks one."),
            FailurePattern.of(
                    "No DFU capable USB device available|Cannot open DFU device|LIBUSB_ERROR_NO_DEVICE"
                            + "|No such device",
                    NO_DEVICE,
                    "no DFU device found",
                    "Put the device into its DFU bootloader (STM32: BOOT0 high, then reset) and check"
                            + " 'dfu-util --list'; check 'device' and 'serial' if set."),
            FailurePattern.of(
                    "Invalid DFU suffix signature.*required|No valid DFU suffix",
                    FAILED,
                    "dfu-util refuses a file without a DFU suffix",
                    "Add a suffix with dfu-suffix, or use an address ('address' setting) for a raw binary."));

    @Override
    public @NotNull String toolId() {
        return DfuUtilSettings.TOOL_ID;
    }

    @Override
    public @NotNull List<String> executableNames() {
        return List.of("dfu-util");
    }

    @Override
    public @NotNull String installHint() {
        return "Install it with 'apt-get install dfu-util' (Debian package dfu-util) or set 'executable'.";
    }

    @Override
    public @NotNull List<String> arguments(
            final @NotNull Path executable, final @NotNull DfuUtilSettings settings, final @NotNull Path image) {
        final List<String> args = new ArrayList<>();
        args.add("-a");
        args.add(settings.alt());
        settings.address().ifPresent(address -> {
            args.add("-s");
            args.add(SettingChecks.hex(address) + (settings.leave() ? ":leave" : ""));
        });
        args.add("-D");
        args.add(image.toString());
        settings.device().ifPresent(device -> {
            args.add("-d");
            args.add(device);
        });
        settings.serial().ifPresent(serial -> {
            args.add("-S");
            args.add(serial);
        });
        return List.copyOf(args);
    }

    @Override
    public @NotNull OutputParser parser(
            final @NotNull DfuUtilSettings settings,
            final long imageSize,
            final @NotNull Consumer<FlashProgress> sink) {
        return new OutputParser(imageSize, sink) {
            @Override
            public void onLine(final @NotNull String line, final boolean complete) {
                final String text = line.strip();
                Matcher m = BAR.matcher(text);
                if (m.find()) {
                    final FlashPhase phase = m.group(1).equals("Erase") ? FlashPhase.ERASE : FlashPhase.WRITE;
                    final long bytes = Long.parseLong(m.group(3));
                    final int percent = Integer.parseInt(m.group(2));
                    // the byte count is of the whole transfer only at 100 %; before, the percent is what counts
                    progress(phase, percent == 100 ? imageSize : ofImage(percent), imageSize);
                    if (phase == FlashPhase.WRITE && percent == 100 && complete) {
                        bytesWritten = bytes;
                    }
                    return;
                }
                if (!complete) {
                    return;
                }
                if ((m = VERSION.matcher(text)).find()) {
                    toolVersion = "dfu-util " + m.group(1);
                }
            }
        };
    }

    @Override
    public @NotNull List<FailurePattern> failures() {
        return FAILURES;
    }

    @Override
    public @NotNull String chipName(final @NotNull DfuUtilSettings settings) {
        return settings.device().map(d -> "DFU device " + d).orElse("DFU device") + ", alt " + settings.alt();
    }

    @Override
    public long baseAddress(final @NotNull DfuUtilSettings settings) {
        return settings.address().orElse(0);
    }
}
