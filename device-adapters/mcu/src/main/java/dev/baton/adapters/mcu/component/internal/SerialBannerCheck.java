package dev.baton.adapters.mcu.component.internal;

import dev.baton.adapters.mcu.FlashException;
import dev.baton.adapters.mcu.Parity;
import dev.baton.adapters.mcu.SerialLink;
import dev.baton.adapters.mcu.SerialLinkConfig;
import dev.baton.adapters.mcu.SerialLinkException;
import dev.baton.adapters.mcu.component.AppCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.jetbrains.annotations.NotNull;

/**
 * Waits for a flashed application's banner: a line (or the text so far of an unfinished one) on a serial port that
 * the {@link AppCheck.SerialBanner#pattern()} finds. Blocking, on the caller's thread.
 */
final class SerialBannerCheck {

    /** Text kept for matching and for the failure message. */
    static final int KEEP_CHARS = 4096;

    private static final Duration SLICE = Duration.ofMillis(100);

    private SerialBannerCheck() {}

    /**
     * Reads {@code link} (already open, e.g. the one the image was flashed through) until the banner shows.
     *
     * @throws FlashException with reason TIMEOUT when it did not show in time, LINK_LOST when the port went away
     */
    static void await(final @NotNull SerialLink link, final @NotNull AppCheck.SerialBanner banner) {
        final long deadline = System.nanoTime() + banner.timeout().toNanos();
        final StringBuilder seen = new StringBuilder();
        final byte[] buffer = new byte[256];
        while (true) {
            final int n;
            try {
                n = link.read(buffer, 0, buffer.length, SLICE);
            } catch (final SerialLinkException e) {
                throw new FlashException(
                        FlashException.Reason.LINK_LOST,
                        "the application check lost port " + link.config().port() + " while waiting for a line"
                                + " matching '" + banner.pattern() + "': " + e.getMessage(),
                        -1,
                        e);
            }
            if (n > 0) {
                seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                if (seen.length() > KEEP_CHARS) {
                    seen.delete(0, seen.length() - KEEP_CHARS);
                }
                for (final String line : seen.toString().split("\r\n|\r|\n", -1)) {
                    if (banner.pattern().matcher(line).find()) {
                        return;
                    }
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw notSeen(link.config().port(), banner, seen);
            }
        }
    }

    /**
     * Opens {@code port} (8N1, no modem lines) at {@code baud}, waiting for it to appear (a USB application's own port
     * shows up after it started), then waits for the banner.
     */
    static void await(final @NotNull String port, final int baud, final @NotNull AppCheck.SerialBanner banner) {
        final long deadline = System.nanoTime() + banner.timeout().toNanos();
        while (port.startsWith("/") && !Files.exists(Path.of(port))) {
            if (System.nanoTime() - deadline > 0) {
                throw new FlashException(
                        FlashException.Reason.TIMEOUT,
                        "the application did not start: its port " + port + " did not appear within "
                                + banner.timeout().toMillis() + " ms; check appCheck.port and that the image is the"
                                + " right one for this board");
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        final long left = Math.max(SLICE.toMillis(), (deadline - System.nanoTime()) / 1_000_000);
        final SerialLinkConfig config = SerialLinkConfig.builder(port)
                .baud(baud)
                .parity(Parity.NONE)
                .controlLines(SerialLinkConfig.ControlLines.NONE)
                .build();
        try (SerialLink link = SerialLink.open(config)) {
            await(link, new AppCheck.SerialBanner(banner.pattern(), Duration.ofMillis(left), port, baud));
        } catch (final SerialLinkException e) {
            throw new FlashException(
                    FlashException.Reason.LINK_LOST,
                    "the application check cannot open " + port + ": " + e.getMessage(),
                    -1,
                    e);
        }
    }

    private static FlashException notSeen(
            final String port, final AppCheck.SerialBanner banner, final CharSequence seen) {
        final String tail =
                printable(seen.length() > 200 ? seen.subSequence(seen.length() - 200, seen.length()) : seen);
        return new FlashException(
                FlashException.Reason.TIMEOUT,
                "the application did not start: no line matching '" + banner.pattern() + "' on " + port + " within "
                        + banner.timeout().toMillis() + " ms ("
                        + (tail.isEmpty() ? "nothing arrived" : "last received: '" + tail + "'")
                        + "); check the baud (appCheck.baud) and that the image is the right one for this board");
    }

    private static String printable(final CharSequence text) {
        final StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> {
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c < 0x20 || c > 0x7E) {
                out.append('.');
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }
}
