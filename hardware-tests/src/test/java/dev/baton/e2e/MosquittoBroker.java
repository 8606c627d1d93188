package dev.baton.e2e;

import dev.baton.protocol.testing.Ports;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real mosquitto started by the test on a free loopback port: the external broker a scaled-out hub uses.
 * Anonymous access is allowed because authenticating nodes is the external broker's job (docs/operations.md).
 */
final class MosquittoBroker implements AutoCloseable {

    private final Process process;
    private final int port;

    private MosquittoBroker(final Process process, final int port) {
        this.process = process;
        this.port = port;
    }

    /** The mosquitto binary, or empty where it is not installed (CI installs it: .ci/run). */
    static Optional<Path> binary() {
        return Stream.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst();
    }

    static MosquittoBroker start(final Path binary, final Path dir) throws IOException {
        return start(binary, dir, Ports.freeLoopbackPort());
    }

    /** Starts on {@code port}, e.g. to restart a broker where its clients expect it. */
    static MosquittoBroker start(final Path binary, final Path dir, final int port) throws IOException {
        final Path config = dir.resolve("mosquitto.conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "listener " + port + " 127.0.0.1",
                        "allow_anonymous true",
                        "persistence false",
                        "log_dest stdout",
                        "log_type error",
                        "log_type warning",
                        "log_type notice",
                        ""));
        final Process process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile())
                .start();
        final MosquittoBroker broker = new MosquittoBroker(process, port);
        broker.awaitListening(Duration.ofSeconds(10), dir.resolve("mosquitto.log"));
        return broker;
    }

    int port() {
        return port;
    }

    String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    private void awaitListening(final Duration timeout, final Path log) throws IOException {
        final Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "mosquitto exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (final IOException notYet) {
                sleep();
            }
        }
        throw new IllegalStateException("mosquitto did not listen on " + port + " within " + timeout);
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
