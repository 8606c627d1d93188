package dev.baton.adapters.mcu.external.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/** Finds a tool's executable in a list of directories (the agent's PATH unless told otherwise). */
public final class ExecutableLocator {

    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private final List<Path> directories;

    public ExecutableLocator(final @NotNull List<Path> directories) {
        this.directories = List.copyOf(directories);
    }

    /** The directories of the PATH environment variable. */
    public static @NotNull ExecutableLocator fromPath() {
        final String path = System.getenv("PATH");
        final List<Path> directories = new ArrayList<>();
        if (path != null) {
            for (final String entry : path.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    try {
                        directories.add(Path.of(entry));
                    } catch (final InvalidPathException e) {
                        // an unusable PATH entry cannot hold the tool
                    }
                }
            }
        }
        return new ExecutableLocator(directories);
    }

    public @NotNull List<Path> directories() {
        return directories;
    }

    /** The first of {@code names} found, trying each directory for each name in turn. */
    public @NotNull Optional<Path> find(final @NotNull List<String> names) {
        for (final String name : names) {
            for (final Path directory : directories) {
                for (final String candidate : WINDOWS ? List.of(name + ".exe", name) : List.of(name)) {
                    final Path file = directory.resolve(candidate);
                    if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                        return Optional.of(file);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
