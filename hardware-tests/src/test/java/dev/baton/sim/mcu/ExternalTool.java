package dev.baton.sim.mcu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A reference tool installed from Debian (stm32flash, avrdude, socat). CI installs them and must run the tests that
 * need them; a developer machine without one skips those tests, naming the tool.
 */
record ExternalTool(Path binary) {

    /** The result of one run. */
    record Run(int exitCode, String output, Duration took) {}

    /** The tool, or the test is skipped (locally) or failed (in CI) when it is not installed. */
    static ExternalTool require(final String name) {
        final Optional<Path> found = Stream.of("/usr/bin/", "/usr/local/bin/", "/bin/")
                .map(dir -> Path.of(dir + name))
                .filter(Files::isExecutable)
                .findFirst();
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(found.isPresent(), name + " is not installed (apt-get install " + name + ")");
        }
        assertThat(found).as(name + " binary (apt-get install " + name + ")").isPresent();
        return new ExternalTool(found.get());
    }

    /** Runs the tool with {@code args}, stdin closed, and kills it after {@code timeout}. */
    Run run(final Path workDir, final Duration timeout, final String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        final Path output = Files.createTempFile(workDir, binary.getFileName().toString(), ".log");
        final long started = System.nanoTime();
        final Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " did not end within " + timeout + ":\n"
                    + Files.readString(output, StandardCharsets.UTF_8));
        }
        final Duration took = Duration.ofNanos(System.nanoTime() - started);
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8), took);
    }

    /** socat is needed by every pty test. */
    static void requireSocat() {
        require("socat");
    }
}
