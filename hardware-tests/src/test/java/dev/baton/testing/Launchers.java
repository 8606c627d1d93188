package dev.baton.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the launchers in {@code bin/} as a user would after the README's build command. */
public final class Launchers {

    /** The repository root (set by the hardware-tests pom for tests and benchmarks). */
    public static final Path ROOT =
            Path.of(System.getProperty("baton.root", "..")).toAbsolutePath().normalize();

    private static final Pattern READY = Pattern.compile("baton hub ready: (http://\\S+) mqtt://\\S+:(\\d+) ");

    /** A finished command: exit code, standard output and standard error kept apart. */
    public record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    /** Where a started hub listens, read from its ready line. */
    public record HubEndpoints(URI http, int mqttPort) {}

    private Launchers() {}

    /** Starts {@code bin/<launcher> args…} with standard output and error in {@code log}. */
    public static Process start(final Path log, final String launcher, final String... args) throws IOException {
        return new ProcessBuilder(command(launcher, args))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Runs {@code bin/<launcher> args…} to completion (at most 60 s). */
    public static Result run(final String launcher, final String... args) throws IOException, InterruptedException {
        return run(Map.of(), launcher, args);
    }

    /** Runs {@code bin/<launcher> args…} with {@code environment} added to this JVM's, to completion (at most 60 s). */
    public static Result run(final Map<String, String> environment, final String launcher, final String... args)
            throws IOException, InterruptedException {
        final Path out = Files.createTempFile("baton-launcher", ".out");
        final Path err = Files.createTempFile("baton-launcher", ".err");
        try {
            final ProcessBuilder builder = new ProcessBuilder(command(launcher, args));
            builder.environment().putAll(environment);
            final Process process = builder.redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(launcher + " " + String.join(" ", args) + " did not finish within 60 s");
            }
            return new Result(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Waits for {@code bin/baton-hub}'s ready line in {@code log} and returns the ports it printed, so that a hub
     * started with ports 0 is found without a port picked in advance (which another process could take).
     */
    public static HubEndpoints awaitHubReady(final Path log, final Process hub, final Duration timeout)
            throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                final Matcher ready = READY.matcher(Files.readString(log));
                if (ready.find()) {
                    return new HubEndpoints(URI.create(ready.group(1)), Integer.parseInt(ready.group(2)));
                }
            }
            if (!hub.isAlive()) {
                throw new AssertionError("baton-hub exited with " + hub.exitValue() + ": " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("baton-hub not ready within " + timeout + ": " + Files.readString(log));
    }

    private static List<String> command(final String launcher, final String... args) {
        final List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("bin").resolve(launcher).toString());
        command.addAll(List.of(args));
        return command;
    }
}
