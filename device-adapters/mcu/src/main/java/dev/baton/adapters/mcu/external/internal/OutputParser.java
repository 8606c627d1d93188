package dev.baton.adapters.mcu.external.internal;

import dev.baton.adapters.mcu.FlashPhase;
import dev.baton.adapters.mcu.FlashProgress;
import java.time.Duration;
import java.util.function.Consumer;
import org.jetbrains.annotations.NotNull;

/**
 * Turns one tool's output into progress and facts (bytes written, verified, chip, tool version). Confined to the
 * thread that reads the tool's output; the facts are read after that thread has ended.
 *
 * <p>{@link #onLine} sees each line twice or more: while it grows ({@code complete} false, so that progress bars
 * drawn one character at a time, like avrdude's and pyOCD's on a pipe, report as they go) and once complete.
 */
public abstract class OutputParser {

    protected final long imageSize;
    private final Consumer<FlashProgress> sink;
    private FlashPhase phase;
    private long phaseStartNanos;
    private long lastDone = -1;

    /** Bytes the tool says it wrote, or -1 when it did not say. */
    protected long bytesWritten = -1;

    /** Whether the tool said it read the flash back and it matched. */
    protected boolean verified;

    /** The chip's ID as the tool printed it (AVR signature), or -1. */
    protected long chipId = -1;

    /** The chip's name as the tool printed it, or null. */
    protected String chipName;

    /** The tool's name and version as it printed them, or null. */
    protected String toolVersion;

    protected OutputParser(final long imageSize, final @NotNull Consumer<FlashProgress> sink) {
        this.imageSize = imageSize;
        this.sink = sink;
    }

    /** One line of output without its line end, ANSI escapes removed. */
    public abstract void onLine(@NotNull String line, boolean complete);

    /** Reports progress in {@code phase}; repeated figures are reported once. */
    protected final void progress(final @NotNull FlashPhase phase, final long done, final long total) {
        final long now = System.nanoTime();
        if (phase != this.phase) {
            this.phase = phase;
            this.phaseStartNanos = now;
            this.lastDone = -1;
        }
        final long clamped = Math.max(0, Math.min(done, total));
        if (clamped == lastDone) {
            return;
        }
        lastDone = clamped;
        sink.accept(new FlashProgress(phase, clamped, total, Duration.ofNanos(now - phaseStartNanos)));
    }

    /** {@code percent} of the image, in bytes. */
    protected final long ofImage(final double percent) {
        return Math.round(imageSize * Math.max(0, Math.min(100, percent)) / 100.0);
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    public boolean verified() {
        return verified;
    }

    public long chipId() {
        return chipId;
    }

    public String chipName() {
        return chipName;
    }

    public String toolVersion() {
        return toolVersion;
    }
}
