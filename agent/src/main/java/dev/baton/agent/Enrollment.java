package dev.baton.agent;

import dev.baton.agent.internal.config.AgentFiles;
import dev.baton.agent.internal.enroll.EnrollmentClient;
import dev.baton.protocol.EnrollmentRequest;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.Names;
import dev.baton.protocol.ProtocolException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Exchanges an enrollment token for the node's identity and MQTT credentials ({@code POST {hub}/api/v1/enroll}),
 * and writes them to a data directory: {@code agent.json} (hub, tenant, node, MQTT server, client identifier, user
 * name, labels) and {@code secrets/mqtt.json} (the credentials with the password, mode 0600 in a 0700 directory).
 *
 * <pre>{@code
 * AgentConfig config = Enrollment.builder()
 *         .hubUrl("http://127.0.0.1:8080").token(token).dataDirectory(dir).node("edge-1")
 *         .build()
 *         .enroll();
 * BatonAgent agent = BatonAgent.start(config);
 * }</pre>
 */
public final class Enrollment {

    private final URI hubUrl;
    private final String token;
    private final @Nullable String node;
    private final Map<String, String> labels;
    private final @Nullable String hostname;
    private final Path dataDirectory;
    private final Duration timeout;

    private Enrollment(final Builder b) {
        if (b.hubUrl == null) {
            throw new IllegalArgumentException("hub URL is required");
        }
        hubUrl = AgentConfig.checkHubUrl(b.hubUrl, "hub URL");
        if (b.token == null || b.token.isBlank()) {
            throw new IllegalArgumentException("token is required");
        }
        token = b.token.strip();
        node = b.node;
        labels = Map.copyOf(b.labels);
        hostname = b.hostname != null ? b.hostname : localHostname();
        if (b.dataDirectory == null) {
            throw new IllegalArgumentException("data directory is required");
        }
        dataDirectory = b.dataDirectory.toAbsolutePath().normalize();
        timeout = Objects.requireNonNull(b.timeout, "timeout");
        try {
            // The request's own rules (token length, node name, labels) checked before anything is sent.
            MessageType.ENROLLMENT_REQUEST.validate(request());
        } catch (final ProtocolException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public static @NotNull Builder builder() {
        return new Builder();
    }

    /**
     * Enrolls and writes the data directory's files.
     *
     * @return the configuration read back from the files just written
     * @throws EnrollmentException when the hub refuses, cannot be reached, or answers nonsense
     */
    public @NotNull AgentConfig enroll() {
        final EnrollmentResponse response = new EnrollmentClient(hubUrl, timeout).enroll(request());
        AgentFiles.write(dataDirectory, hubUrl.toString(), response.tenant(), response.node(), labels, response.mqtt());
        return AgentConfig.fromDataDirectory(dataDirectory).build();
    }

    public @NotNull URI hubUrl() {
        return hubUrl;
    }

    public @NotNull Path dataDirectory() {
        return dataDirectory;
    }

    private EnrollmentRequest request() {
        return new EnrollmentRequest(token, node, labels, hostname);
    }

    private static @Nullable String localHostname() {
        try {
            final String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() ? null : name;
        } catch (final UnknownHostException e) {
            return null;
        }
    }

    /** Collects enrollment parameters; {@link #build()} checks them. */
    public static final class Builder {
        private @Nullable URI hubUrl;
        private @Nullable String token;
        private @Nullable String node;
        private final Map<String, String> labels = new TreeMap<>();
        private @Nullable String hostname;
        private @Nullable Path dataDirectory;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder() {}

        /** The hub's base URL, e.g. {@code http://hub:8080}; a trailing '/' is ignored. */
        public @NotNull Builder hubUrl(final @NotNull String hubUrl) {
            final String trimmed = hubUrl.endsWith("/") ? hubUrl.substring(0, hubUrl.length() - 1) : hubUrl;
            try {
                this.hubUrl = new URI(trimmed);
            } catch (final URISyntaxException e) {
                throw new IllegalArgumentException(
                        "hub URL is not a URI: '" + Names.printable(hubUrl) + "' (" + e.getReason() + ")", e);
            }
            return this;
        }

        public @NotNull Builder token(final @NotNull String token) {
            this.token = token;
            return this;
        }

        /** The node name wanted; when absent the hub derives one from the host name. */
        public @NotNull Builder node(final @Nullable String node) {
            this.node = node;
            return this;
        }

        /** Validated with the rest of the request by {@link #build()}. */
        public @NotNull Builder label(final @NotNull String key, final @NotNull String value) {
            labels.put(key, value);
            return this;
        }

        public @NotNull Builder labels(final @NotNull Map<String, String> labels) {
            this.labels.clear();
            this.labels.putAll(labels);
            return this;
        }

        /** Defaults to this host's name. */
        public @NotNull Builder hostname(final @Nullable String hostname) {
            this.hostname = hostname;
            return this;
        }

        public @NotNull Builder dataDirectory(final @NotNull Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        /** How long to wait for the hub's answer; 30 s by default. */
        public @NotNull Builder timeout(final @NotNull Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** @throws IllegalArgumentException naming the parameter that is missing or invalid */
        public @NotNull Enrollment build() {
            return new Enrollment(this);
        }
    }
}
