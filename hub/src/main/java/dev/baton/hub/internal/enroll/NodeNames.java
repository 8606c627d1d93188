package dev.baton.hub.internal.enroll;

import dev.baton.protocol.Names;
import java.util.Locale;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/** Node names derived from host names, for agents that enroll without {@code --node}. */
public final class NodeNames {

    private static final int MAX_LABEL_CHARS = 63;

    private NodeNames() {}

    /**
     * The first label of the host name as a DNS label (RFC 1123): lower-cased, every other character replaced by
     * '-', runs of '-' collapsed, cut to 63 characters, no '-' at either end. {@code Pi_Kitchen.local} becomes
     * {@code pi-kitchen}.
     *
     * @return empty when nothing usable is left
     */
    public static @NotNull Optional<String> fromHostname(final @Nullable String hostname) {
        if (hostname == null) {
            return Optional.empty();
        }
        final String trimmed = hostname.strip();
        final int dot = trimmed.indexOf('.');
        final String first = (dot >= 0 ? trimmed.substring(0, dot) : trimmed).toLowerCase(Locale.ROOT);
        final StringBuilder name = new StringBuilder(first.length());
        for (int i = 0; i < first.length(); i++) {
            final char c = first.charAt(i);
            final boolean allowed = c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
            if (allowed) {
                name.append(c);
            } else if (name.length() > 0 && name.charAt(name.length() - 1) != '-') {
                name.append('-');
            }
        }
        String label = name.length() > MAX_LABEL_CHARS ? name.substring(0, MAX_LABEL_CHARS) : name.toString();
        while (label.endsWith("-")) {
            label = label.substring(0, label.length() - 1);
        }
        return Names.isValidName(label) ? Optional.of(label) : Optional.empty();
    }
}
