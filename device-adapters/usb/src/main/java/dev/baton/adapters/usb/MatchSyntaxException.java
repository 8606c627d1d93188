package dev.baton.adapters.usb;

import org.jetbrains.annotations.NotNull;

/** A {@code match} expression that does not parse; the message names the position (1-based) and the problem. */
public final class MatchSyntaxException extends IllegalArgumentException {

    private final int position;
    private final String problem;

    public MatchSyntaxException(final int position, final @NotNull String problem) {
        super("at position " + position + ": " + problem);
        this.position = position;
        this.problem = problem;
    }

    /** The 1-based character position in the expression where the problem is. */
    public int position() {
        return position;
    }

    /** What is wrong there, e.g. "expected '==' or '!=' after ATTRS{idVendor}". */
    public @NotNull String problem() {
        return problem;
    }
}
