package dev.baton.agent;

import dev.baton.agent.internal.config.AgentFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jetbrains.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code baton-agent} command line.
 *
 * <ul>
 *   <li>{@code enroll --hub URL --token T --data-dir A [--node NAME] [--label k=v]…}: exit 0 when enrolled, 1 when
 *       the hub refused (its error is printed), 2 when the hub could not be reached.
 *   <li>{@code run --data-dir A [--mqtt-url tcp://host:port] [--reconcile-interval-seconds N]}: runs until SIGTERM
 *       or SIGINT; exit 1 when the configuration is missing or invalid.
 * </ul>
 *
 * Usage errors exit with 64 (EX_USAGE), so that 2 keeps meaning "hub unreachable, try again later".
 */
@Command(
        name = "baton-agent",
        mixinStandardHelpOptions = true,
        versionProvider = AgentMain.Version.class,
        description = "The Baton edge agent.",
        exitCodeOnInvalidInput = AgentMain.EXIT_USAGE,
        subcommands = {AgentMain.Enroll.class, AgentMain.Run.class})
public final class AgentMain implements Runnable {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_UNREACHABLE = 2;
    static final int EXIT_USAGE = 64;

    @Spec
    private CommandSpec spec;

    public static void main(final String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, for tests that run it in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new AgentMain());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code baton-agent enroll}. */
    @Command(
            name = "enroll",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = EXIT_USAGE,
            description = "Exchanges an enrollment token for this node's credentials and writes them to the data"
                    + " directory.")
    static final class Enroll implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(names = "--hub", required = true, paramLabel = "URL", description = "The hub, e.g. http://hub:8080.")
        private String hub;

        @Option(
                names = "--token",
                required = true,
                paramLabel = "TOKEN",
                description = "An enrollment token from the hub.")
        private String token;

        @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The agent's data directory.")
        private Path dataDirectory;

        @Option(names = "--node", paramLabel = "NAME", description = "The node name wanted (default: from the host).")
        private @Nullable String node;

        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label of this node; repeatable.")
        private Map<String, String> labels = new LinkedHashMap<>();

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            final AgentConfig config;
            try {
                config = Enrollment.builder()
                        .hubUrl(hub)
                        .token(token)
                        .node(node)
                        .labels(labels)
                        .dataDirectory(dataDirectory)
                        .build()
                        .enroll();
            } catch (final IllegalArgumentException e) {
                err.println("baton-agent enroll: " + e.getMessage());
                return EXIT_USAGE;
            } catch (final EnrollmentException e) {
                err.println("baton-agent enroll: " + e.getMessage());
                return e.reason() == EnrollmentException.Reason.UNREACHABLE ? EXIT_UNREACHABLE : EXIT_FAILED;
            } catch (final java.io.UncheckedIOException e) {
                err.println("baton-agent enroll: " + e.getMessage());
                return EXIT_FAILED;
            }
            out.println("enrolled node " + config.node() + " in tenant " + config.tenant() + " at " + hub);
            out.println("wrote " + config.dataDirectory().resolve(AgentFiles.AGENT_FILE) + " and "
                    + config.dataDirectory().resolve(AgentFiles.MQTT_SECRETS_FILE));
            out.println("start it with: baton-agent run --data-dir " + config.dataDirectory());
            out.flush();
            return EXIT_OK;
        }
    }

    /** {@code baton-agent run}. */
    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = EXIT_USAGE,
            description = "Runs the agent until it is stopped (SIGTERM or SIGINT).")
    static final class Run implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The agent's data directory.")
        private Path dataDirectory;

        @Option(
                names = "--mqtt-url",
                paramLabel = "URL",
                description = "Overrides agent.json's mqtt.serverUri, e.g. tcp://hub:1883.")
        private @Nullable String mqttUrl;

        @Option(
                names = "--reconcile-interval-seconds",
                paramLabel = "N",
                description = "Checks every component for drift every N seconds, whatever the desired document says.")
        private @Nullable Integer reconcileIntervalSeconds;

        @Override
        public Integer call() throws InterruptedException {
            final PrintWriter err = spec.commandLine().getErr();
            final AgentConfig config;
            try {
                config = config();
            } catch (final IllegalArgumentException | java.io.UncheckedIOException e) {
                err.println("baton-agent run: " + e.getMessage());
                return EXIT_FAILED;
            }
            final BatonAgent agent;
            try {
                agent = BatonAgent.start(config);
            } catch (final RuntimeException e) {
                err.println("baton-agent run: cannot start: " + e.getMessage());
                return EXIT_FAILED;
            }
            final CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                agent.close();
                                stopped.countDown();
                            },
                            "baton-agent-shutdown"));
            final PrintWriter out = spec.commandLine().getOut();
            out.println("baton agent " + config.node() + " running, data=" + dataDirectory);
            out.flush();
            stopped.await();
            return EXIT_OK;
        }

        /** The configuration from the data directory, with the flags applied over it. */
        AgentConfig config() {
            final AgentConfig.Builder builder = AgentConfig.fromDataDirectory(dataDirectory);
            if (mqttUrl != null) {
                builder.mqttServerUri(mqttUrl);
            }
            if (reconcileIntervalSeconds != null) {
                builder.reconcileInterval(Duration.ofSeconds(reconcileIntervalSeconds));
            }
            return builder.build();
        }
    }

    /** The agent's version for {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"baton-agent " + BatonAgent.agentVersion()};
        }
    }
}
