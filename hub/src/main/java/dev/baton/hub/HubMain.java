package dev.baton.hub;

import dev.baton.cli.JarVersion;
import dev.baton.hub.internal.HostNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jetbrains.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code baton-hub}: runs one hub until SIGTERM or SIGINT, then closes it in order. Prints {@code baton hub ready:
 * http://HOST:P mqtt://HOST:Q data=D} on standard output once healthy; logs go to standard error.
 *
 * <p>Exit codes: 0 after an orderly stop, 1 when the hub cannot start (the message says why), 2 for bad flags.
 */
@Command(
        name = "baton-hub",
        mixinStandardHelpOptions = true,
        versionProvider = JarVersion.class,
        description = "Runs the Baton hub: REST API, MQTT broker (embedded unless --mqtt-url), store (SQLite unless"
                + " --database) and ingest.")
public final class HubMain implements Callable<Integer> {

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Store, admin token, broker data.")
    private Path dataDir;

    @Option(
            names = "--http-port",
            paramLabel = "PORT",
            defaultValue = "" + HubConfig.DEFAULT_HTTP_PORT,
            description = "REST API port (0: any free port). Default: ${DEFAULT-VALUE}.")
    private int httpPort;

    @Option(
            names = "--mqtt-port",
            paramLabel = "PORT",
            defaultValue = "" + HubConfig.DEFAULT_MQTT_PORT,
            description = "Embedded MQTT broker port (0: any free port). Default: ${DEFAULT-VALUE}.")
    private int mqttPort;

    @Option(
            names = "--bind",
            paramLabel = "HOST",
            defaultValue = HubConfig.DEFAULT_HOST,
            description = "Address the REST API and the embedded broker listen on. Default: ${DEFAULT-VALUE}.")
    private String bind;

    @Option(
            names = "--mqtt-url",
            paramLabel = "URL",
            description = "Use this external broker (tcp://host:port) instead of the embedded one.")
    private @Nullable String mqttUrl;

    @Option(names = "--mqtt-username", paramLabel = "NAME", description = "Username at the external broker.")
    private @Nullable String mqttUsername;

    @Option(
            names = "--mqtt-password-file",
            paramLabel = "FILE",
            description = "File holding the password at the external broker (kept out of the process list).")
    private @Nullable Path mqttPasswordFile;

    @Option(
            names = "--mqtt-advertised-url",
            paramLabel = "URL",
            description = "Broker URL handed to enrolling agents (tcp://host:port or ssl://host:port)."
                    + " Default: the external broker's URL, else tcp://<host the agent enrolled at>:<mqtt port>.")
    private @Nullable String mqttAdvertisedUrl;

    @Option(
            names = "--max-artifact-bytes",
            paramLabel = "BYTES",
            defaultValue = "1073741824",
            description = "Largest artifact the store takes. Default: ${DEFAULT-VALUE} (1 GiB).")
    private long maxArtifactBytes;

    @Option(
            names = "--shared-subscription-group",
            paramLabel = "NAME",
            defaultValue = HubConfig.DEFAULT_SHARED_SUBSCRIPTION_GROUP,
            description =
                    "MQTT shared-subscription group; hubs in one group share the ingest. Default: ${DEFAULT-VALUE}.")
    private String group;

    @Option(
            names = "--database",
            paramLabel = "URL",
            description = "Keep the store in this PostgreSQL database (jdbc:postgresql://host:5432/baton?user=baton),"
                    + " which other hubs may share. Password: --database-password-file or the environment variable "
                    + DATABASE_PASSWORD_VARIABLE + ". Default: SQLite in the data directory.")
    private @Nullable String database;

    @Option(
            names = "--database-password-file",
            paramLabel = "FILE",
            description = "File holding the PostgreSQL password (kept out of the process list); wins over "
                    + DATABASE_PASSWORD_VARIABLE + ".")
    private @Nullable Path databasePasswordFile;

    @Option(
            names = "--artifact-dir",
            paramLabel = "DIR",
            description = "Where artifact files live; hubs sharing a database must share it. Default: DIR/artifacts"
                    + " under --data-dir.")
    private @Nullable Path artifactDir;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** The environment variable that may hold the PostgreSQL password. */
    public static final String DATABASE_PASSWORD_VARIABLE = "BATON_DATABASE_PASSWORD";

    public static void main(final String[] args) {
        System.exit(new CommandLine(new HubMain()).execute(args));
    }

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final HubConfig config;
        try {
            config = config();
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        final BatonHub hub;
        try {
            hub = BatonHub.start(config);
        } catch (final HubStartException e) {
            err.println("baton-hub: cannot start: " + e.getMessage());
            err.flush();
            return 1;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            hub.close();
                            stopped.countDown();
                        },
                        "baton-hub-shutdown"));
        final String mqtt = config.externalMqttUri()
                .map(uri -> "mqtt://" + uri.getHost() + ':' + uri.getPort())
                .orElse("mqtt://" + HostNames.bracket(bind) + ':' + hub.mqttPort());
        out.println("baton hub ready: http://" + HostNames.bracket(bind) + ':' + hub.httpPort() + ' ' + mqtt + " data="
                + config.dataDir());
        out.flush();
        try {
            stopped.await();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private HubConfig config() {
        final HubConfig.Builder builder = HubConfig.builder()
                .dataDir(dataDir)
                .bindHost(bind)
                .httpPort(httpPort)
                .mqttPort(mqttPort)
                .sharedSubscriptionGroup(group)
                .maxArtifactBytes(maxArtifactBytes)
                .externalMqttUri(mqttUrl)
                .externalMqttUsername(mqttUsername)
                .mqttAdvertisedUri(mqttAdvertisedUrl);
        if (mqttPasswordFile != null) {
            builder.externalMqttPassword(readSecret(mqttPasswordFile, "--mqtt-password-file"));
        }
        builder.databaseUrl(database).artifactDir(artifactDir);
        if (database != null) {
            final String fromEnvironment = System.getenv(DATABASE_PASSWORD_VARIABLE);
            if (databasePasswordFile != null) {
                builder.databasePassword(readSecret(databasePasswordFile, "--database-password-file"));
            } else if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
                builder.databasePassword(fromEnvironment);
            }
        } else if (databasePasswordFile != null) {
            throw new IllegalArgumentException("--database-password-file needs --database; the SQLite store in the"
                    + " data directory has no password");
        }
        return builder.build();
    }

    private static String readSecret(final Path file, final String option) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (final IOException e) {
            throw new IllegalArgumentException("cannot read " + option + " " + file + ": " + e, e);
        }
    }
}
