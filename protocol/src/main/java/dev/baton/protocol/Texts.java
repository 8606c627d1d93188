package dev.baton.protocol;

import org.jetbrains.annotations.NotNull;

/** Bounding of human-readable text that travels in messages. */
public final class Texts {

    private Texts() {}

    /** {@code text} cut to at most {@code maxChars} characters, marked with '…' when cut. */
    public static @NotNull String truncate(final @NotNull String text, final int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        int end = maxChars - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + '…';
    }
}
