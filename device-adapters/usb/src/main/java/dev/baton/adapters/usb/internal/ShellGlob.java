package dev.baton.adapters.usb.internal;

import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/**
 * A udev-rule value pattern (udev(7), "Operators" and pattern matching): {@code *} any characters, {@code ?} one
 * character, {@code [...]} one of a set with ranges and a leading {@code !} for negation, and {@code |} between
 * alternatives. Case-sensitive, matching the whole value. Compiled to a regular expression built only from quoted
 * literals and fixed constructs, so no user text reaches the regex syntax.
 */
public final class ShellGlob {

    /** A glob that does not compile; {@link #index()} is 0-based in the glob's text. */
    public static final class GlobSyntaxException extends IllegalArgumentException {

        private final int index;

        GlobSyntaxException(final int index, final String message) {
            super(message);
            this.index = index;
        }

        public int index() {
            return index;
        }
    }

    private final Pattern pattern;

    private ShellGlob(final Pattern pattern) {
        this.pattern = pattern;
    }

    /** @throws GlobSyntaxException for an unterminated or empty {@code [...]} set */
    public static @NotNull ShellGlob compile(final @NotNull String glob) {
        final StringBuilder regex = new StringBuilder(glob.length() * 2 + 8);
        int i = 0;
        while (i < glob.length()) {
            final char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '|' -> regex.append('|');
                case '[' -> i = appendSet(glob, i, regex);
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
            i++;
        }
        return new ShellGlob(Pattern.compile(regex.toString(), Pattern.DOTALL));
    }

    public boolean matches(final @NotNull String value) {
        return pattern.matcher(value).matches();
    }

    /** Appends {@code [...]} starting at {@code open}; returns the index of the closing bracket. */
    private static int appendSet(final String glob, final int open, final StringBuilder regex) {
        int i = open + 1;
        final boolean negated = i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^');
        if (negated) {
            i++;
        }
        final StringBuilder set = new StringBuilder();
        final int first = i;
        while (i < glob.length() && (glob.charAt(i) != ']' || i == first)) {
            final char c = glob.charAt(i);
            if (i + 2 < glob.length() && glob.charAt(i + 1) == '-' && glob.charAt(i + 2) != ']') {
                final char to = glob.charAt(i + 2);
                if (to < c) {
                    throw new GlobSyntaxException(i, "range '" + c + "-" + to + "' runs backwards");
                }
                set.append(setLiteral(c)).append('-').append(setLiteral(to));
                i += 3;
            } else {
                set.append(setLiteral(c));
                i++;
            }
        }
        if (i >= glob.length()) {
            throw new GlobSyntaxException(open, "'[' has no closing ']'");
        }
        regex.append('[').append(negated ? "^" : "").append(set).append(']');
        return i;
    }

    private static String setLiteral(final char c) {
        return Character.isLetterOrDigit(c) ? String.valueOf(c) : String.format("\\x{%x}", (int) c);
    }

    @Override
    public String toString() {
        return pattern.pattern();
    }
}
