package dev.baton.adapters.mcu.component.internal;

import dev.baton.adapters.mcu.FlashException;
import dev.baton.adapters.mcu.FlashOptions;
import dev.baton.adapters.mcu.FlashProgressListener;
import dev.baton.adapters.mcu.FlashReport;
import dev.baton.adapters.mcu.FlasherFactory;
import dev.baton.adapters.mcu.SerialLink;
import dev.baton.adapters.mcu.SerialLinkConfig;
import dev.baton.adapters.mcu.SerialLinkException;
import dev.baton.adapters.mcu.Verification;
import dev.baton.adapters.mcu.component.AppCheck;
import dev.baton.adapters.mcu.component.FirmwareArtifact;
import dev.baton.adapters.mcu.component.FirmwareBackend;
import dev.baton.adapters.mcu.component.FirmwareFlashResult;
import dev.baton.adapters.mcu.component.FirmwareSettings;
import dev.baton.adapters.mcu.component.FirmwareTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;
import org.jetbrains.annotations.NotNull;

/**
 * A native serial {@link FlasherFactory} ({@code stm32-uart}, {@code avr-optiboot}) as a {@link FirmwareBackend}: opens
 * the target's port with the back-end's frame (overridden by {@code baud}, {@code parity}, {@code reset}), flashes,
 * and runs a {@link AppCheck.SerialBanner} check without a port of its own on the same, still open link.
 */
final class SerialFirmwareBackend implements FirmwareBackend {

    static final int DEFAULT_BAUD = 115_200;

    private final FlasherFactory factory;

    SerialFirmwareBackend(final @NotNull FlasherFactory factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public @NotNull String id() {
        return factory.id();
    }

    @Override
    public FirmwareTarget.@NotNull Type targetType() {
        return FirmwareTarget.Type.SERIAL_PORT;
    }

    @Override
    public @NotNull OptionalLong binaryBaseAddress() {
        return switch (factory.id()) {
            case "stm32-uart" -> OptionalLong.of(0x0800_0000L);
            case "avr-optiboot" -> OptionalLong.of(0);
            default -> OptionalLong.empty();
        };
    }

    @Override
    public void validate(final @NotNull FirmwareSettings settings) {
        if (!settings.options().isEmpty()) {
            throw new IllegalArgumentException("property 'options' does not apply to flasher " + id());
        }
        if (settings.verify() == Verification.CHECKSUM && !factory.id().equals("stm32-uart")) {
            throw new IllegalArgumentException("property 'verify' is checksum, but flasher " + id()
                    + " has no checksum command; use auto or readback");
        }
    }

    @Override
    public @NotNull FirmwareFlashResult flash(
            final @NotNull FirmwareTarget target,
            final @NotNull FirmwareArtifact artifact,
            final @NotNull FirmwareSettings settings,
            final @NotNull FlashProgressListener listener) {
        final String port = Objects.requireNonNull(target.location(), "a serial target has a port");
        if (port.startsWith("/") && !Files.exists(Path.of(port))) {
            throw new FlashException(
                    FlashException.Reason.NO_DEVICE,
                    "serial port " + port + " is missing: check that the board is plugged in and the path"
                            + " (ls /dev/serial/by-id)");
        }
        final SerialLinkConfig.Builder link =
                factory.defaultLink(port, settings.baud().orElse(DEFAULT_BAUD));
        settings.parity().ifPresent(link::parity);
        settings.reset()
                .ifPresent(reset -> link.controlLines(
                        reset == FirmwareSettings.ResetMethod.NONE
                                ? SerialLinkConfig.ControlLines.NONE
                                : SerialLinkConfig.ControlLines.MODEM));
        final FlashOptions.Builder options = FlashOptions.builder()
                .verification(settings.verify())
                .startApplication(settings.startApplication())
                .eraseMode(settings.eraseMode())
                .removeReadProtection(settings.removeReadProtection());
        settings.expectedChipId().ifPresent(options::expectedChipId);
        final SerialLinkConfig config;
        try {
            config = link.build();
        } catch (final IllegalArgumentException e) {
            throw new FlashException(FlashException.Reason.NO_SYNC, "serial port " + port + ": " + e.getMessage());
        }
        try (SerialLink open = SerialLink.open(config)) {
            final FlashReport report = factory.create(open).flash(artifact.image(), options.build(), listener);
            if (runsBanner(settings, port) && settings.appCheck() instanceof AppCheck.SerialBanner banner) {
                SerialBannerCheck.await(open, banner);
            }
            return new FirmwareFlashResult(
                    report.chip().chipIdHex(),
                    report.verified(),
                    report.bytesWritten(),
                    report.duration(),
                    report.chip().chipName() + ", " + report.bytesWritten() + " bytes"
                            + (report.verified()
                                    ? ", verified by "
                                            + (report.verifiedBy() == Verification.CHECKSUM ? "checksum" : "read-back")
                                    : "")
                            + (report.rewrittenPages().isEmpty()
                                    ? ""
                                    : ", " + report.rewrittenPages().size() + " pages rewritten after verify"));
        } catch (final SerialLinkException e) {
            throw new FlashException(reasonFor(e.reason()), e.getMessage(), -1, e);
        }
    }

    /** The flash failure a link failure is. */
    static FlashException.@NotNull Reason reasonFor(final SerialLinkException.@NotNull Reason reason) {
        return switch (reason) {
            case PORT_MISSING -> FlashException.Reason.NO_DEVICE;
            case PERMISSION_DENIED -> FlashException.Reason.PERMISSION_DENIED;
            case OPEN_FAILED, CONTROL_LINES -> FlashException.Reason.NO_SYNC;
            case LINK_LOST -> FlashException.Reason.LINK_LOST;
            case TIMEOUT -> FlashException.Reason.TIMEOUT;
        };
    }

    /**
     * Whether this back-end checks the banner itself, on the link it flashed through: the banner is expected on that
     * port at that baud. Otherwise the provider opens the banner's port after the flash.
     */
    static boolean runsBanner(final @NotNull FirmwareSettings settings, final @NotNull String port) {
        return settings.appCheck() instanceof AppCheck.SerialBanner banner
                && (banner.port() == null || banner.port().equals(port))
                && (banner.baud() == 0 || banner.baud() == settings.baud().orElse(DEFAULT_BAUD));
    }

    @Override
    public String toString() {
        return "SerialFirmwareBackend[" + factory.id() + "]";
    }
}
