package dev.baton.adapters.host.internal;

import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ComponentProperties;
import dev.baton.protocol.Names;
import java.util.Map;
import org.jetbrains.annotations.NotNull;

/** Decodes an {@code env} property: an object of strings that becomes environment variables of a child process. */
public final class EnvProperties {

    private EnvProperties() {}

    /**
     * The variables, refused when a name is empty or holds {@code =} or NUL, or a value holds NUL, which no OS can
     * pass on. Errors name the variable but never show a value: values may be secrets.
     *
     * @throws ComponentException with {@link ComponentException.Reason#INVALID_SPEC}
     */
    public static @NotNull Map<String, String> decode(
            final @NotNull ComponentProperties properties, final @NotNull String property) {
        final Map<String, String> env = properties.stringMap(property);
        env.forEach((name, value) -> {
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw properties.invalid("property '" + property + "' has variable name \"" + Names.printable(name)
                        + "\"; a name must be non-empty and hold neither '=' nor NUL");
            }
            if (value.indexOf('\0') >= 0) {
                throw properties.invalid(
                        "property '" + property + "." + Names.printable(name) + "' must not contain a NUL character");
            }
        });
        return env;
    }
}
