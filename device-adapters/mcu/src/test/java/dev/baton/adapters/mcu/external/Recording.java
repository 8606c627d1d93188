package dev.baton.adapters.mcu.external;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tool's output kept under {@code src/test/resources/external/TOOL/NAME.txt}: comment lines ({@code # …}, saying
 * where the output comes from and {@code exit: N}), a {@code ---} line, then the output byte for byte. {@link
 * #replayScript} makes an executable that prints it and exits with that code, so the wrapper runs the whole path
 * (process, reader thread, parser, classifier) against it.
 */
record Recording(String tool, String name, String output, int exitCode) {

    private static final Pattern EXIT = Pattern.compile("^# exit: (\\d+)$", Pattern.MULTILINE);

    static Recording load(final String tool, final String name) {
        final String resource = "/external/" + tool + "/" + name + ".txt";
        try (InputStream in = Recording.class.getResourceAsStream(resource)) {
            Objects.requireNonNull(in, resource);
            final String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            final int separator = text.indexOf("\n---\n");
            final Matcher exit = EXIT.matcher(text.substring(0, separator));
            if (!exit.find()) {
                throw new IllegalStateException(resource + " has no '# exit: N' line");
            }
            return new Recording(tool, name, text.substring(separator + 5), Integer.parseInt(exit.group(1)));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An executable in {@code directory} that prints the recording and exits with its code, whatever its args. */
    Path replayScript(final Path directory) throws IOException {
        final Path body = directory.resolve(tool + "-" + name + ".out");
        Files.writeString(body, output, StandardCharsets.UTF_8);
        final Path script = directory.resolve(tool + "-" + name + ".sh");
        Files.writeString(script, "#!/bin/sh\ncat '" + body + "'\nexit " + exitCode + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
