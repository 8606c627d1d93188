package dev.baton.adapters.mcu;

import org.jetbrains.annotations.NotNull;

/**
 * Hears how a flash progresses. Called on the thread that runs {@link Flasher#flash}, after every block or page: it
 * must return quickly, because the serial link waits meanwhile.
 */
@FunctionalInterface
public interface FlashProgressListener {

    /** A listener that ignores everything. */
    FlashProgressListener NONE = progress -> {};

    void onProgress(@NotNull FlashProgress progress);
}
