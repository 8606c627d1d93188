package dev.baton.adapters.mcu.internal;

import dev.baton.adapters.mcu.FlashException;
import dev.baton.adapters.mcu.FlashException.Reason;
import org.jetbrains.annotations.NotNull;

/** Repeats a bootloader command while the bootloader refuses it, a bounded number of times. */
final class RefusalRetries {

    private RefusalRetries() {}

    /**
     * Runs {@code action}; while it fails with {@link Reason#REFUSED}, runs {@code beforeRetry} and tries again, at
     * most {@code retries} more times. Other failures pass through at once.
     *
     * @param refusal how the last refusal reads after "… was refused", e.g. " (NACK)"
     * @param advice what the user can do, appended to the final error
     * @throws FlashException {@link Reason#REFUSED} naming {@code what}, the address and the attempts when every
     *     try was refused
     */
    static void run(
            final int retries,
            final @NotNull String what,
            final long address,
            final @NotNull String refusal,
            final @NotNull String advice,
            final @NotNull Runnable beforeRetry,
            final @NotNull Runnable action) {
        for (int attempt = 0; ; attempt++) {
            try {
                action.run();
                return;
            } catch (final FlashException e) {
                if (e.reason() != Reason.REFUSED) {
                    throw e;
                }
                if (attempt == retries) {
                    throw new FlashException(
                            Reason.REFUSED,
                            what + BootloaderPort.at(address) + " was refused" + refusal + " " + (attempt + 1)
                                    + " time(s); " + advice,
                            address,
                            e);
                }
                beforeRetry.run();
            }
        }
    }
}
