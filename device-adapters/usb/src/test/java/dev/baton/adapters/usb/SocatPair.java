package dev.baton.adapters.usb;

import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A pty pair made by socat, with links {@code a} and {@code b} in a directory of the test's own. */
final class SocatPair implements AutoCloseable {

    final Path a;
    final Path b;
    private final Process process;

    private SocatPair(final Path a, final Path b, final Process process) {
        this.a = a;
        this.b = b;
        this.process = process;
    }

    /** Starts socat; skips the test when socat is missing on a developer machine, fails in CI. */
    static SocatPair start(final Path directory) throws IOException {
        final boolean installed = System.getenv("PATH") != null
                && java.util.Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
                        .anyMatch(p -> Files.isExecutable(Path.of(p, "socat")));
        if (!"true".equals(System.getenv("CI"))) {
            assumeThat(installed)
                    .as("socat is not installed (apt-get install socat)")
                    .isTrue();
        }
        final Path a = directory.resolve("a");
        final Path b = directory.resolve("b");
        final Process process = new ProcessBuilder(
                        "socat", "-d", "-d", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("socat.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(a) && Files.exists(b));
        return new SocatPair(a, b, process);
    }

    /** Ends socat and waits until it is gone. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
