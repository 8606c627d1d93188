package dev.baton.adapters.container;

import org.jetbrains.annotations.NotNull;

/**
 * A host device made available in the container: {@code /dev/ttyUSB0}, {@code /dev/ttyUSB0:/dev/ttyS0} or
 * {@code /dev/ttyUSB0:/dev/ttyS0:rw}, as {@code docker run --device} takes it.
 *
 * @param hostPath absolute, under the host's {@code /dev} or elsewhere
 * @param containerPath absolute; the host path when not given
 * @param permissions the device cgroup permissions, a non-empty subset of {@code rwm} ({@code r}ead, {@code w}rite,
 *     {@code m}knod); {@code rwm} when not given
 */
record DeviceMapping(@NotNull String hostPath, @NotNull String containerPath, @NotNull String permissions) {

    static final String DEFAULT_PERMISSIONS = "rwm";

    /** @throws IllegalArgumentException saying what is wrong (the caller names the property and value) */
    static @NotNull DeviceMapping parse(final @NotNull String text) {
        final String[] parts = text.split(":", -1);
        if (parts.length > 3) {
            throw new IllegalArgumentException("must be hostPath[:containerPath[:permissions]], e.g."
                    + " /dev/ttyUSB0 or /dev/ttyUSB0:/dev/ttyS0:rw");
        }
        final String hostPath = absolute(parts[0], "host path");
        final String containerPath = parts.length > 1 ? absolute(parts[1], "container path") : hostPath;
        final String permissions = parts.length > 2 ? permissions(parts[2]) : DEFAULT_PERMISSIONS;
        return new DeviceMapping(hostPath, containerPath, permissions);
    }

    static String absolute(final String path, final String what) {
        if (path.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("has a " + what + " holding control characters");
        }
        if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
            throw new IllegalArgumentException(
                    "has " + what + " \"" + path + "\"; it must be an absolute path to a" + " file, e.g. /dev/ttyUSB0");
        }
        for (final String segment : path.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("has " + what + " \"" + path + "\"; it must be a normalised"
                        + " path (no empty, '.' or '..' segments)");
            }
        }
        return path;
    }

    private static String permissions(final String text) {
        if (!text.matches("[rwm]{1,3}") || text.chars().distinct().count() != text.length()) {
            throw new IllegalArgumentException("has permissions \"" + text + "\"; they must be letters of rwm"
                    + " (read, write, mknod), each at most once, e.g. rw");
        }
        return text;
    }

    @Override
    public String toString() {
        return hostPath + ":" + containerPath + ":" + permissions;
    }
}
