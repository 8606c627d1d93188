package dev.baton.adapters.mcu.component.internal;

import dev.baton.adapters.api.ProviderContext;
import dev.baton.adapters.mcu.FlashPhase;
import dev.baton.adapters.mcu.FlashProgress;
import dev.baton.adapters.mcu.FlashProgressListener;
import dev.baton.protocol.Severity;
import java.time.Duration;
import java.util.Locale;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Turns a flash's progress into {@code firmware.progress} events, few enough for the outbox: the first report of each
 * phase, then every further 10 %, at least every 2 s, and the end of the phase. Events are droppable, so nothing
 * depends on them.
 *
 * <p>Threading: the flashing thread (the reconciler's).
 */
public final class ProgressEvents implements FlashProgressListener {

    /** The event type. */
    public static final String TYPE = "firmware.progress";

    static final Duration INTERVAL = Duration.ofSeconds(2);

    private final ProviderContext context;
    private final String target;
    private @Nullable FlashPhase phase;
    private int bucket;
    private long lastAt;

    public ProgressEvents(final @NotNull ProviderContext context, final @NotNull String target) {
        this.context = context;
        this.target = target;
    }

    @Override
    public void onProgress(final @NotNull FlashProgress progress) {
        final long now = System.nanoTime();
        final int percentBucket = (int) Math.floor(progress.percent() / 10);
        final boolean due = progress.phase() != phase
                || percentBucket > bucket
                || now - lastAt >= INTERVAL.toNanos()
                || (progress.done() == progress.total() && bucket < 10);
        if (!due) {
            return;
        }
        phase = progress.phase();
        bucket = percentBucket;
        lastAt = now;
        context.event(Severity.INFO, TYPE, describe(target, progress));
    }

    /** {@code serial:/dev/ttyUSB0: write 40% (8192/20000 bytes, 9650 B/s)}. */
    static @NotNull String describe(final @NotNull String target, final @NotNull FlashProgress progress) {
        final String unit = progress.phase() == FlashPhase.ERASE ? "pages" : "bytes";
        return String.format(
                Locale.ROOT,
                "%s: %s %d%% (%d/%d %s, %d %s/s)",
                target,
                progress.phase().name().toLowerCase(Locale.ROOT),
                (int) Math.floor(progress.percent()),
                progress.done(),
                progress.total(),
                unit,
                Math.round(progress.rate()),
                progress.phase() == FlashPhase.ERASE ? "pages" : "B");
    }
}
