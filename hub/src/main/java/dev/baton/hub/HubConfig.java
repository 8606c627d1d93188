package dev.baton.hub;

import dev.baton.hub.internal.HostNames;
import dev.baton.hub.internal.store.JdbcUrls;
import dev.baton.protocol.Names;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The configuration of one hub process: where it keeps its data, where it listens and which MQTT broker it uses.
 * Immutable; the {@link Builder} checks every value when it is set, so an invalid configuration never exists.
 *
 * <p>Without {@link #externalMqttUri()} the hub starts its own embedded broker on {@link #mqttHost()}:{@link
 * #mqttPort()}. With it, no broker is started and the hub connects to the given one.
 *
 * <p>Without {@link #databaseUrl()} the hub keeps its store in SQLite in the data directory. With a PostgreSQL URL
 * it uses that database, which other hubs may share; their artifacts must then live in one shared {@link
 * #artifactDir()}.
 */
public final class HubConfig {

    /** Listen on every interface. */
    public static final String DEFAULT_HOST = "0.0.0.0";

    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final int DEFAULT_MQTT_PORT = 1883;
    /** The MQTT 5 shared-subscription group (section 4.8.2) hubs use to share the ingest load. */
    public static final String DEFAULT_SHARED_SUBSCRIPTION_GROUP = "hub";

    private static final int MAX_PORT = 65_535;
    private static final int MAX_CREDENTIAL_CHARS = 256;

    public static final long DEFAULT_MAX_ARTIFACT_BYTES = 1L << 30;
    static final long MAX_ARTIFACT_BYTES = 64L << 30;

    private final @NotNull Path dataDir;
    private final @NotNull String httpHost;
    private final int httpPort;
    private final @NotNull String mqttHost;
    private final int mqttPort;
    private final @Nullable URI externalMqttUri;
    private final @Nullable String externalMqttUsername;
    private final @Nullable String externalMqttPassword;
    private final @Nullable URI mqttAdvertisedUri;
    private final @NotNull String sharedSubscriptionGroup;
    private final long maxArtifactBytes;
    private final @Nullable String databaseUrl;
    private final @Nullable String databasePassword;
    private final @Nullable Path artifactDir;

    private HubConfig(final Builder builder) {
        dataDir = Objects.requireNonNull(builder.dataDir, "dataDir");
        httpHost = builder.httpHost;
        httpPort = builder.httpPort;
        mqttHost = builder.mqttHost;
        mqttPort = builder.mqttPort;
        externalMqttUri = builder.externalMqttUri;
        externalMqttUsername = builder.externalMqttUsername;
        externalMqttPassword = builder.externalMqttPassword;
        mqttAdvertisedUri = builder.mqttAdvertisedUri;
        sharedSubscriptionGroup = builder.sharedSubscriptionGroup;
        maxArtifactBytes = builder.maxArtifactBytes;
        databaseUrl = builder.databaseUrl;
        databasePassword = builder.databasePassword;
        artifactDir = builder.artifactDir;
    }

    public static @NotNull Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, for a changed copy. */
    public @NotNull Builder toBuilder() {
        final Builder builder = new Builder();
        builder.dataDir = dataDir;
        builder.httpHost = httpHost;
        builder.httpPort = httpPort;
        builder.mqttHost = mqttHost;
        builder.mqttPort = mqttPort;
        builder.externalMqttUri = externalMqttUri;
        builder.externalMqttUsername = externalMqttUsername;
        builder.externalMqttPassword = externalMqttPassword;
        builder.mqttAdvertisedUri = mqttAdvertisedUri;
        builder.sharedSubscriptionGroup = sharedSubscriptionGroup;
        builder.maxArtifactBytes = maxArtifactBytes;
        builder.databaseUrl = databaseUrl;
        builder.databasePassword = databasePassword;
        builder.artifactDir = artifactDir;
        return builder;
    }

    /** Holds {@code hub.db}, {@code admin.token} and the embedded broker's folders. */
    public @NotNull Path dataDir() {
        return dataDir;
    }

    public @NotNull String httpHost() {
        return httpHost;
    }

    /** The REST API port; 0 picks a free one (see {@link BatonHub#httpPort()}). */
    public int httpPort() {
        return httpPort;
    }

    public @NotNull String mqttHost() {
        return mqttHost;
    }

    /** The embedded broker's port; 0 picks a free one (see {@link BatonHub#mqttPort()}). */
    public int mqttPort() {
        return mqttPort;
    }

    /** {@code tcp://host:port} of an external broker; empty when the hub runs its embedded one. */
    public @NotNull Optional<URI> externalMqttUri() {
        return Optional.ofNullable(externalMqttUri);
    }

    public @NotNull Optional<String> externalMqttUsername() {
        return Optional.ofNullable(externalMqttUsername);
    }

    public @NotNull Optional<String> externalMqttPassword() {
        return Optional.ofNullable(externalMqttPassword);
    }

    /**
     * What enrollment tells agents to connect to. Empty means: the external broker's URI if there is one, else
     * {@code tcp://<host the enrollment request was addressed to>:<mqtt port>}.
     */
    public @NotNull Optional<URI> mqttAdvertisedUri() {
        return Optional.ofNullable(mqttAdvertisedUri);
    }

    public @NotNull String sharedSubscriptionGroup() {
        return sharedSubscriptionGroup;
    }

    /** The largest artifact the store takes, in bytes. */
    public long maxArtifactBytes() {
        return maxArtifactBytes;
    }

    /**
     * {@code jdbc:postgresql://host:port/database?user=…} of a PostgreSQL database the hub keeps its store in; empty
     * for SQLite in the data directory ({@code hub.db}).
     */
    public @NotNull Optional<String> databaseUrl() {
        return Optional.ofNullable(databaseUrl);
    }

    /** The PostgreSQL role's password, when not in the URL or needed at all. */
    public @NotNull Optional<String> databasePassword() {
        return Optional.ofNullable(databasePassword);
    }

    /** The database as logs and messages name it: the URL with any password replaced, or the SQLite file. */
    public @NotNull String databaseForLogs() {
        return databaseUrl == null ? dataDir.resolve("hub.db").toString() : JdbcUrls.redact(databaseUrl);
    }

    /**
     * Where artifact files live: {@code <tenant>/<sha256>}, uploads in progress in {@code tmp/}. Defaults to {@code
     * <dataDir>/artifacts}; hubs sharing a database must share this directory too.
     */
    public @NotNull Path artifactDir() {
        return artifactDir == null ? dataDir.resolve("artifacts") : artifactDir;
    }

    /** Never shows a password. */
    @Override
    public String toString() {
        return "HubConfig[dataDir=" + dataDir + ", http=" + httpHost + ':' + httpPort + ", mqtt=" + mqttHost + ':'
                + mqttPort + ", externalMqttUri=" + externalMqttUri + ", externalMqttUsername="
                + externalMqttUsername + ", externalMqttPassword="
                + (externalMqttPassword == null ? "null" : "<redacted>") + ", mqttAdvertisedUri=" + mqttAdvertisedUri
                + ", sharedSubscriptionGroup=" + sharedSubscriptionGroup + ", database=" + databaseForLogs()
                + ", databasePassword=" + (databasePassword == null ? "null" : "<redacted>") + ", artifactDir="
                + artifactDir() + ']';
    }

    /** Builds a {@link HubConfig}; each setter throws {@link IllegalArgumentException} naming field, rule and value. */
    public static final class Builder {

        private @Nullable Path dataDir;
        private @NotNull String httpHost = DEFAULT_HOST;
        private int httpPort = DEFAULT_HTTP_PORT;
        private @NotNull String mqttHost = DEFAULT_HOST;
        private int mqttPort = DEFAULT_MQTT_PORT;
        private @Nullable URI externalMqttUri;
        private @Nullable String externalMqttUsername;
        private @Nullable String externalMqttPassword;
        private @Nullable URI mqttAdvertisedUri;
        private @NotNull String sharedSubscriptionGroup = DEFAULT_SHARED_SUBSCRIPTION_GROUP;
        private long maxArtifactBytes = DEFAULT_MAX_ARTIFACT_BYTES;
        private @Nullable String databaseUrl;
        private @Nullable String databasePassword;
        private @Nullable Path artifactDir;

        private Builder() {}

        /** A PostgreSQL JDBC URL ({@code jdbc:postgresql://…}); null for SQLite in the data directory. */
        public @NotNull Builder databaseUrl(final @Nullable String url) {
            this.databaseUrl = url == null ? null : JdbcUrls.checkPostgres(url, "databaseUrl");
            return this;
        }

        /** The PostgreSQL role's password; null when the URL or the server needs none. */
        public @NotNull Builder databasePassword(final @Nullable String password) {
            this.databasePassword = password == null ? null : checkCredential(password, "databasePassword");
            return this;
        }

        /** Where artifact files live; null for {@code <dataDir>/artifacts}. */
        public @NotNull Builder artifactDir(final @Nullable Path directory) {
            this.artifactDir =
                    directory == null ? null : directory.toAbsolutePath().normalize();
            return this;
        }

        /** The largest artifact the store takes: 1 byte to 64 GiB, default 1 GiB. */
        public @NotNull Builder maxArtifactBytes(final long bytes) {
            if (bytes < 1 || bytes > MAX_ARTIFACT_BYTES) {
                throw new IllegalArgumentException(
                        "maxArtifactBytes must be from 1 to " + MAX_ARTIFACT_BYTES + ", but was " + bytes);
            }
            this.maxArtifactBytes = bytes;
            return this;
        }

        public @NotNull Builder dataDir(final @NotNull Path dataDir) {
            this.dataDir =
                    Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
            return this;
        }

        public @NotNull Builder httpHost(final @NotNull String httpHost) {
            this.httpHost = checkHost(httpHost, "httpHost");
            return this;
        }

        public @NotNull Builder httpPort(final int httpPort) {
            this.httpPort = checkPort(httpPort, "httpPort");
            return this;
        }

        public @NotNull Builder mqttHost(final @NotNull String mqttHost) {
            this.mqttHost = checkHost(mqttHost, "mqttHost");
            return this;
        }

        public @NotNull Builder mqttPort(final int mqttPort) {
            this.mqttPort = checkPort(mqttPort, "mqttPort");
            return this;
        }

        /** Both {@link #httpHost} and {@link #mqttHost}. */
        public @NotNull Builder bindHost(final @NotNull String host) {
            return httpHost(host).mqttHost(host);
        }

        /** An external broker as {@code tcp://host:port} (port defaults to 1883); null for the embedded one. */
        public @NotNull Builder externalMqttUri(final @Nullable String uri) {
            this.externalMqttUri = uri == null ? null : checkMqttUri(uri, "externalMqttUri", false);
            return this;
        }

        public @NotNull Builder externalMqttUsername(final @Nullable String username) {
            this.externalMqttUsername = username == null ? null : checkCredential(username, "externalMqttUsername");
            return this;
        }

        public @NotNull Builder externalMqttPassword(final @Nullable String password) {
            this.externalMqttPassword = password == null ? null : checkCredential(password, "externalMqttPassword");
            return this;
        }

        /** What enrollment hands to agents, {@code tcp://host:port} or {@code ssl://host:port}. */
        public @NotNull Builder mqttAdvertisedUri(final @Nullable String uri) {
            this.mqttAdvertisedUri = uri == null ? null : checkMqttUri(uri, "mqttAdvertisedUri", true);
            return this;
        }

        public @NotNull Builder sharedSubscriptionGroup(final @NotNull String group) {
            if (!Names.isValidName(group)) {
                throw new IllegalArgumentException("sharedSubscriptionGroup must be 1 to 63 lower-case letters, digits"
                        + " or '-', starting and ending with a letter or digit, but was '" + Names.printable(group)
                        + "'");
            }
            this.sharedSubscriptionGroup = group;
            return this;
        }

        /**
         * @throws IllegalArgumentException when a value is missing or the values do not fit together
         */
        public @NotNull HubConfig build() {
            if (dataDir == null) {
                throw new IllegalArgumentException("dataDir is required");
            }
            if (externalMqttPassword != null && externalMqttUsername == null) {
                throw new IllegalArgumentException(
                        "externalMqttPassword is set but externalMqttUsername is not; set both or neither");
            }
            if (databasePassword != null && databaseUrl == null) {
                throw new IllegalArgumentException(
                        "databasePassword is set but databaseUrl is not; the SQLite store needs no password");
            }
            if (externalMqttUri == null && (externalMqttUsername != null)) {
                throw new IllegalArgumentException(
                        "externalMqttUsername is set but externalMqttUri is not; the embedded broker needs no credentials");
            }
            return new HubConfig(this);
        }

        private static String checkHost(final String host, final String field) {
            Objects.requireNonNull(host, field);
            if (host.isBlank() || host.length() > 253 || host.chars().anyMatch(c -> c <= ' ' || c == '/')) {
                throw new IllegalArgumentException(field + " must be a host name or IP address of 1 to 253 characters"
                        + " without spaces or '/', but was '" + Names.printable(host) + "'");
            }
            return host;
        }

        private static int checkPort(final int port, final String field) {
            if (port < 0 || port > MAX_PORT) {
                throw new IllegalArgumentException(
                        field + " must be between 0 and " + MAX_PORT + " (0 picks a free port), but was " + port);
            }
            return port;
        }

        private static String checkCredential(final String value, final String field) {
            if (value.isEmpty() || value.length() > MAX_CREDENTIAL_CHARS) {
                throw new IllegalArgumentException(
                        field + " must be 1 to " + MAX_CREDENTIAL_CHARS + " characters, but was " + value.length());
            }
            return value;
        }

        private static URI checkMqttUri(final String value, final String field, final boolean allowSsl) {
            final String schemes = allowSsl ? "tcp://host:port or ssl://host:port" : "tcp://host:port";
            final URI uri;
            try {
                uri = new URI(value);
            } catch (final URISyntaxException e) {
                throw new IllegalArgumentException(
                        field + " must be " + schemes + ", but was '" + Names.printable(value) + "'", e);
            }
            final boolean schemeOk = "tcp".equals(uri.getScheme()) || allowSsl && "ssl".equals(uri.getScheme());
            final boolean pathOk = uri.getRawPath() == null || uri.getRawPath().isEmpty();
            if (!schemeOk
                    || uri.getHost() == null
                    || !pathOk
                    || uri.getRawQuery() != null
                    || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException(
                        field + " must be " + schemes + ", but was '" + Names.printable(value) + "'");
            }
            if (uri.getPort() == -1) {
                if (allowSsl) {
                    throw new IllegalArgumentException(
                            field + " must name a port (" + schemes + "), but was '" + Names.printable(value) + "'");
                }
                return URI.create(uri.getScheme() + "://" + HostNames.bracket(uri.getHost()) + ':' + DEFAULT_MQTT_PORT);
            }
            if (uri.getPort() < 1) {
                throw new IllegalArgumentException(
                        field + " port must be between 1 and " + MAX_PORT + ", but was " + uri.getPort());
            }
            return uri;
        }
    }
}
