package dev.baton.adapters.onvif.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.protocol.Names;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * The camera credentials in {@code <secrets>/onvif.json}: {@code {"default": {"username": …, "password": …},
 * "<device uuid>": {…}}}, read again at every scan so that an edited file takes effect without a restart. A
 * missing file means no credentials. Errors about the file name the entry and the rule, never a value, since a
 * value may be a password.
 */
final class CredentialStore {

    static final String FILE_NAME = "onvif.json";
    static final String DEFAULT = "default";
    /** A credentials file for a few hundred cameras is well under this. */
    static final int MAX_FILE_BYTES = 256 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String URN_UUID = "urn:uuid:";

    private final Map<String, Credentials> entries;
    private final List<String> problems;

    private CredentialStore(final Map<String, Credentials> entries, final List<String> problems) {
        this.entries = Map.copyOf(entries);
        this.problems = List.copyOf(problems);
    }

    static @NotNull CredentialStore empty() {
        return new CredentialStore(Map.of(), List.of());
    }

    /** Reads {@code secretsDirectory/onvif.json}; never throws for a missing or broken file. */
    static @NotNull CredentialStore read(final @NotNull Path secretsDirectory) {
        final Path file = secretsDirectory.resolve(FILE_NAME);
        final byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (final NoSuchFileException e) {
            return empty();
        } catch (final IOException e) {
            return broken("could not be read (" + e.getClass().getSimpleName() + ")");
        }
        if (bytes.length > MAX_FILE_BYTES) {
            return broken("is larger than " + MAX_FILE_BYTES + " bytes");
        }
        final JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (final JsonProcessingException e) {
            // Jackson's message quotes the text around the error, which may be a password: give the place only.
            final JsonLocation at = e.getLocation();
            return broken("is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (final IOException e) {
            return broken("could not be read as JSON");
        }
        if (root == null || !root.isObject()) {
            return broken("must hold a JSON object such as {\"default\": {\"username\": \"…\", \"password\": \"…\"}}");
        }
        final Map<String, Credentials> entries = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();
        final Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            final Map.Entry<String, JsonNode> field = fields.next();
            final JsonNode entry = field.getValue();
            final JsonNode username = entry.get("username");
            final JsonNode password = entry.get("password");
            if (!entry.isObject()
                    || username == null
                    || !username.isTextual()
                    || username.textValue().isEmpty()
                    || password == null
                    || !password.isTextual()) {
                problems.add("secrets/" + FILE_NAME + " entry '" + Names.printable(field.getKey())
                        + "' must be an object with a non-empty string 'username' and a string 'password';"
                        + " the entry is ignored");
                continue;
            }
            entries.put(key(field.getKey()), new Credentials(username.textValue(), password.textValue()));
        }
        return new CredentialStore(entries, problems);
    }

    private static CredentialStore broken(final String predicate) {
        return new CredentialStore(
                Map.of(),
                List.of("secrets/" + FILE_NAME + " " + predicate
                        + ": cameras are queried without credentials until it is fixed"));
    }

    /**
     * The credentials for the camera with endpoint address {@code address}: its own entry, keyed by the address
     * ({@code urn:uuid:…}) or the bare UUID in any case, else {@code default}.
     */
    @NotNull
    Optional<Credentials> lookup(final @NotNull String address) {
        final Credentials own = entries.get(key(address));
        return Optional.ofNullable(own != null ? own : entries.get(DEFAULT));
    }

    /** What is wrong with the file, one sentence each; empty when it is fine or missing. */
    @NotNull
    List<String> problems() {
        return problems;
    }

    private static String key(final String name) {
        final String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith(URN_UUID) ? lower.substring(URN_UUID.length()) : lower;
    }
}
