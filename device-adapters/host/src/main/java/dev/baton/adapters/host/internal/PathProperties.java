package dev.baton.adapters.host.internal;

import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ComponentProperties;
import dev.baton.protocol.Names;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.jetbrains.annotations.NotNull;

/** Decodes path-valued component properties, which must not depend on the agent's working directory. */
public final class PathProperties {

    private PathProperties() {}

    /**
     * {@code value} as an absolute path without {@code .} or {@code ..} segments; refused otherwise, naming
     * {@code property}. A normalised path is required because the path is also what the operator reads in reported
     * messages, and {@code /etc/../tmp/x} would make those misleading.
     *
     * @throws ComponentException with {@link ComponentException.Reason#INVALID_SPEC}
     */
    public static @NotNull Path absoluteNormalised(
            final @NotNull ComponentProperties properties,
            final @NotNull String property,
            final @NotNull String value) {
        if (value.isEmpty()) {
            throw properties.invalid("property '" + property + "' must be an absolute path, but was empty");
        }
        if (value.indexOf('\0') >= 0) {
            throw properties.invalid("property '" + property + "' must not contain a NUL character");
        }
        final Path path;
        try {
            path = Path.of(value);
        } catch (final InvalidPathException e) {
            throw properties.invalid("property '" + property + "' is not a valid path (" + e.getReason()
                    + "), but was \"" + Names.printable(value) + '"');
        }
        if (!path.isAbsolute()) {
            throw properties.invalid(
                    "property '" + property + "' must be an absolute path, but was \"" + Names.printable(value) + '"');
        }
        if (!path.normalize().equals(path)) {
            throw properties.invalid("property '" + property + "' must be a normalised path without '.' or '..' (\""
                    + Names.printable(path.normalize().toString()) + "\"), but was \"" + Names.printable(value) + '"');
        }
        return path;
    }
}
