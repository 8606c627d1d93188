package dev.baton.bench.fleet;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import dev.baton.hub.BatonHub;
import dev.baton.hub.HubConfig;
import dev.baton.testing.Launchers;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.jetbrains.annotations.NotNull;
import org.slf4j.LoggerFactory;

/**
 * The hub a fleet benchmark talks to: where it listens, its admin token, and — when it runs as its own process — its
 * pid, so that its CPU time and memory can be read apart from the load generator's.
 */
public interface HubUnderTest extends AutoCloseable {

    @NotNull
    URI http();

    int mqttPort();

    @NotNull
    String adminToken();

    /** The hub's own process; empty when it shares the benchmark's JVM. */
    @NotNull
    OptionalLong pid();

    /** One line saying how the hub runs, for the printed figures. */
    @NotNull
    String description();

    /** Where the hub's log went. */
    @NotNull
    Path log();

    @Override
    void close();

    /** Starts the hub in {@code dir} as {@code mode} says; blocks until it is healthy. */
    static @NotNull HubUnderTest start(final FleetOptions.@NotNull HubMode mode, final @NotNull Path dir)
            throws IOException, InterruptedException {
        return switch (mode) {
            case IN_PROCESS -> InProcess.start(dir);
            case LAUNCHER -> Launcher.start(dir);
        };
    }

    /**
     * {@link BatonHub#start} in this JVM. The hub's console log goes to a file instead, so that thousands of
     * per-node INFO lines do not flood the figures; the hub still formats and writes every line it would.
     */
    final class InProcess implements HubUnderTest {

        private final BatonHub hub;
        private final Path log;

        private InProcess(final BatonHub hub, final Path log) {
            this.hub = hub;
            this.log = log;
        }

        static InProcess start(final Path dir) {
            final Path log = dir.resolve("hub.log");
            logToFile(log);
            final BatonHub hub = BatonHub.start(HubConfig.builder()
                    .dataDir(dir.resolve("hub"))
                    .bindHost("127.0.0.1")
                    .httpPort(0)
                    .mqttPort(0)
                    .build());
            return new InProcess(hub, log);
        }

        /** Replaces the root logger's appenders (the hub's console appender) by one file appender. */
        private static void logToFile(final Path file) {
            final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            final List<Appender<ILoggingEvent>> previous = new ArrayList<>();
            for (final Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
                previous.add(it.next());
            }
            final PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(context);
            encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n");
            encoder.start();
            final FileAppender<ILoggingEvent> appender = new FileAppender<>();
            appender.setContext(context);
            appender.setName("FLEET-HUB-FILE");
            appender.setFile(file.toString());
            appender.setEncoder(encoder);
            appender.start();
            root.addAppender(appender);
            previous.forEach(old -> {
                root.detachAppender(old);
                old.stop();
            });
        }

        @Override
        public @NotNull URI http() {
            return URI.create("http://127.0.0.1:" + hub.httpPort());
        }

        @Override
        public int mqttPort() {
            return hub.mqttPort();
        }

        @Override
        public @NotNull String adminToken() {
            return hub.adminToken();
        }

        @Override
        public @NotNull OptionalLong pid() {
            return OptionalLong.empty();
        }

        @Override
        public @NotNull String description() {
            return "in-process (BatonHub.start in the load generator's JVM: CPU and memory are the sum of both)";
        }

        @Override
        public @NotNull Path log() {
            return log;
        }

        @Override
        public void close() {
            hub.close();
        }
    }

    /** {@code bin/baton-hub} from this worktree's build; JVM options from {@code BATON_HUB_JAVA_OPTS} if set. */
    final class Launcher implements HubUnderTest {

        private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

        private final Process process;
        private final Launchers.HubEndpoints endpoints;
        private final String adminToken;
        private final Path log;

        private Launcher(
                final Process process,
                final Launchers.HubEndpoints endpoints,
                final String adminToken,
                final Path log) {
            this.process = process;
            this.endpoints = endpoints;
            this.adminToken = adminToken;
            this.log = log;
        }

        static Launcher start(final Path dir) throws IOException, InterruptedException {
            final Path jar = Launchers.ROOT.resolve("hub/target/baton-hub.jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException("hub=launcher runs bin/baton-hub, which needs " + jar
                        + "; build it with `mvn -q -B -o -pl hub package -DskipTests`, or use hub=in-process");
            }
            final Path log = dir.resolve("hub.log");
            final Process process = Launchers.start(
                    log,
                    "baton-hub",
                    "--data-dir",
                    dir.resolve("hub").toString(),
                    "--http-port",
                    "0",
                    "--mqtt-port",
                    "0",
                    "--bind",
                    "127.0.0.1");
            try {
                final Launchers.HubEndpoints endpoints = Launchers.awaitHubReady(log, process, READY_TIMEOUT);
                final String token =
                        Files.readString(dir.resolve("hub/admin.token")).strip();
                return new Launcher(process, endpoints, token, log);
            } catch (final IOException | InterruptedException | RuntimeException | AssertionError e) {
                process.destroyForcibly();
                throw e;
            }
        }

        @Override
        public @NotNull URI http() {
            return endpoints.http();
        }

        @Override
        public int mqttPort() {
            return endpoints.mqttPort();
        }

        @Override
        public @NotNull String adminToken() {
            return adminToken;
        }

        @Override
        public @NotNull OptionalLong pid() {
            return OptionalLong.of(process.pid());
        }

        @Override
        public @NotNull String description() {
            return "bin/baton-hub, own process (pid " + process.pid() + ", JVM options "
                    + System.getenv().getOrDefault("BATON_HUB_JAVA_OPTS", "launcher default -XX:+UseSerialGC -Xmx512m")
                    + ")";
        }

        @Override
        public @NotNull Path log() {
            return log;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
