package dev.baton.agent.internal.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.baton.agent.AgentConfig;
import dev.baton.protocol.MqttCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's files in its data directory: {@code agent.json}, the human-editable configuration, and
 * {@code secrets/mqtt.json}, the credentials issued at enrollment (directory mode 0700, file mode 0600 on POSIX
 * systems). The MQTT server, client identifier and user name come from {@code agent.json}, so that an operator can
 * point a node at another broker address by editing it; only the password is taken from the secrets file.
 */
public final class AgentFiles {

    /** The configuration file's name in the data directory. */
    public static final String AGENT_FILE = "agent.json";
    /** The credentials file, relative to the data directory. */
    public static final String MQTT_SECRETS_FILE = "secrets/mqtt.json";

    private static final Logger LOG = LoggerFactory.getLogger(AgentFiles.class);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    /** The shape of {@code agent.json}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AgentFile(
            @Nullable String hub,
            @Nullable String tenant,
            @Nullable String node,
            @Nullable MqttSection mqtt,
            @Nullable Map<String, String> labels,
            @Nullable Integer reconcileIntervalSeconds,
            @Nullable OutboxSection outbox) {}

    /** {@code agent.json}'s {@code mqtt} object; the password lives in the secrets file. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MqttSection(@Nullable String serverUri, @Nullable String clientId, @Nullable String username) {}

    /** {@code agent.json}'s optional {@code outbox} object. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OutboxSection(@Nullable Long maxBytes, @Nullable Long maxAgeSeconds) {}

    private AgentFiles() {}

    /** Writes both files of a freshly enrolled node, replacing earlier ones. */
    public static void write(
            final @NotNull Path dataDirectory,
            final @Nullable String hub,
            final @NotNull String tenant,
            final @NotNull String node,
            final @NotNull Map<String, String> labels,
            final @NotNull MqttCredentials credentials) {
        try {
            Files.createDirectories(dataDirectory);
            final Path secrets = dataDirectory.resolve(MQTT_SECRETS_FILE);
            createPrivateDirectory(secrets.getParent());
            writeAtomically(secrets, json(credentials), true);
            final AgentFile file = new AgentFile(
                    hub,
                    tenant,
                    node,
                    new MqttSection(credentials.serverUri(), credentials.clientId(), credentials.username()),
                    new TreeMap<>(labels),
                    null,
                    null);
            writeAtomically(dataDirectory.resolve(AGENT_FILE), json(file), false);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the agent's files in " + dataDirectory + ": " + e, e);
        }
    }

    /** Reads both files into a builder; see {@link AgentConfig#fromDataDirectory}. */
    public static @NotNull AgentConfig.Builder read(final @NotNull Path dataDirectory) {
        final Path agentPath = dataDirectory.resolve(AGENT_FILE);
        final AgentFile file = parse(agentPath, AgentFile.class);
        final MqttCredentials secrets = parse(dataDirectory.resolve(MQTT_SECRETS_FILE), MqttCredentials.class);
        warnIfReadableByOthers(dataDirectory.resolve(MQTT_SECRETS_FILE));
        if (file.tenant() == null) {
            throw new IllegalArgumentException(agentPath + ": tenant is required");
        }
        if (file.node() == null) {
            throw new IllegalArgumentException(agentPath + ": node is required");
        }
        if (file.mqtt() == null || file.mqtt().serverUri() == null) {
            throw new IllegalArgumentException(agentPath + ": mqtt.serverUri is required");
        }
        if (secrets.password() == null) {
            throw new IllegalArgumentException(dataDirectory.resolve(MQTT_SECRETS_FILE) + ": password is required");
        }
        final AgentConfig.Builder builder = AgentConfig.builder().dataDirectory(dataDirectory);
        try {
            builder.hubUrl(file.hub())
                    .tenant(file.tenant())
                    .node(file.node())
                    .mqttServerUri(file.mqtt().serverUri())
                    .mqttClientId(file.mqtt().clientId())
                    .mqttUsername(file.mqtt().username())
                    .mqttPassword(secrets.password());
            if (file.labels() != null) {
                builder.labels(file.labels());
            }
            if (file.reconcileIntervalSeconds() != null) {
                builder.reconcileInterval(Duration.ofSeconds(file.reconcileIntervalSeconds()));
            }
            if (file.outbox() != null && file.outbox().maxBytes() != null) {
                builder.outboxMaxBytes(file.outbox().maxBytes());
            }
            if (file.outbox() != null && file.outbox().maxAgeSeconds() != null) {
                builder.outboxMaxAge(Duration.ofSeconds(file.outbox().maxAgeSeconds()));
            }
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException(agentPath + ": " + e.getMessage(), e);
        }
        return builder;
    }

    /** Pretty JSON with a final newline, as a person would write it. */
    private static byte[] json(final Object value) throws JsonProcessingException {
        return (MAPPER.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T parse(final Path path, final Class<T> type) {
        final byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (final NoSuchFileException e) {
            throw new IllegalArgumentException(path + " does not exist: enroll this node first with"
                    + " `baton-agent enroll --hub URL --token TOKEN --data-dir " + path.getParent() + "`");
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e, e);
        }
        try {
            return MAPPER.readValue(bytes, type);
        } catch (final UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(path + ": unknown field '" + e.getPropertyName() + "' (known fields: "
                    + e.getKnownPropertyIds() + ")");
        } catch (final JsonProcessingException e) {
            throw new IllegalArgumentException(path + " is not valid: " + e.getOriginalMessage());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e, e);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static void createPrivateDirectory(final Path directory) throws IOException {
        if (!posix()) {
            Files.createDirectories(directory);
            return;
        }
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        }
        // createDirectories applies the umask; set the mode explicitly, also for a directory that existed.
        Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
    }

    /**
     * Writes through a temporary file and a rename, so that a crash leaves the old or the new file, never half of
     * one. A secret file is created with mode 0600 from the start: it is never readable by others, not even briefly.
     */
    private static void writeAtomically(final Path target, final byte[] content, final boolean secret)
            throws IOException {
        final FileAttribute<?>[] attributes = secret && posix()
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
                : new FileAttribute<?>[0];
        final Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp", attributes);
        try {
            Files.write(temporary, content);
            if (!secret && posix()) {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (final AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void warnIfReadableByOthers(final Path secret) {
        if (!posix()) {
            return;
        }
        try {
            final Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(secret);
            if (permissions.stream().anyMatch(p -> !OWNER_ONLY_FILE.contains(p))) {
                LOG.warn(
                        "{} has mode {}, so other users may read the node's MQTT password: run `chmod 600 {}`",
                        secret,
                        PosixFilePermissions.toString(permissions),
                        secret);
            }
        } catch (final IOException e) {
            LOG.debug("cannot read the permissions of {}", secret, e);
        }
    }
}
