package dev.baton.adapters.host.script;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ComponentProperties;
import dev.baton.adapters.host.internal.EnvProperties;
import dev.baton.adapters.host.internal.PathProperties;
import dev.baton.protocol.ComponentSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The typed configuration of a {@code script} component.
 *
 * @param apply the script that brings the host to the desired state; exit code 0 is success
 * @param get the script that checks the host, or {@code null}: then the component is in sync while the last
 *     successful apply was of the same spec
 * @param remove the script that undoes {@code apply}, or {@code null} to undo nothing on the host
 * @param timeout how long one run may take before it is killed with its child processes
 * @param workingDir where the scripts run; the component's state directory when {@code null}
 * @param env variables added to, or overriding, the agent's environment (values may be secrets: never logged)
 * @param input passed to every run on stdin as JSON, or {@code null} for an empty stdin
 */
record ScriptConfig(
        @NotNull String apply,
        @Nullable String get,
        @Nullable String remove,
        @NotNull Duration timeout,
        @Nullable Path workingDir,
        @NotNull Map<String, String> env,
        @Nullable JsonNode input) {

    static final String APPLY = "apply";
    static final String GET = "get";
    static final String REMOVE = "remove";
    static final String TIMEOUT_SECONDS = "timeoutSeconds";
    static final String WORKING_DIR = "workingDir";
    static final String ENV = "env";
    static final String INPUT = "input";
    static final Set<String> PROPERTIES = Set.of(APPLY, GET, REMOVE, TIMEOUT_SECONDS, WORKING_DIR, ENV, INPUT);

    static final long DEFAULT_TIMEOUT_SECONDS = 60;
    static final long MAX_TIMEOUT_SECONDS = 3600;

    /** Larger scripts belong in a file shipped as an artifact; this also bounds the temporary script file. */
    static final int MAX_SCRIPT_CHARS = 256 * 1024;

    ScriptConfig {
        env = Map.copyOf(env);
    }

    /**
     * Decodes and checks {@code spec}'s properties, touching nothing on the host.
     *
     * @throws ComponentException with {@link ComponentException.Reason#INVALID_SPEC}, naming the property
     */
    static @NotNull ScriptConfig decode(final @NotNull ComponentSpec spec) {
        final ComponentProperties properties = ComponentProperties.of(spec, PROPERTIES);
        if (!spec.properties().hasNonNull(APPLY)) {
            throw properties.invalid("needs property '" + APPLY
                    + "' (a string: the script that applies the component, run by bash on Linux and PowerShell on"
                    + " Windows)");
        }
        final String apply = script(properties, APPLY).orElseThrow();
        final String get = script(properties, GET).orElse(null);
        final String remove = script(properties, REMOVE).orElse(null);
        final long timeoutSeconds =
                properties.optionalLong(TIMEOUT_SECONDS, 1, MAX_TIMEOUT_SECONDS).orElse(DEFAULT_TIMEOUT_SECONDS);
        final Path workingDir = properties
                .optionalString(WORKING_DIR)
                .map(value -> PathProperties.absoluteNormalised(properties, WORKING_DIR, value))
                .orElse(null);
        final Map<String, String> env = EnvProperties.decode(properties, ENV);
        final JsonNode input = properties.raw(INPUT);
        return new ScriptConfig(
                apply,
                get,
                remove,
                Duration.ofSeconds(timeoutSeconds),
                workingDir,
                env,
                input == null || input.isNull() ? null : input);
    }

    private static Optional<String> script(final ComponentProperties properties, final String name) {
        final Optional<String> script = properties.optionalString(name);
        script.ifPresent(text -> {
            if (text.isBlank()) {
                throw properties.invalid("property '" + name + "' must hold a script, but was blank");
            }
            if (text.indexOf('\0') >= 0) {
                throw properties.invalid("property '" + name + "' must not contain a NUL character");
            }
            if (text.length() > MAX_SCRIPT_CHARS) {
                throw properties.invalid("property '" + name + "' must not exceed " + MAX_SCRIPT_CHARS
                        + " characters, but was " + text.length() + "; ship a longer script as an artifact");
            }
        });
        return script;
    }
}
