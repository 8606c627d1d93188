package dev.baton.adapters.mcu.external.internal;

import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.NO_DEVICE;
import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.PERMISSION_DENIED;
import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.VERIFY_FAILED;
import static dev.baton.adapters.mcu.external.ExternalToolFailure.Reason.WRONG_CHIP;

import dev.baton.adapters.mcu.FlashPhase;
import dev.baton.adapters.mcu.FlashProgress;
import dev.baton.adapters.mcu.external.AvrdudeSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/**
 * avrdude, writing the flash memory only ({@code -U flash:w:FILE:FORMAT}). On a pipe avrdude draws its bar one
 * {@code #} at a time, 50 of them for 100 %: {@code Writing | ##########... | 100% 0.32s}; the bar after writing,
 * {@code Reading | …}, is the verification.
 */
public final class AvrdudeDriver implements ToolDriver<AvrdudeSettings> {

    private static final Pattern SIGNATURE =
            Pattern.compile("device signature = 0x([0-9a-f]{6})(?: \\(probably (\\S+)\\))?", Pattern.CASE_INSENSITIVE);
    // bounded digit runs: an unbounded (\d+) makes find() quadratic on long lines of digits
    private static final Pattern WRITTEN = Pattern.compile("\\b(\\d{1,10}) bytes of flash written");
    private static final Pattern VERIFIED = Pattern.compile("\\b(\\d{1,10}) bytes of flash verified");

    private static final String CONNECTION_ADVICE = "Check 'port' and 'programmer', that the programmer is plugged"
            + " in and the board powered; with the arduino programmer the board must reset into its bootloader.";

    private static final List<FailurePattern> FAILURES = List.of(
            FailurePattern.of(
                    "verification error|verification mismatch|content mismatch",
                    VERIFY_FAILED,
                    "the flash read back differs from the image",
                    "Flash again; if it fails again the chip's flash may be worn, or lock bits protect it."),
            FailurePattern.of(
                    "device signature = 0x(000000|ffffff)",
                    NO_DEVICE,
                    "the programmer answers but no chip does (signature all zeros or ones)",
                    "Check the ISP wiring and that the target is powered."),
            FailurePattern.of(
                    "expected signature for .* is|Invalid device signature",
                    WRONG_CHIP,
                    "the chip's signature is not the configured part's",
                    "Check the 'part' setting against the chip on the board; nothing was written."),
            FailurePattern.of(
                    "Permission denied|run avrdude as root|usb port permissions|LIBUSB_ERROR_ACCESS",
                    PERMISSION_DENIED,
                    "permission denied on the port or USB programmer",
                    "Add the agent's user to the 'dialout' group (serial ports) or install a udev rule for the"
                            + " programmer's USB ID; then restart the agent."),
            FailurePattern.of(
                    "cannot open port|ser_open\\(\\).*can't open device|No such file or directory",
                    NO_DEVICE,
                    "the port does not exist",
                    CONNECTION_ADVICE),
            FailurePattern.of(
                    "programmer is not responding|not in sync|did not find any.*USB device|cannot find USB device"
                            + "|cannot find USBtiny|initialization failed|target doesn't answer"
                            + "|unable to open programmer",
                    NO_DEVICE,
                    "no programmer or bootloader answered",
                    CONNECTION_ADVICE));

    @Override
    public @NotNull String toolId() {
        return AvrdudeSettings.TOOL_ID;
    }

    @Override
    public @NotNull List<String> executableNames() {
        return List.of("avrdude");
    }

    @Override
    public @NotNull String installHint() {
        return "Install it with 'apt-get install avrdude' (Debian package avrdude) or set 'executable'.";
    }

    @Override
    public void checkImagePath(final @NotNull Path image) {
        // avrdude splits -U at ':'; it knows Windows drive letters, nothing else
        final String text = image.toString();
        final String withoutDrive = text.matches("^[A-Za-z]:\\\\.*") ? text.substring(2) : text;
        if (withoutDrive.indexOf(':') >= 0) {
            throw new IllegalArgumentException("avrdude splits '-U flash:w:FILE:FORMAT' at ':', so the image path must"
                    + " not contain ':', but was '" + SettingChecks.printable(text) + "'");
        }
    }

    @Override
    public @NotNull List<String> arguments(
            final @NotNull Path executable, final @NotNull AvrdudeSettings settings, final @NotNull Path image) {
        final List<String> args = new ArrayList<>();
        args.add("-c");
        args.add(settings.programmer());
        args.add("-p");
        args.add(settings.part());
        settings.port().ifPresent(port -> {
            args.add("-P");
            args.add(port);
        });
        settings.baud().ifPresent(baud -> {
            args.add("-b");
            args.add(Long.toString(baud));
        });
        if (!settings.verify()) {
            args.add("-V");
        }
        args.add("-U");
        args.add("flash:w:" + image + ":" + format(image));
        return List.copyOf(args);
    }

    /**
     * {@code i} for Intel HEX, else {@code r} (raw): by extension, else by content, since avrdude's own
     * auto-detection ({@code a}) also accepts formats the firmware component never hands over.
     */
    static String format(final Path image) {
        final String name = image.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".hex") || name.endsWith(".ihex") || name.endsWith(".ihx")) {
            return "i";
        }
        if (name.endsWith(".bin")) {
            return "r";
        }
        try (InputStream in = Files.newInputStream(image)) {
            final byte[] head = in.readNBytes(64);
            if (head.length >= 11 && head[0] == ':') {
                for (int i = 1; i < head.length && head[i] != '\r' && head[i] != '\n'; i++) {
                    if (Character.digit(head[i], 16) < 0) {
                        return "r";
                    }
                }
                return "i";
            }
        } catch (final IOException e) {
            // unreadable images are refused before this; raw is the safe guess
        }
        return "r";
    }

    @Override
    public @NotNull OutputParser parser(
            final @NotNull AvrdudeSettings settings,
            final long imageSize,
            final @NotNull Consumer<FlashProgress> sink) {
        return new OutputParser(imageSize, sink) {
            private boolean wrote;

            @Override
            public void onLine(final @NotNull String line, final boolean complete) {
                final String text = line.strip();
                if (text.startsWith("Writing |") || text.startsWith("Reading |")) {
                    final boolean writing = text.startsWith("Writing");
                    if (!writing && !wrote) {
                        return; // a read before writing is not the verification
                    }
                    wrote |= writing;
                    final String bar = text.substring("Writing |".length());
                    final int end = bar.indexOf('|');
                    final long hashes = (end < 0 ? bar : bar.substring(0, end))
                            .chars()
                            .filter(c -> c == '#')
                            .count();
                    progress(writing ? FlashPhase.WRITE : FlashPhase.VERIFY, ofImage(hashes * 2.0), imageSize);
                    return;
                }
                if (!complete) {
                    return;
                }
                Matcher m = SIGNATURE.matcher(text);
                if (m.find()) {
                    chipId = Long.parseLong(m.group(1), 16);
                    if (m.group(2) != null) {
                        chipName = m.group(2);
                    }
                } else if ((m = WRITTEN.matcher(text)).find()) {
                    bytesWritten = Long.parseLong(m.group(1));
                } else if (VERIFIED.matcher(text).find()) {
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
    public @NotNull String chipName(final @NotNull AvrdudeSettings settings) {
        return settings.part();
    }

    @Override
    public long baseAddress(final @NotNull AvrdudeSettings settings) {
        return 0;
    }
}
