package dev.baton.adapters.container.internal;

import org.jetbrains.annotations.NotNull;

/**
 * How much of a response body is kept, and what happens beyond that: a JSON answer larger than expected is an
 * error, while of a log only the start is wanted and of a pull's progress stream only the end.
 *
 * @param maxBytes at least 1
 * @param overflow what to do with the bytes beyond {@code maxBytes}
 */
public record BodyLimit(int maxBytes, @NotNull Overflow overflow) {

    /** What happens to a body longer than {@link #maxBytes}. */
    public enum Overflow {
        /** The exchange fails: the answer is not what the caller can use. */
        FAIL,
        /** The first {@code maxBytes} are kept and the rest is not read; the connection is closed early. */
        KEEP_HEAD,
        /** The whole body is read and its last {@code maxBytes} are kept. */
        KEEP_TAIL
    }

    public BodyLimit {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, but was " + maxBytes);
        }
    }

    public static @NotNull BodyLimit failAbove(final int maxBytes) {
        return new BodyLimit(maxBytes, Overflow.FAIL);
    }

    public static @NotNull BodyLimit keepHead(final int maxBytes) {
        return new BodyLimit(maxBytes, Overflow.KEEP_HEAD);
    }

    public static @NotNull BodyLimit keepTail(final int maxBytes) {
        return new BodyLimit(maxBytes, Overflow.KEEP_TAIL);
    }
}
