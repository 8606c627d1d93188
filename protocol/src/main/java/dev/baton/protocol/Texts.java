package dev.baton.protocol;

import org.jetbrains.annotations.NotNull;

/** Bounding of human-readable text that travels in messages. */
public final class Texts {

    private Texts() {}

    /**
     * {@code text} cut to at most {@code maxChars} characters, marked with '…' when cut; never between the two halves
     * of a surrogate pair.
     *
     * @param maxChars at least 1, the room for the '…' alone
     * @throws IllegalArgumentException when {@code maxChars} is below 1
     */
    public static @NotNull String truncate(final @NotNull String text, final int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be at least 1, room for '…', but was " + maxChars);
        }
        if (text.length() <= maxChars) {
            return text;
        }
        int end = maxChars - 1;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + '…';
    }
}
