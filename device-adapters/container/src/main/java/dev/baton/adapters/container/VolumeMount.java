package dev.baton.adapters.container;

import org.jetbrains.annotations.NotNull;

/**
 * A host directory or file (or a named volume) mounted into the container: {@code hostPath:containerPath[:ro|rw]}.
 *
 * @param source an absolute host path, or the name of a volume the engine manages
 * @param target absolute, in the container
 * @param readOnly mounted read-only ({@code :ro})
 */
record VolumeMount(@NotNull String source, @NotNull String target, boolean readOnly) {

    /** @throws IllegalArgumentException saying what is wrong (the caller names the property and value) */
    static @NotNull VolumeMount parse(final @NotNull String text) {
        final String[] parts = text.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("must be hostPath:containerPath[:ro|rw], e.g. /srv/data:/data:ro");
        }
        final String source =
                parts[0].startsWith("/") ? DeviceMapping.absolute(parts[0], "host path") : volumeName(parts[0]);
        final String target = DeviceMapping.absolute(parts[1], "container path");
        boolean readOnly = false;
        if (parts.length == 3) {
            if (parts[2].equals("ro")) {
                readOnly = true;
            } else if (!parts[2].equals("rw")) {
                throw new IllegalArgumentException("has mode \"" + parts[2] + "\"; it must be ro or rw");
            }
        }
        return new VolumeMount(source, target, readOnly);
    }

    private static String volumeName(final String name) {
        if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new IllegalArgumentException("has source \"" + name + "\"; it must be an absolute host path or a"
                    + " volume name (letters, digits, '_', '.', '-')");
        }
        return name;
    }

    /** The Engine API's {@code Binds} form. */
    @NotNull
    String bind() {
        return source + ":" + target + (readOnly ? ":ro" : "");
    }
}
