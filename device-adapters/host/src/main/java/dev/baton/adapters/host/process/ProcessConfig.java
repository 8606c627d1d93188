package dev.baton.adapters.host.process;

import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ComponentProperties;
import dev.baton.adapters.host.internal.EnvProperties;
import dev.baton.adapters.host.internal.PathProperties;
import dev.baton.protocol.ComponentSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The typed configuration of a {@code process} component.
 *
 * @param command the executable (a path, or a name looked up on the agent's {@code PATH}) and its arguments
 * @param env variables added to, or overriding, the agent's own environment
 * @param workingDir the directory the process starts in; the agent's own when {@code null}
 */
record ProcessConfig(@NotNull List<String> command, @NotNull Map<String, String> env, @Nullable Path workingDir) {

    static final String COMMAND = "command";
    static final String ENV = "env";
    static final String WORKING_DIR = "workingDir";
    static final Set<String> PROPERTIES = Set.of(COMMAND, ENV, WORKING_DIR);

    ProcessConfig {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }

    /**
     * Decodes and checks {@code spec}'s properties, touching nothing on the host; whether {@code workingDir} exists
     * is checked when the process starts.
     *
     * @throws ComponentException with {@link ComponentException.Reason#INVALID_SPEC}, naming the property
     */
    static @NotNull ProcessConfig decode(final @NotNull ComponentSpec spec) {
        final ComponentProperties properties = ComponentProperties.of(spec, PROPERTIES);
        if (!spec.properties().hasNonNull(COMMAND)) {
            throw properties.invalid("needs property '" + COMMAND
                    + "' (an array of strings, the executable first, e.g. [\"/usr/bin/python3\", \"app.py\"])");
        }
        final List<String> command = properties.stringList(COMMAND);
        if (command.isEmpty()) {
            throw properties.invalid(
                    "property '" + COMMAND + "' must hold at least 1 string (the executable), but was empty");
        }
        if (command.get(0).isEmpty()) {
            throw properties.invalid("property '" + COMMAND + "[0]' (the executable) must not be empty");
        }
        for (int i = 0; i < command.size(); i++) {
            if (command.get(i).indexOf('\0') >= 0) {
                throw properties.invalid("property '" + COMMAND + "[" + i + "]' must not contain a NUL character");
            }
        }
        final Map<String, String> env = EnvProperties.decode(properties, ENV);
        final Path workingDir = properties
                .optionalString(WORKING_DIR)
                .map(value -> PathProperties.absoluteNormalised(properties, WORKING_DIR, value))
                .orElse(null);
        return new ProcessConfig(command, env, workingDir);
    }
}
