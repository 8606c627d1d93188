package dev.baton.adapters.host.service;

import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ComponentProperties;
import dev.baton.adapters.host.internal.ArchiveFormat;
import dev.baton.adapters.host.internal.EnvProperties;
import dev.baton.adapters.host.internal.PathProperties;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.Names;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The typed configuration of a {@code service} component.
 *
 * @param sha256 the artifact's SHA-256, from {@code artifact} or {@code sha256}
 * @param url where to download the artifact from, or {@code null} for the hub's artifact store
 * @param format how the artifact is laid out, or {@code null} to tell from its first bytes
 * @param fileName the name of the file in the version directory for format {@code file}
 * @param command the executable and its arguments; a relative executable lies in the version directory
 * @param env variables added to, or overriding, the agent's environment
 * @param workingDir where the process starts, or {@code null} for the version directory
 * @param version a label for people, reported in the outputs
 */
record ServiceConfig(
        @NotNull String sha256,
        @Nullable URI url,
        @Nullable ArchiveFormat format,
        @NotNull String fileName,
        @NotNull List<String> command,
        @NotNull Map<String, String> env,
        @Nullable Path workingDir,
        @Nullable String version) {

    static final String ARTIFACT = "artifact";
    static final String URL = "url";
    static final String SHA256 = "sha256";
    static final String FORMAT = "format";
    static final String FILE_NAME = "fileName";
    static final String COMMAND = "command";
    static final String ENV = "env";
    static final String WORKING_DIR = "workingDir";
    static final String VERSION = "version";
    static final Set<String> PROPERTIES =
            Set.of(ARTIFACT, URL, SHA256, FORMAT, FILE_NAME, COMMAND, ENV, WORKING_DIR, VERSION);

    static final int MAX_VERSION_CHARS = 128;

    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");

    ServiceConfig {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }

    /** Whether the executable is to be found in the version directory. */
    boolean commandInVersionDirectory() {
        return !Path.of(command.get(0)).isAbsolute();
    }

    /**
     * Decodes and checks {@code spec}'s properties, touching nothing on the host.
     *
     * @throws ComponentException with {@link ComponentException.Reason#INVALID_SPEC}, naming the property
     */
    static @NotNull ServiceConfig decode(final @NotNull ComponentSpec spec) {
        final ComponentProperties properties = ComponentProperties.of(spec, PROPERTIES);
        final String artifact = properties.optionalString(ARTIFACT).orElse(null);
        final String urlText = properties.optionalString(URL).orElse(null);
        final String sha = properties.optionalString(SHA256).orElse(null);
        final String sha256;
        URI url = null;
        if (artifact != null) {
            if (urlText != null || sha != null) {
                throw properties.invalid("has property '" + ARTIFACT + "' and '" + (urlText != null ? URL : SHA256)
                        + "'; name the artifact either by 'artifact' (the hub's store) or by 'url' and 'sha256'");
            }
            sha256 = checkSha(properties, ARTIFACT, artifact);
        } else if (urlText != null) {
            if (sha == null) {
                throw properties.invalid("has property '" + URL + "' without '" + SHA256
                        + "'; a downloaded artifact is accepted only with its SHA-256");
            }
            sha256 = checkSha(properties, SHA256, sha);
            url = url(properties, urlText);
        } else {
            throw properties.invalid("needs property '" + ARTIFACT
                    + "' (the SHA-256 of an artifact in the hub's store) or '" + URL + "' and '" + SHA256 + "'");
        }
        final ArchiveFormat format = properties
                .optionalString(FORMAT)
                .map(value -> ArchiveFormat.ofProperty(value)
                        .orElseThrow(() -> properties.invalid("property '" + FORMAT + "' must be one of "
                                + Arrays.stream(ArchiveFormat.values())
                                        .map(ArchiveFormat::property)
                                        .collect(Collectors.joining(", "))
                                + ", but was \"" + Names.printable(value) + '"')))
                .orElse(null);
        final String fileName = fileName(properties, format, url);
        final List<String> command = command(properties, spec);
        final Map<String, String> env = EnvProperties.decode(properties, ENV);
        final Path workingDir = properties
                .optionalString(WORKING_DIR)
                .map(value -> PathProperties.absoluteNormalised(properties, WORKING_DIR, value))
                .orElse(null);
        final String version = properties.optionalString(VERSION).orElse(null);
        if (version != null && (version.isBlank() || version.length() > MAX_VERSION_CHARS)) {
            throw properties.invalid("property '" + VERSION + "' must hold 1 to " + MAX_VERSION_CHARS
                    + " characters, but had " + version.length());
        }
        return new ServiceConfig(sha256, url, format, fileName, command, env, workingDir, version);
    }

    private static String checkSha(final ComponentProperties properties, final String property, final String value) {
        if (!HEX_SHA256.matcher(value).matches()) {
            throw properties.invalid("property '" + property
                    + "' must be a SHA-256 (64 lower-case hex digits), but was \"" + Names.printable(value) + '"');
        }
        return value;
    }

    private static URI url(final ComponentProperties properties, final String value) {
        final URI url;
        try {
            url = new URI(value);
        } catch (final URISyntaxException e) {
            throw properties.invalid("property '" + URL + "' is not a URL: " + e.getReason());
        }
        final String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null) {
            throw properties.invalid("property '" + URL
                    + "' must be an https:// (or http://) URL with a host, but was \"" + Names.printable(value) + '"');
        }
        if (url.getUserInfo() != null) {
            throw properties.invalid("property '" + URL + "' must not carry user info; credentials do not belong in a"
                    + " desired document");
        }
        return url;
    }

    private static String fileName(
            final ComponentProperties properties, final @Nullable ArchiveFormat format, final @Nullable URI url) {
        final String given = properties.optionalString(FILE_NAME).orElse(null);
        if (given == null) {
            if (url != null && url.getPath() != null) {
                final String last = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
                if (isPlainName(last)) {
                    return last;
                }
            }
            return "artifact";
        }
        if (format != null && format != ArchiveFormat.FILE) {
            throw properties.invalid("property '" + FILE_NAME + "' applies to format 'file' only, but format is '"
                    + format.property() + "'");
        }
        if (!isPlainName(given)) {
            throw properties.invalid("property '" + FILE_NAME + "' must be a plain file name without '/', '\\' or"
                    + " NUL, and not '.' or '..', but was \"" + Names.printable(given) + '"');
        }
        return given;
    }

    private static boolean isPlainName(final String name) {
        return !name.isEmpty()
                && !name.equals(".")
                && !name.equals("..")
                && name.indexOf('/') < 0
                && name.indexOf('\\') < 0
                && name.indexOf('\0') < 0
                && name.indexOf(':') < 0;
    }

    private static List<String> command(final ComponentProperties properties, final ComponentSpec spec) {
        if (!spec.properties().hasNonNull(COMMAND)) {
            throw properties.invalid("needs property '" + COMMAND
                    + "' (an array of strings, the executable first; a relative executable such as \"bin/server\""
                    + " lies in the unpacked artifact)");
        }
        final List<String> command = properties.stringList(COMMAND);
        if (command.isEmpty() || command.get(0).isEmpty()) {
            throw properties.invalid("property '" + COMMAND + "' must start with the executable, but "
                    + (command.isEmpty() ? "was empty" : "its first element is empty"));
        }
        for (int i = 0; i < command.size(); i++) {
            if (command.get(i).indexOf('\0') >= 0) {
                throw properties.invalid("property '" + COMMAND + "[" + i + "]' must not contain a NUL character");
            }
        }
        final String executable = command.get(0);
        if (!Path.of(executable).isAbsolute()
                && Arrays.asList(executable.replace('\\', '/').split("/")).contains("..")) {
            throw properties.invalid("property '" + COMMAND + "[0]' must stay inside the unpacked artifact, but was \""
                    + Names.printable(executable) + "\"; use an absolute path for a program outside it");
        }
        return command;
    }
}
