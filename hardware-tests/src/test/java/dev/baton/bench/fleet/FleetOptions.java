package dev.baton.bench.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jetbrains.annotations.NotNull;

/**
 * What {@code FleetBenchmark} runs: {@code N [REPEATS] [key=value]…}, every argument optional. Maven's {@code
 * -Dbench.args="10000 3 hub=launcher"} arrives as one argument, so arguments are split on white space first.
 *
 * @param nodes simulated agents (default 1,000)
 * @param rounds how many times one change goes to all of them (default 1)
 * @param hub where the hub runs (default {@link HubMode#IN_PROCESS})
 * @param enrollConcurrency enrollment requests in flight (default 16)
 * @param connectConcurrency agents connecting at once: CONNECT sent, birth and SUBACK not yet answered (default 64)
 * @param putConcurrency {@code PUT …/desired} requests in flight (default 32)
 * @param poll how often {@code GET …/nodes} is also listed while reports are still outstanding, as a dashboard would;
 *     zero (the default) lists only once every report is acknowledged, so that listings do not slow the hub
 * @param timeout how long one phase may take before the run fails (default 300 s)
 */
public record FleetOptions(
        int nodes,
        int rounds,
        @NotNull HubMode hub,
        int enrollConcurrency,
        int connectConcurrency,
        int putConcurrency,
        @NotNull Duration poll,
        @NotNull Duration timeout) {

    /** The enrollment API's own limit on one token's uses. */
    public static final int MAX_NODES = 100_000;

    /** Where the hub under test runs. */
    public enum HubMode {
        /** {@code BatonHub.start} in the benchmark's JVM: one process, so hub CPU and memory are not separable. */
        IN_PROCESS,
        /** {@code bin/baton-hub} as its own process: its CPU time and RSS are read from {@code /proc}. */
        LAUNCHER
    }

    public FleetOptions {
        between("nodes", nodes, 1, MAX_NODES);
        between("rounds (repeats)", rounds, 1, 1_000);
        between("enrollConcurrency", enrollConcurrency, 1, 1_024);
        between("connectConcurrency", connectConcurrency, 1, 10_000);
        between("putConcurrency", putConcurrency, 1, 1_024);
        between("pollMillis", poll.toMillis(), 0, 60_000);
        between("timeoutSeconds", timeout.toSeconds(), 10, 86_400);
    }

    /**
     * Parses {@code N [REPEATS] [hub=in-process|launcher] [enrollConcurrency=16] [connectConcurrency=64]
     * [putConcurrency=32] [pollMillis=0] [timeoutSeconds=300]}.
     *
     * @throws IllegalArgumentException naming the argument, its limits and the value given
     */
    public static @NotNull FleetOptions parse(final @NotNull String... args) {
        final List<String> words = new ArrayList<>();
        for (final String arg : args) {
            for (final String word : arg.strip().split("\\s+")) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
        }
        int nodes = 1_000;
        int rounds = 1;
        HubMode hub = HubMode.IN_PROCESS;
        int enroll = 16;
        int connect = 64;
        int put = 32;
        long pollMillis = 0;
        long timeoutSeconds = 300;
        int positional = 0;
        for (final String word : words) {
            final int equals = word.indexOf('=');
            if (equals < 0) {
                switch (positional++) {
                    case 0 -> nodes = (int) number("N (nodes)", word);
                    case 1 -> rounds = (int) number("REPEATS", word);
                    default -> throw new IllegalArgumentException(
                            "at most two positional arguments (N and REPEATS) are allowed, but got '" + word + "'");
                }
                continue;
            }
            final String key = word.substring(0, equals);
            final String value = word.substring(equals + 1);
            switch (key) {
                case "hub" -> hub = hubMode(value);
                case "enrollConcurrency" -> enroll = (int) number(key, value);
                case "connectConcurrency" -> connect = (int) number(key, value);
                case "putConcurrency" -> put = (int) number(key, value);
                case "pollMillis" -> pollMillis = number(key, value);
                case "timeoutSeconds" -> timeoutSeconds = number(key, value);
                default -> throw new IllegalArgumentException("unknown option '" + key + "'; known: hub,"
                        + " enrollConcurrency, connectConcurrency, putConcurrency, pollMillis, timeoutSeconds");
            }
        }
        return new FleetOptions(
                nodes,
                rounds,
                hub,
                enroll,
                connect,
                put,
                Duration.ofMillis(pollMillis),
                Duration.ofSeconds(timeoutSeconds));
    }

    private static HubMode hubMode(final String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "in-process" -> HubMode.IN_PROCESS;
            case "launcher" -> HubMode.LAUNCHER;
            default -> throw new IllegalArgumentException(
                    "hub must be in-process or launcher, but was '" + value + "'");
        };
    }

    private static long number(final String name, final String value) {
        try {
            return Long.parseLong(value.replace("_", "").replace(",", ""));
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, but was '" + value + "'", e);
        }
    }

    private static void between(final String name, final long value, final long min, final long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", but was " + value);
        }
    }
}
