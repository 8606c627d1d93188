package dev.baton.adapters.mcu.external.internal;

import dev.baton.adapters.mcu.ChipIdentity;
import dev.baton.adapters.mcu.FirmwareImage;
import dev.baton.adapters.mcu.FlashLayout;
import dev.baton.adapters.mcu.FlashProgressListener;
import dev.baton.adapters.mcu.FlashReport;
import dev.baton.adapters.mcu.Verification;
import dev.baton.adapters.mcu.external.ExternalFlasher;
import dev.baton.adapters.mcu.external.ExternalToolFailure;
import dev.baton.adapters.mcu.external.ExternalToolSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/** One tool with its settings; the {@link ToolDriver} supplies what differs between tools. */
public final class ToolFlasher<S extends ExternalToolSettings> implements ExternalFlasher {

    /**
     * English messages (what the failure patterns match), unbuffered Python output (so esptool and pyOCD progress
     * arrives as it happens) and no terminal tricks (esptool 5 redraws lines with ANSI codes on a "smart" TERM).
     */
    private static final Map<String, String> ENVIRONMENT =
            Map.of("LC_ALL", "C", "LANG", "C", "PYTHONUNBUFFERED", "1", "NO_COLOR", "1", "TERM", "dumb");

    private final ToolDriver<S> driver;
    private final S settings;
    private final ExecutableLocator locator;

    public ToolFlasher(
            final @NotNull ToolDriver<S> driver, final @NotNull S settings, final @NotNull ExecutableLocator locator) {
        this.driver = Objects.requireNonNull(driver, "driver");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.locator = Objects.requireNonNull(locator, "locator");
    }

    @Override
    public @NotNull String toolId() {
        return driver.toolId();
    }

    @Override
    public @NotNull ExternalToolSettings settings() {
        return settings;
    }

    @Override
    public @NotNull Path executable() {
        if (settings.executable().isPresent()) {
            final Path configured = settings.executable().get();
            if (Files.isRegularFile(configured) && Files.isExecutable(configured)) {
                return configured;
            }
            throw missing("the configured executable " + configured + " does not exist or is not executable");
        }
        return locator.find(driver.executableNames())
                .orElseThrow(() -> missing("no "
                        + String.join(
                                " or ",
                                driver.executableNames().stream()
                                        .map(n -> "'" + n + "'")
                                        .toList())
                        + " on PATH (" + locator.directories().size() + " directories searched)"));
    }

    @Override
    public @NotNull List<String> commandLine(final @NotNull Path image) {
        final Path executable = executable();
        final Path absolute = checkImage(image);
        final List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(driver.arguments(executable, settings, absolute));
        return List.copyOf(command);
    }

    @Override
    public @NotNull FlashReport flash(final @NotNull Path image, final @NotNull FlashProgressListener listener) {
        final List<String> command = commandLine(image);
        final long size;
        try {
            size = Files.size(image);
        } catch (final IOException e) {
            throw new IllegalArgumentException("cannot read the image " + image + ": " + e.getMessage(), e);
        }
        final long started = System.nanoTime();
        final OutputParser[] parser = new OutputParser[1];
        final ToolProcess.Result result;
        try {
            result = ToolProcess.run(
                    command,
                    ENVIRONMENT,
                    settings.timeout(),
                    sink -> parser[0] = driver.parser(settings, size, sink),
                    listener);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExternalToolFailure(
                            toolId(),
                            ExternalToolFailure.Reason.CANCELLED,
                            toolId() + " was stopped because the flash was cancelled; the device may hold a partly"
                                    + " written image: flash it again",
                            -1,
                            List.of())
                    .toFlashException();
        } catch (final IOException e) {
            throw new ExternalToolFailure(
                            toolId(),
                            ExternalToolFailure.Reason.TOOL_MISSING,
                            toolId() + " could not be started (" + command.get(0) + "): " + e.getMessage() + ". "
                                    + driver.installHint(),
                            -1,
                            List.of())
                    .toFlashException();
        }
        final Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (result.timedOut()) {
            throw new ExternalToolFailure(
                            toolId(),
                            ExternalToolFailure.Reason.TIMEOUT,
                            toolId() + " did not finish within "
                                    + settings.timeout().toSeconds() + " s and was killed"
                                    + " with its child processes; raise 'timeoutSeconds' if the image is large, else"
                                    + " check the connection." + lastLines(result.tail()),
                            -1,
                            tailForMessage(result.tail()))
                    .toFlashException();
        }
        if (result.exitCode() != 0) {
            throw classify(driver, result.exitCode(), result.tail()).toFlashException();
        }
        final OutputParser facts = parser[0];
        final String chipName = facts.chipName() != null ? facts.chipName() : driver.chipName(settings);
        final String version = facts.toolVersion() != null ? facts.toolVersion() : toolId();
        final long written = facts.bytesWritten() >= 0 ? facts.bytesWritten() : size;
        final long base = driver.baseAddress(settings);
        final int span = (int) Math.max(1, Math.min(size, FirmwareImage.ADDRESS_LIMIT - base));
        final ChipIdentity chip = new ChipIdentity(
                toolId(), Math.max(0, facts.chipId()), chipName, version, FlashLayout.uniform(base, span, 1));
        return new FlashReport(
                chip,
                written,
                List.of(),
                false,
                facts.verified() ? Verification.READBACK : Verification.NONE,
                List.of(),
                took);
    }

    /** The failure a non-zero exit with this output means. */
    public static @NotNull ExternalToolFailure classify(
            final @NotNull ToolDriver<?> driver, final int exitCode, final @NotNull List<String> tail) {
        for (final FailurePattern pattern : driver.failures()) {
            for (final String line : tail) {
                if (pattern.line().matcher(line).find()) {
                    return new ExternalToolFailure(
                            driver.toolId(),
                            pattern.reason(),
                            driver.toolId() + " failed (exit code " + exitCode + "): " + pattern.summary() + " ('"
                                    + line.strip() + "'). " + pattern.advice() + lastLines(tail),
                            exitCode,
                            tailForMessage(tail));
                }
            }
        }
        return new ExternalToolFailure(
                driver.toolId(),
                ExternalToolFailure.Reason.FAILED,
                driver.toolId() + " failed with exit code " + exitCode + "; its last output says why."
                        + lastLines(tail),
                exitCode,
                tailForMessage(tail));
    }

    private dev.baton.adapters.mcu.FlashException missing(final String why) {
        return new ExternalToolFailure(
                        toolId(),
                        ExternalToolFailure.Reason.TOOL_MISSING,
                        toolId() + " is not installed: " + why + ". " + driver.installHint(),
                        -1,
                        List.of())
                .toFlashException();
    }

    private Path checkImage(final Path image) {
        final Path absolute = image.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute) || !Files.isReadable(absolute)) {
            throw new IllegalArgumentException("the image " + absolute + " is not a readable file");
        }
        for (int i = 0; i < absolute.toString().length(); i++) {
            if (absolute.toString().charAt(i) < 0x20) {
                throw new IllegalArgumentException("the image path must not contain control characters, but was '"
                        + SettingChecks.printable(absolute.toString()) + "'");
            }
        }
        driver.checkImagePath(absolute);
        return absolute;
    }

    private static List<String> tailForMessage(final List<String> tail) {
        return tail.subList(Math.max(0, tail.size() - ToolProcess.MESSAGE_LINES), tail.size());
    }

    private static String lastLines(final List<String> tail) {
        final List<String> last = tailForMessage(tail);
        return last.isEmpty() ? " (no output)" : " Last output:\n  " + String.join("\n  ", last);
    }
}
