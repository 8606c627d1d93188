package dev.baton.adapters.mcu.external.internal;

import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.NO_DEVICE;
import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.PERMISSION_DENIED;
import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.VERIFY_FAILED;

import dev.baton.adapters.mcu.FlashPhase;
import dev.baton.adapters.mcu.FlashProgress;
import dev.baton.adapters.mcu.external.PyOcdSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/**
 * pyOCD: {@code pyocd flash} (pip's pyocd, 0.14 and later) or {@code pyocd-flashtool} (the older command that
 * Debian bookworm's python3-pyocd 0.13 installs). On a pipe pyOCD prints a ruler {@code [---|---|…|----]} and then
 * one {@code =} per 2.5 % inside {@code [ … ]}; on a terminal it redraws {@code [====      ]  45%}.
 */
public final class PyOcdDriver implements ToolDriver<PyOcdSettings> {

    private static final Pattern TTY_BAR = Pattern.compile("^\\[([= ]*)\\]\\s*(\\d+)%");
    private static final Pattern PIPE_BAR = Pattern.compile("^\\[(=*)(\\]?)$");
    private static final Pattern PROGRAMMED = Pattern.compile("programmed (\\d+) bytes", Pattern.CASE_INSENSITIVE);

    private static final List<FailurePattern> FAILURES = List.of(
            FailurePattern.of(
                    "verify failed|CRC mismatch",
                    VERIFY_FAILED,
                    "the flash read back differs from the image",
                    "Flash again; if it fails again the chip's flash may be worn or write-protected."),
            FailurePattern.of(
                    "Access denied|insufficient permissions|Permission denied|LIBUSB_ERROR_ACCESS",
                    PERMISSION_DENIED,
                    "permission denied on the probe's USB device",
                    "Install udev rules for the probe (pyOCD's udev/ directory) or add the agent's user to"
                            + " 'plugdev'; then replug the probe."),
            FailurePattern.of(
                    "No connected debug probes|No device available to flash|There is no debug probe connected"
                            + "|No available debug probes|Unable to open probe",
                    NO_DEVICE,
                    "no debug probe found",
                    "Check that the probe is plugged in ('pyocd list'), and set 'probe' when several are."),
            FailurePattern.of(
                    "No ACK received|not responding|Error connecting|Unable to connect",
                    NO_DEVICE,
                    "the probe was found but the target chip does not answer",
                    "Check the SWD wiring and that the board is powered."));

    @Override
    public @NotNull String toolId() {
        return PyOcdSettings.TOOL_ID;
    }

    @Override
    public @NotNull List<String> executableNames() {
        return List.of("pyocd", "pyocd-flashtool");
    }

    @Override
    public @NotNull String installHint() {
        return "Install it with 'pipx install pyocd' (PyPI package pyocd) or 'apt-get install python3-pyocd'"
                + " (Debian's older pyocd-flashtool), or set 'executable'.";
    }

    /** Debian's python3-pyocd has only the pre-0.14 command with its own option names. */
    static boolean legacy(final Path executable) {
        return executable.getFileName().toString().startsWith("pyocd-flashtool");
    }

    @Override
    public @NotNull List<String> arguments(
            final @NotNull Path executable, final @NotNull PyOcdSettings settings, final @NotNull Path image) {
        final boolean legacy = legacy(executable);
        final List<String> args = new ArrayList<>();
        if (!legacy) {
            args.add("flash");
        }
        args.add("-t");
        args.add(settings.target());
        settings.probe().ifPresent(probe -> {
            args.add(legacy ? "-b" : "-u");
            args.add(probe);
        });
        settings.address().ifPresent(address -> {
            args.add(legacy ? "-a" : "--base-address");
            args.add(SettingChecks.hex(address));
        });
        args.add(image.toString());
        return List.copyOf(args);
    }

    @Override
    public @NotNull OutputParser parser(
            final @NotNull PyOcdSettings settings, final long imageSize, final @NotNull Consumer<FlashProgress> sink) {
        return new OutputParser(imageSize, sink) {
            private boolean ruler;

            @Override
            public void onLine(final @NotNull String line, final boolean complete) {
                final String text = line.strip();
                if (text.startsWith("[---|")) {
                    ruler = true;
                    return;
                }
                Matcher m = TTY_BAR.matcher(text);
                if (m.find()) {
                    progress(FlashPhase.WRITE, ofImage(Integer.parseInt(m.group(2))), imageSize);
                    return;
                }
                if (ruler && (m = PIPE_BAR.matcher(text)).find()) {
                    final boolean closed = !m.group(2).isEmpty();
                    progress(
                            FlashPhase.WRITE,
                            closed ? imageSize : ofImage(m.group(1).length() * 2.5),
                            imageSize);
                    if (closed) {
                        ruler = false;
                    }
                    return;
                }
                if (complete && (m = PROGRAMMED.matcher(text)).find()) {
                    bytesWritten = Long.parseLong(m.group(1));
                }
            }
        };
    }

    @Override
    public @NotNull List<FailurePattern> failures() {
        return FAILURES;
    }

    @Override
    public @NotNull String chipName(final @NotNull PyOcdSettings settings) {
        return settings.target();
    }

    @Override
    public long baseAddress(final @NotNull PyOcdSettings settings) {
        return settings.address().orElse(0);
    }
}
