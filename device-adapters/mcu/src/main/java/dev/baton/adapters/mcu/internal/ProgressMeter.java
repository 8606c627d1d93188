package dev.baton.adapters.mcu.internal;

import dev.baton.adapters.mcu.FlashPhase;
import dev.baton.adapters.mcu.FlashProgress;
import dev.baton.adapters.mcu.FlashProgressListener;
import java.time.Duration;

/** Counts one phase's work and tells the listener after every step; confined to the flasher's thread. */
final class ProgressMeter {

    private final FlashProgressListener listener;
    private final FlashPhase phase;
    private final long total;
    private final long startNanos = System.nanoTime();
    private long done;

    ProgressMeter(final FlashProgressListener listener, final FlashPhase phase, final long total) {
        this.listener = listener;
        this.phase = phase;
        this.total = total;
        listener.onProgress(new FlashProgress(phase, 0, total, Duration.ZERO));
    }

    void advance(final long amount) {
        done += amount;
        listener.onProgress(new FlashProgress(phase, done, total, Duration.ofNanos(System.nanoTime() - startNanos)));
    }
}
