package dev.baton.adapters.host.facts;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Finds an executable on {@code PATH} as a shell would (with {@code PATHEXT} on Windows), without running it. */
final class ExecutableSearch {

    private static final int MAX_PATH_ENTRIES = 128;

    private final List<String> directories;
    private final List<String> extensions;

    ExecutableSearch(final Map<String, String> environment, final boolean windows) {
        final String path = environment.getOrDefault("PATH", environment.getOrDefault("Path", ""));
        this.directories = List.of(path.split(File.pathSeparator)).stream()
                .filter(d -> !d.isBlank())
                .limit(MAX_PATH_ENTRIES)
                .toList();
        this.extensions = windows
                ? List.of(environment
                        .getOrDefault("PATHEXT", ".COM;.EXE;.BAT;.CMD")
                        .toLowerCase(Locale.ROOT)
                        .split(";"))
                : List.of("");
    }

    Optional<Path> find(final String name) {
        for (final String directory : directories) {
            for (final String extension : extensions) {
                try {
                    final Path candidate = Path.of(directory, name + extension);
                    if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                        return Optional.of(candidate);
                    }
                } catch (final InvalidPathException | SecurityException e) {
                    // A malformed PATH entry is skipped, as shells do.
                }
            }
        }
        return Optional.empty();
    }
}
