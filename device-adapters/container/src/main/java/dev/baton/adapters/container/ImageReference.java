package dev.baton.adapters.container;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * An image reference as the engine takes it: {@code [registry[:port]/]path[:tag][@digest]}, following the grammar of
 * the distribution project's {@code reference} package (the one Docker and Podman parse with).
 *
 * @param name the registry (if any) and the repository path, e.g. {@code registry.example.com:5000/team/app}
 * @param tag e.g. {@code 1.2}, or null
 * @param digest e.g. {@code sha256:…}, or null
 */
record ImageReference(@NotNull String name, @Nullable String tag, @Nullable String digest) {

    /** The longest name the grammar allows. */
    static final int MAX_NAME_CHARS = 255;

    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]+)?";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String NAME = "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile("(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");

    /** The tag a reference without tag or digest means. */
    static final String DEFAULT_TAG = "latest";

    /**
     * @throws IllegalArgumentException saying what a reference looks like (the caller names the property)
     */
    static @NotNull ImageReference parse(final @NotNull String text) {
        final Matcher matcher = REFERENCE.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("must be an image reference such as localhost/app:1 or"
                    + " registry.example.com:5000/team/app:1.2@sha256:<hex> (lower-case repository path, optional"
                    + " tag and digest)");
        }
        if (matcher.group(1).length() > MAX_NAME_CHARS) {
            throw new IllegalArgumentException("has a repository name of "
                    + matcher.group(1).length() + " characters; it must not exceed " + MAX_NAME_CHARS);
        }
        return new ImageReference(matcher.group(1), matcher.group(2), matcher.group(3));
    }

    /** What to ask the registry for: the digest when there is one, else the tag, else {@value #DEFAULT_TAG}. */
    @NotNull
    String pullTag() {
        if (digest != null) {
            return digest;
        }
        return tag != null ? tag : DEFAULT_TAG;
    }

    @Override
    public String toString() {
        return name + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
