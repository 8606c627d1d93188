package dev.baton.adapters.host.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The content of {@code process.json} in a component's state directory: what a restarted agent needs to find the
 * process it started and to be sure it is still that process. A pid alone is not enough, since the OS reuses pids;
 * the pid together with the process's start instant is unique.
 *
 * <pre>{@code {"pid": 4711, "startInstant": "2024-05-01T10:00:00.120Z", "specHash": "9f86d0…"}}</pre>
 *
 * @param startInstant {@code null} where the platform does not report start instants; such a record never matches
 */
record ProcessRecord(long pid, @Nullable Instant startInstant, @NotNull String specHash) {

    static final String FILE_NAME = "process.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads the record, or nothing when there is none.
     *
     * @throws IOException when it cannot be read or is not a record this provider wrote
     */
    static @NotNull Optional<ProcessRecord> read(final @NotNull Path file) throws IOException {
        final byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (final NoSuchFileException e) {
            return Optional.empty();
        }
        final JsonNode node = JSON.readTree(bytes);
        if (node == null
                || !node.path("pid").canConvertToLong()
                || !node.path("specHash").isTextual()
                || !(node.path("startInstant").isTextual()
                        || node.path("startInstant").isNull())) {
            throw new IOException(file + " is not a process record (an object with pid, startInstant and specHash)");
        }
        try {
            final JsonNode startInstant = node.get("startInstant");
            return Optional.of(new ProcessRecord(
                    node.get("pid").longValue(),
                    startInstant.isNull() ? null : Instant.parse(startInstant.textValue()),
                    node.get("specHash").textValue()));
        } catch (final DateTimeParseException e) {
            throw new IOException(file + " has an unreadable startInstant: " + e.getMessage(), e);
        }
    }

    /** Writes the record atomically, readable by the agent's user only. */
    void write(final @NotNull Path file) throws IOException {
        final ObjectNode node = JSON.createObjectNode();
        node.put("pid", pid);
        node.put("startInstant", startInstant == null ? null : startInstant.toString());
        node.put("specHash", specHash);
        final boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        AtomicFiles.write(
                file,
                JSON.writeValueAsBytes(node),
                posix ? EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE) : null);
    }

    /** Whether {@code handle} is the process this record describes, and not a later process that reuses its pid. */
    boolean describes(final @NotNull ProcessHandle handle) {
        return handle.pid() == pid
                && startInstant != null
                && handle.info().startInstant().map(startInstant::equals).orElse(false);
    }
}
