package dev.baton.adapters.usb;

import dev.baton.adapters.usb.internal.ShellGlob;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * One {@code match} string of the {@code usb} handler: comma-separated udev-rule match keys that must all hold, for
 * example {@code ATTRS{idVendor}=="2e8a", ATTRS{idProduct}=="0003"} (udev(7), "Rules files" and the match keys
 * {@code KERNEL}, {@code SUBSYSTEM}, {@code DRIVER}, {@code ATTR{…}} and their {@code …S} forms).
 *
 * <p>As in udev, {@code KERNEL}, {@code SUBSYSTEM}, {@code DRIVER} and {@code ATTR{name}} look at the device
 * itself, while {@code KERNELS}, {@code SUBSYSTEMS}, {@code DRIVERS} and {@code ATTRS{name}} search the device and
 * its parents, and all of the latter keys in one string must hold on the same device of that path. Values are
 * double-quoted shell globs: {@code *}, {@code ?}, {@code [a-f]}, {@code [!0-9]}, and {@code |} between
 * alternatives; matching is case-sensitive. {@code ==} holds when the value is present and matches; {@code !=}
 * holds when it is absent or does not match. There are no escapes: a value ends at the next double quote.
 *
 * <p>Immutable and thread-safe.
 */
public final class UdevMatch {

    /** Bounds a string so that one bad configuration cannot make parsing or matching expensive. */
    public static final int MAX_CHARS = 1024;

    public static final int MAX_TERMS = 16;

    /** The match keys; {@link #searchesParents()} tells the {@code …S} forms. */
    public enum Key {
        KERNEL(false),
        SUBSYSTEM(false),
        DRIVER(false),
        ATTR(false),
        KERNELS(true),
        SUBSYSTEMS(true),
        DRIVERS(true),
        ATTRS(true);

        private final boolean parents;

        Key(final boolean parents) {
            this.parents = parents;
        }

        public boolean searchesParents() {
            return parents;
        }

        boolean takesAttribute() {
            return this == ATTR || this == ATTRS;
        }
    }

    /**
     * One key of a match string.
     *
     * @param attribute the sysfs attribute name for {@link Key#ATTR} and {@link Key#ATTRS}, else null
     * @param equal true for {@code ==}, false for {@code !=}
     * @param value the glob as written
     */
    public record Term(@NotNull Key key, @Nullable String attribute, boolean equal, @NotNull String value) {

        public Term {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return key + (attribute == null ? "" : "{" + attribute + "}") + (equal ? "==" : "!=") + '"' + value + '"';
        }
    }

    private final String source;
    private final List<Term> terms;
    private final List<ShellGlob> globs;

    private UdevMatch(final String source, final List<Term> terms, final List<ShellGlob> globs) {
        this.source = source;
        this.terms = List.copyOf(terms);
        this.globs = List.copyOf(globs);
    }

    /**
     * Parses one match string.
     *
     * @throws MatchSyntaxException naming the 1-based position and what was expected there
     */
    public static @NotNull UdevMatch parse(final @NotNull String source) {
        return new Parser(source).parse();
    }

    public @NotNull List<Term> terms() {
        return terms;
    }

    /**
     * True when every term holds for {@code path}: element 0 is the device itself, the others its parents, nearest
     * first.
     */
    public boolean matches(final @NotNull List<UdevLevel> path) {
        if (path.isEmpty()) {
            return false;
        }
        final UdevLevel self = path.get(0);
        boolean anyParentTerm = false;
        for (int i = 0; i < terms.size(); i++) {
            if (terms.get(i).key().searchesParents()) {
                anyParentTerm = true;
            } else if (!holds(i, self)) {
                return false;
            }
        }
        if (!anyParentTerm) {
            return true;
        }
        for (final UdevLevel level : path) {
            if (allParentTermsHold(level)) {
                return true;
            }
        }
        return false;
    }

    private boolean allParentTermsHold(final UdevLevel level) {
        for (int i = 0; i < terms.size(); i++) {
            if (terms.get(i).key().searchesParents() && !holds(i, level)) {
                return false;
            }
        }
        return true;
    }

    private boolean holds(final int index, final UdevLevel level) {
        final Term term = terms.get(index);
        final String actual =
                switch (term.key()) {
                    case KERNEL, KERNELS -> level.kernel();
                    case SUBSYSTEM, SUBSYSTEMS -> level.subsystem();
                    case DRIVER, DRIVERS -> level.driver();
                    case ATTR, ATTRS -> level.attributes().get(term.attribute());
                };
        final boolean matched = actual != null && globs.get(index).matches(actual);
        return term.equal() == matched;
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof UdevMatch that && terms.equals(that.terms);
    }

    @Override
    public int hashCode() {
        return terms.hashCode();
    }

    /** The string as written. */
    @Override
    public String toString() {
        return source;
    }

    /** A hand-written scanner, so that every error can name its position. */
    private static final class Parser {

        private final String text;
        private int at;

        Parser(final String text) {
            this.text = text;
        }

