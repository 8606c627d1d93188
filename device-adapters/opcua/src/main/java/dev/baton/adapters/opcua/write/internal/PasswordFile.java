package dev.baton.adapters.opcua.write.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.adapters.api.ComponentException;
import dev.baton.protocol.Names;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jetbrains.annotations.NotNull;

/**
 * OPC UA passwords in {@code <agent data dir>/secrets/opcua.json}: {@code {"<username>": {"password": "…"}}}, read
 * at each apply and observation so that an edited file takes effect without a restart. Messages about the file name
 * the entry and the rule, never a value, since a value is a password.
 */
final class PasswordFile {

    static final String FILE_NAME = "opcua.json";
    static final int MAX_FILE_BYTES = 256 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private PasswordFile() {}

    /**
     * The password of {@code username}.
     *
     * @throws ComponentException with {@link ComponentException.Reason#APPLY_FAILED} when the file or the entry is
     *     missing or malformed
     */
    static @NotNull String password(final @NotNull Path secretsDirectory, final @NotNull String username) {
        final Path file = secretsDirectory.resolve(FILE_NAME);
        final String user = Names.printable(username);
        final byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (final NoSuchFileException e) {
            throw failed(file + " does not exist; create it with {\"" + user + "\": {\"password\": \"…\"}} (mode 0600)"
                    + " to log in as '" + user + "'");
        } catch (final IOException e) {
            throw failed(file + " could not be read (" + e.getClass().getSimpleName() + ")");
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw failed(file + " is larger than " + MAX_FILE_BYTES + " bytes");
        }
        final JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (final JsonProcessingException e) {
            // Jackson's message quotes the text around the error, which may be a password: give the place only.
            final JsonLocation at = e.getLocation();
            throw failed(file + " is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (final IOException e) {
            throw failed(file + " could not be read as JSON");
        }
        final JsonNode entry = root == null ? null : root.get(username);
        if (entry == null) {
            throw failed(file + " has no entry for user '" + user + "'; add \"" + user + "\": {\"password\": \"…\"}");
        }
        final JsonNode password = entry.get("password");
        if (!entry.isObject() || password == null || !password.isTextual()) {
            throw failed(file + " entry '" + user + "' must be an object with a string 'password'");
        }
        return password.textValue();
    }

    private static ComponentException failed(final String message) {
        return new ComponentException(ComponentException.Reason.APPLY_FAILED, message);
    }
}
