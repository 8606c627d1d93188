package dev.baton.agent;

import dev.baton.adapters.api.ComponentProviderFactory;
import dev.baton.adapters.api.discovery.DiscoveryHandlerFactory;
import dev.baton.agent.internal.config.AgentFiles;
import dev.baton.protocol.EnrollmentResponse;
import dev.baton.protocol.Limits;
import dev.baton.protocol.MqttCredentials;
import dev.baton.protocol.Names;
import dev.baton.protocol.ProtocolException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Everything one agent needs to run, immutable and validated when built: the data directory, the node's identity,
 * its MQTT credentials and the bounds of its outbox. Built from {@code agent.json} and {@code secrets/mqtt.json} in
 * the data directory ({@link #fromDataDirectory}), from an enrollment, or directly in tests.
 *
 * <p>Invalid values are refused by {@link Builder#build()} with an {@link IllegalArgumentException} naming the
 * field, the limit and the value. The password never appears in {@link #toString()}.
 */
public final class AgentConfig {

    /** Default bound of the outbox in payload bytes. */
    public static final long DEFAULT_OUTBOX_MAX_BYTES = 16L * 1024 * 1024;
    /** Default age after which undelivered events are dropped. */
    public static final Duration DEFAULT_OUTBOX_MAX_AGE = Duration.ofDays(7);
    /** Default MQTT keep-alive. */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);
    /** Default MQTT session expiry: the broker keeps the node's subscriptions and queued messages this long. */
    public static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofDays(1);

    static final long MIN_OUTBOX_BYTES = 1024L * 1024;
    static final long MAX_OUTBOX_BYTES = 1024L * 1024 * 1024;
    static final Duration MIN_OUTBOX_AGE = Duration.ofMinutes(1);
    static final Duration MAX_OUTBOX_AGE = Duration.ofDays(365);
    static final Duration MIN_KEEP_ALIVE = Duration.ofSeconds(5);
    static final Duration MAX_KEEP_ALIVE = Duration.ofSeconds(65_535);
    static final Duration MAX_SESSION_EXPIRY = Duration.ofSeconds(0xFFFF_FFFEL);
    private static final int MAX_CLIENT_ID_CHARS = 128;
    private static final int MAX_SECRET_CHARS = 256;

    private final Path dataDirectory;
    private final String tenant;
    private final String node;
    private final @Nullable URI hubUrl;
    private final URI mqttServerUri;
    private final String mqttClientId;
    private final String mqttUsername;
    private final String mqttPassword;
    private final Map<String, String> labels;
    private final @Nullable Duration reconcileInterval;
    private final long outboxMaxBytes;
    private final Duration outboxMaxAge;
    private final Duration keepAlive;
    private final Duration sessionExpiry;
    private final Backoff reconnectBackoff;
    private final Backoff retryBackoff;
    private final @Nullable List<ComponentProviderFactory> providerFactories;
    private final @Nullable List<DiscoveryHandlerFactory> discoveryHandlerFactories;

    private AgentConfig(final Builder b) {
        dataDirectory =
                required(b.dataDirectory, "dataDirectory").toAbsolutePath().normalize();
        tenant = name(b.tenant, "tenant");
        node = name(b.node, "node");
        hubUrl = b.hubUrl == null ? null : checkHubUrl(b.hubUrl, "hubUrl");
        mqttServerUri = mqttServerUri(required(b.mqttServerUri, "mqtt.serverUri"));
        final String defaultIdentity = tenant + "." + node;
        mqttClientId =
                text(b.mqttClientId == null ? defaultIdentity : b.mqttClientId, "mqtt.clientId", MAX_CLIENT_ID_CHARS);
        mqttUsername =
                text(b.mqttUsername == null ? defaultIdentity : b.mqttUsername, "mqtt.username", MAX_CLIENT_ID_CHARS);
        mqttPassword = text(required(b.mqttPassword, "mqtt.password"), "mqtt.password", MAX_SECRET_CHARS);
        labels = labels(b.labels);
        if (b.reconcileInterval != null) {
            between(
                    b.reconcileInterval,
                    Duration.ofSeconds(Limits.MIN_RECONCILE_INTERVAL_SECONDS),
                    Duration.ofSeconds(Limits.MAX_RECONCILE_INTERVAL_SECONDS),
                    "reconcileInterval");
        }
        reconcileInterval = b.reconcileInterval;
        if (b.outboxMaxBytes < MIN_OUTBOX_BYTES || b.outboxMaxBytes > MAX_OUTBOX_BYTES) {
            throw new IllegalArgumentException("outbox.maxBytes must be between " + MIN_OUTBOX_BYTES + " and "
                    + MAX_OUTBOX_BYTES + ", but was " + b.outboxMaxBytes);
        }
        outboxMaxBytes = b.outboxMaxBytes;
        outboxMaxAge = between(b.outboxMaxAge, MIN_OUTBOX_AGE, MAX_OUTBOX_AGE, "outbox.maxAge");
        keepAlive = between(b.keepAlive, MIN_KEEP_ALIVE, MAX_KEEP_ALIVE, "mqtt.keepAlive");
        sessionExpiry = between(b.sessionExpiry, Duration.ZERO, MAX_SESSION_EXPIRY, "mqtt.sessionExpiry");
        reconnectBackoff = required(b.reconnectBackoff, "reconnectBackoff");
        retryBackoff = required(b.retryBackoff, "retryBackoff");
        providerFactories = b.providerFactories == null ? null : List.copyOf(b.providerFactories);
        discoveryHandlerFactories =
                b.discoveryHandlerFactories == null ? null : List.copyOf(b.discoveryHandlerFactories);
    }

    public static @NotNull Builder builder() {
        return new Builder();
    }

    /**
     * Reads {@code agent.json} and {@code secrets/mqtt.json} from a data directory written by enrollment. The
     * returned builder can still be changed (command-line flags override the files) before it is built.
     *
     * @throws IllegalArgumentException when a file is missing or invalid; the message names the file and field
     * @throws java.io.UncheckedIOException when a file cannot be read
     */
    public static @NotNull Builder fromDataDirectory(final @NotNull Path dataDirectory) {
        return AgentFiles.read(dataDirectory);
    }

    public @NotNull Builder toBuilder() {
        final Builder b = new Builder()
                .dataDirectory(dataDirectory)
                .tenant(tenant)
                .node(node)
                .mqttServerUri(mqttServerUri)
                .mqttClientId(mqttClientId)
                .mqttUsername(mqttUsername)
                .mqttPassword(mqttPassword)
                .labels(labels)
                .outboxMaxBytes(outboxMaxBytes)
                .outboxMaxAge(outboxMaxAge)
                .keepAlive(keepAlive)
                .sessionExpiry(sessionExpiry)
                .reconnectBackoff(reconnectBackoff)
                .retryBackoff(retryBackoff);
        b.hubUrl = hubUrl;
        b.reconcileInterval = reconcileInterval;
        b.providerFactories = providerFactories;
        b.discoveryHandlerFactories = discoveryHandlerFactories;
        return b;
    }

    /** Where the agent keeps its store, secrets and component state; absolute. */
    public @NotNull Path dataDirectory() {
        return dataDirectory;
    }

    public @NotNull String tenant() {
        return tenant;
    }

    public @NotNull String node() {
        return node;
    }

    /** The hub this node enrolled with, if known; used in messages that tell an operator to re-enroll. */
    public @NotNull Optional<URI> hubUrl() {
        return Optional.ofNullable(hubUrl);
    }

    /** {@code tcp://host:port} or {@code ssl://host:port}. */
    public @NotNull URI mqttServerUri() {
        return mqttServerUri;
    }

    public @NotNull String mqttClientId() {
        return mqttClientId;
    }

    public @NotNull String mqttUsername() {
        return mqttUsername;
    }

    /** The MQTT password; keep it out of logs. */
    public @NotNull String mqttPassword() {
        return mqttPassword;
    }

    /**
     * The labels this node asked for at enrollment, as {@code agent.json} records them. They take effect at
     * enrollment only: the running agent does not send them, and operators change a node's labels at the hub. Kept
     * so that {@code agent.json} stays a complete record of the enrollment and a re-enrollment can reuse them.
     */
    public @NotNull Map<String, String> labels() {
        return labels;
    }

    /** Overrides the drift-check interval of every desired document, when set. */
    public @NotNull Optional<Duration> reconcileInterval() {
        return Optional.ofNullable(reconcileInterval);
    }

    public long outboxMaxBytes() {
        return outboxMaxBytes;
    }

    public @NotNull Duration outboxMaxAge() {
        return outboxMaxAge;
    }

    public @NotNull Duration keepAlive() {
        return keepAlive;
    }

    public @NotNull Duration sessionExpiry() {
        return sessionExpiry;
    }

    public @NotNull Backoff reconnectBackoff() {
        return reconnectBackoff;
    }

    public @NotNull Backoff retryBackoff() {
        return retryBackoff;
    }

    /**
     * The provider factories to use instead of those {@link java.util.ServiceLoader} finds on the class path; empty
     * means "use the ServiceLoader".
     */
    public @NotNull Optional<List<ComponentProviderFactory>> providerFactories() {
        return Optional.ofNullable(providerFactories);
    }

    /**
     * The discovery handler factories to use instead of those {@link java.util.ServiceLoader} finds; empty means
     * "use the ServiceLoader".
     */
    public @NotNull Optional<List<DiscoveryHandlerFactory>> discoveryHandlerFactories() {
        return Optional.ofNullable(discoveryHandlerFactories);
    }

    @Override
    public String toString() {
        return "AgentConfig[dataDirectory=" + dataDirectory + ", tenant=" + tenant + ", node=" + node + ", hubUrl="
                + hubUrl + ", mqttServerUri=" + mqttServerUri + ", mqttClientId=" + mqttClientId + ", mqttUsername="
                + mqttUsername + ", mqttPassword=<redacted>, labels=" + labels + ", reconcileInterval="
                + reconcileInterval + ", outboxMaxBytes=" + outboxMaxBytes + ", outboxMaxAge=" + outboxMaxAge + "]";
    }

    private static <T> T required(final @Nullable T value, final String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    private static String name(final @Nullable String value, final String field) {
        try {
            return Names.checkName(value, field);
        } catch (final ProtocolException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String text(final String value, final String field, final int maxChars) {
        if (value.isEmpty() || value.length() > maxChars) {
            throw new IllegalArgumentException(
                    field + " must be 1 to " + maxChars + " characters, but was " + value.length());
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(field + " must not contain control characters");
        }
        return value;
    }

    private static Duration between(
            final @Nullable Duration value, final Duration min, final Duration max, final String field) {
        required(value, field);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + " must be between " + min.toSeconds() + " s and "
                    + max.toSeconds() + " s, but was " + value.toMillis() + " ms");
        }
        return value;
    }

    /**
     * Checks a hub URL: {@code http} or {@code https}, a host, an optional port, and nothing else. User info is
     * refused because the URL is logged and written to {@code agent.json} (the node authenticates with its token and
     * MQTT credentials, never with URL credentials); a path, query or fragment because the agent appends the API
     * path itself.
     *
     * @throws IllegalArgumentException naming {@code field}, with any user info in the shown value masked
     */
    static @NotNull URI checkHubUrl(final @NotNull URI uri, final @NotNull String field) {
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                || uri.getHost() == null
                || !onlyHostAndPort(uri)) {
            throw new IllegalArgumentException(field + " must be http://host[:port] or https://host[:port], without"
                    + " user info, path, query or fragment, but was '" + shown(uri) + "'");
        }
        return uri;
    }

    private static URI mqttServerUri(final URI uri) {
        if (!("tcp".equals(uri.getScheme()) || "ssl".equals(uri.getScheme()))
                || uri.getHost() == null
                || uri.getPort() < 1
                || uri.getPort() > 65_535
                || !onlyHostAndPort(uri)) {
            throw new IllegalArgumentException("mqtt.serverUri must be tcp://host:port or ssl://host:port, without"
                    + " user info, path, query or fragment, but was '" + shown(uri) + "'");
        }
        return uri;
    }

    private static boolean onlyHostAndPort(final URI uri) {
        final String path = uri.getRawPath();
        return uri.getRawUserInfo() == null
                && (path == null || path.isEmpty() || "/".equals(path))
                && uri.getRawQuery() == null
                && uri.getRawFragment() == null;
    }

    /** A URI for an error message: bounded, and with any user info (a password, maybe) masked. */
    private static String shown(final URI uri) {
        final String text = uri.toString();
        final String userInfo = uri.getRawUserInfo();
        return Names.printable(userInfo == null ? text : text.replace(userInfo + "@", "***@"));
    }

    private static Map<String, String> labels(final Map<String, String> labels) {
        if (labels.size() > Limits.MAX_LABELS) {
            throw new IllegalArgumentException(
                    "labels must not exceed " + Limits.MAX_LABELS + " entries, but had " + labels.size());
        }
        try {
            labels.forEach((key, value) -> Names.checkLabel(key, value, "labels"));
        } catch (final ProtocolException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    /** Collects the values of an {@link AgentConfig}; {@link #build()} checks them all at once. */
    public static final class Builder {

        private @Nullable Path dataDirectory;
        private @Nullable String tenant;
        private @Nullable String node;
        private @Nullable URI hubUrl;
        private @Nullable URI mqttServerUri;
        private @Nullable String mqttClientId;
        private @Nullable String mqttUsername;
        private @Nullable String mqttPassword;
        private final Map<String, String> labels = new TreeMap<>();
        private @Nullable Duration reconcileInterval;
        private long outboxMaxBytes = DEFAULT_OUTBOX_MAX_BYTES;
        private Duration outboxMaxAge = DEFAULT_OUTBOX_MAX_AGE;
        private Duration keepAlive = DEFAULT_KEEP_ALIVE;
        private Duration sessionExpiry = DEFAULT_SESSION_EXPIRY;
        private Backoff reconnectBackoff = Backoff.RECONNECT_DEFAULT;
        private Backoff retryBackoff = Backoff.RETRY_DEFAULT;
        private @Nullable List<ComponentProviderFactory> providerFactories;
        private @Nullable List<DiscoveryHandlerFactory> discoveryHandlerFactories;

        private Builder() {}

        public @NotNull Builder dataDirectory(final @NotNull Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        public @NotNull Builder tenant(final @NotNull String tenant) {
            this.tenant = tenant;
            return this;
        }

        public @NotNull Builder node(final @NotNull String node) {
            this.node = node;
            return this;
        }

        public @NotNull Builder hubUrl(final @Nullable String hubUrl) {
            this.hubUrl = hubUrl == null ? null : uri(hubUrl, "hubUrl");
            return this;
        }

        public @NotNull Builder mqttServerUri(final @NotNull String serverUri) {
            this.mqttServerUri = uri(serverUri, "mqtt.serverUri");
            return this;
        }

        public @NotNull Builder mqttServerUri(final @NotNull URI serverUri) {
            this.mqttServerUri = serverUri;
            return this;
        }

        /** Defaults to {@code {tenant}.{node}}, which is what the hub issues. */
        public @NotNull Builder mqttClientId(final @Nullable String clientId) {
            this.mqttClientId = clientId;
            return this;
        }

        /** Defaults to {@code {tenant}.{node}}, which is what the hub issues. */
        public @NotNull Builder mqttUsername(final @Nullable String username) {
            this.mqttUsername = username;
            return this;
        }

        public @NotNull Builder mqttPassword(final @NotNull String password) {
            this.mqttPassword = password;
            return this;
        }

        /** Server URI, client identifier, user name and password at once. */
        public @NotNull Builder mqtt(final @NotNull MqttCredentials credentials) {
            return mqttServerUri(credentials.serverUri())
                    .mqttClientId(credentials.clientId())
                    .mqttUsername(credentials.username())
                    .mqttPassword(credentials.password());
        }

        /** The identity and credentials the hub issued at enrollment. */
        public @NotNull Builder enrollment(final @NotNull EnrollmentResponse enrollment) {
            return tenant(enrollment.tenant()).node(enrollment.node()).mqtt(enrollment.mqtt());
        }

        public @NotNull Builder label(final @NotNull String key, final @NotNull String value) {
            labels.put(Objects.requireNonNull(key, "label key"), Objects.requireNonNull(value, "label value"));
            return this;
        }

        public @NotNull Builder labels(final @NotNull Map<String, String> labels) {
            this.labels.clear();
            this.labels.putAll(labels);
            return this;
        }

        /** Overrides the desired documents' {@code reconcile.intervalSeconds}; {@code null} follows them. */
        public @NotNull Builder reconcileInterval(final @Nullable Duration interval) {
            this.reconcileInterval = interval;
            return this;
        }

        public @NotNull Builder outboxMaxBytes(final long maxBytes) {
            this.outboxMaxBytes = maxBytes;
            return this;
        }

        public @NotNull Builder outboxMaxAge(final @NotNull Duration maxAge) {
            this.outboxMaxAge = maxAge;
            return this;
        }

        public @NotNull Builder keepAlive(final @NotNull Duration keepAlive) {
            this.keepAlive = keepAlive;
            return this;
        }

        public @NotNull Builder sessionExpiry(final @NotNull Duration sessionExpiry) {
            this.sessionExpiry = sessionExpiry;
            return this;
        }

        public @NotNull Builder reconnectBackoff(final @NotNull Backoff backoff) {
            this.reconnectBackoff = backoff;
            return this;
        }

        public @NotNull Builder retryBackoff(final @NotNull Backoff backoff) {
            this.retryBackoff = backoff;
            return this;
        }

        /** Use these provider factories instead of the ServiceLoader's; {@code null} restores the ServiceLoader. */
        public @NotNull Builder providerFactories(final @Nullable List<ComponentProviderFactory> factories) {
            this.providerFactories = factories;
            return this;
        }

        /** Use these discovery handler factories instead of the ServiceLoader's; {@code null} restores it. */
        public @NotNull Builder discoveryHandlerFactories(final @Nullable List<DiscoveryHandlerFactory> factories) {
            this.discoveryHandlerFactories = factories;
            return this;
        }

        /** @throws IllegalArgumentException naming the first field that is missing or out of range */
        public @NotNull AgentConfig build() {
            return new AgentConfig(this);
        }

        private static URI uri(final String value, final String field) {
            try {
                return new URI(Objects.requireNonNull(value, field));
            } catch (final URISyntaxException e) {
                throw new IllegalArgumentException(
                        field + " is not a URI: '" + Names.printable(value) + "' (" + e.getReason() + ")", e);
            }
        }
    }
}