        UdevMatch parse() {
            if (text.length() > MAX_CHARS) {
                throw new MatchSyntaxException(
                        MAX_CHARS + 1, "must not exceed " + MAX_CHARS + " characters, but had " + text.length());
            }
            skipBlanks();
            if (at == text.length()) {
                throw new MatchSyntaxException(1, "is empty; expected a key such as ATTRS{idVendor}==\"0483\"");
            }
            final List<Term> terms = new ArrayList<>();
            final List<ShellGlob> globs = new ArrayList<>();
            while (true) {
                if (terms.size() == MAX_TERMS) {
                    throw error("must not hold more than " + MAX_TERMS + " keys");
                }
                parseTerm(terms, globs);
                skipBlanks();
                if (at == text.length()) {
                    return new UdevMatch(text, terms, globs);
                }
                if (text.charAt(at) != ',') {
                    throw error("expected ',' between keys or the end, but found " + shown(at));
                }
                at++;
                skipBlanks();
                if (at == text.length()) {
                    throw error("expected a key after ','");
                }
            }
        }

        private void parseTerm(final List<Term> terms, final List<ShellGlob> globs) {
            final int keyStart = at;
            while (at < text.length() && Character.isLetter(text.charAt(at))) {
                at++;
            }
            final String word = text.substring(keyStart, at);
            final Key key = keyNamed(word, keyStart);
            String attribute = null;
            if (key.takesAttribute()) {
                if (at == text.length() || text.charAt(at) != '{') {
                    throw error("expected '{' and an attribute name after " + key + ", e.g. " + key + "{idVendor}");
                }
                final int nameStart = ++at;
                while (at < text.length() && isAttributeChar(text.charAt(at))) {
                    at++;
                }
                if (at == nameStart) {
                    throw error("expected an attribute name (letters, digits, '_', '.', '-') after " + key + "{");
                }
                if (at == text.length() || text.charAt(at) != '}') {
                    throw error("expected '}' to close the attribute name, but found " + shown(at));
                }
                attribute = text.substring(nameStart, at);
                at++;
            } else if (at < text.length() && text.charAt(at) == '{') {
                throw error(key + " takes no attribute name; only ATTR and ATTRS do");
            }
            final String keyText = key + (attribute == null ? "" : "{" + attribute + "}");
            skipBlanks();
            final boolean equal = parseOperator(keyText);
            skipBlanks();
            if (at == text.length() || text.charAt(at) != '"') {
                throw error("expected a double-quoted value after " + keyText + (equal ? "==" : "!=") + ", but found "
                        + shown(at));
            }
            final int valueStart = ++at;
            final int close = text.indexOf('"', valueStart);
            if (close < 0) {
                throw new MatchSyntaxException(
                        valueStart, "the value of " + keyText + " opened here has no closing '\"'");
            }
            final String value = text.substring(valueStart, close);
            final ShellGlob glob;
            try {
                glob = ShellGlob.compile(value);
            } catch (final ShellGlob.GlobSyntaxException e) {
                throw new MatchSyntaxException(
                        valueStart + e.index() + 1, e.getMessage() + " in the value of " + keyText);
            }
            at = close + 1;
            terms.add(new Term(key, attribute, equal, value));
            globs.add(glob);
        }

        private boolean parseOperator(final String keyText) {
            if (text.startsWith("==", at)) {
                at += 2;
                return true;
            }
            if (text.startsWith("!=", at)) {
                at += 2;
                return false;
            }
            if (text.startsWith("+=", at)
                    || text.startsWith(":=", at)
                    || text.startsWith("-=", at)
                    || (at < text.length() && text.charAt(at) == '=')) {
                throw error("assignments do not belong in a match; expected '==' or '!=' after " + keyText);
            }
            throw error("expected '==' or '!=' after " + keyText + ", but found " + shown(at));
        }

        private Key keyNamed(final String word, final int start) {
            if (word.isEmpty()) {
                throw new MatchSyntaxException(
                        start + 1, "expected a key (" + keyList() + "), but found " + shown(start));
            }
            for (final Key key : Key.values()) {
                if (key.name().equals(word)) {
                    return key;
                }
            }
            throw new MatchSyntaxException(
                    start + 1,
                    "unknown key '" + word + "'" + (isUpperCase(word) ? "" : " (keys are upper case)")
                            + "; match takes " + keyList());
        }

        private static boolean isUpperCase(final String word) {
            return word.equals(word.toUpperCase(Locale.ROOT));
        }

        private static String keyList() {
            return "KERNEL, SUBSYSTEM, DRIVER, ATTR{name}, KERNELS, SUBSYSTEMS, DRIVERS, ATTRS{name}";
        }

        private static boolean isAttributeChar(final char c) {
            return (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '.'
                    || c == '-';
        }

        private void skipBlanks() {
            while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
                at++;
            }
        }

        private String shown(final int index) {
            if (index >= text.length()) {
                return "the end";
            }
            final int c = text.codePointAt(index);
            return Character.isISOControl(c) ? String.format("\\u%04x", c) : "'" + Character.toString(c) + "'";
        }

        private MatchSyntaxException error(final String problem) {
            return new MatchSyntaxException(at + 1, problem);
        }
    }
}
