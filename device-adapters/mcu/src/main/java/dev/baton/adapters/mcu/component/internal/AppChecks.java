package dev.baton.adapters.mcu.component.internal;

import dev.baton.adapters.api.ProviderContext;
import dev.baton.adapters.mcu.FlashException;
import dev.baton.adapters.mcu.component.AppCheck;
import dev.baton.adapters.mcu.component.FirmwareConfig;
import dev.baton.adapters.mcu.component.FirmwareTarget;
import dev.baton.protocol.Device;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.jetbrains.annotations.NotNull;

/**
 * Runs a component's {@code appCheck} after its back-end flashed a target, unless the back-end ran it itself (a serial
 * back-end checks a banner on the port it flashed through, which it still holds open). Blocking, on the reconciler
 * thread.
 */
public final class AppChecks {

    private static final Duration POLL = Duration.ofMillis(200);

    private AppChecks() {}

    /**
     * @throws FlashException with reason TIMEOUT when the application did not show itself in time
     */
    public static void afterFlash(
            final @NotNull FirmwareConfig config,
            final @NotNull FirmwareTarget target,
            final @NotNull ProviderContext context) {
        final AppCheck check = config.settings().appCheck();
        if (check instanceof AppCheck.SerialBanner banner) {
            final boolean ranByBackend = config.flasher() instanceof SerialFirmwareBackend
                    && target.location() != null
                    && SerialFirmwareBackend.runsBanner(config.settings(), target.location());
            if (ranByBackend) {
                return;
            }
            final String port = banner.port() != null ? banner.port() : target.location();
            if (port == null) {
                throw new FlashException(
                        FlashException.Reason.UNSUPPORTED,
                        "appCheck.serialBanner needs appCheck.port with flasher "
                                + config.flasher().id());
            }
            final int baud = banner.baud() != 0
                    ? banner.baud()
                    : config.settings().baud().orElse(SerialFirmwareBackend.DEFAULT_BAUD);
            SerialBannerCheck.await(port, baud, banner);
        } else if (check instanceof AppCheck.UsbReenumeration usb) {
            awaitUsb(usb, context);
        }
    }

    private static void awaitUsb(final AppCheck.UsbReenumeration usb, final ProviderContext context) {
        final long deadline = System.nanoTime() + usb.timeout().toNanos();
        while (true) {
            for (final Device device : context.devices()) {
                if (TargetResolver.USB_KINDS.contains(device.kind())
                        && usb.vid().equals(lower(device, "vid"))
                        && usb.pid().equals(lower(device, "pid"))) {
                    return;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new FlashException(
                        FlashException.Reason.TIMEOUT,
                        "the application did not start: no USB device " + usb.vid() + ":" + usb.pid()
                                + " appeared in this node's inventory within "
                                + usb.timeout().toMillis()
                                + " ms; check the ids, that usb discovery scans more often than that, and that the"
                                + " image is the right one for this board");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new FlashException(FlashException.Reason.CANCELLED, "the application check was cancelled");
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    private static String lower(final Device device, final String property) {
        final var value = device.properties().get(property);
        return value == null ? null : value.asText().toLowerCase(Locale.ROOT);
    }
}
