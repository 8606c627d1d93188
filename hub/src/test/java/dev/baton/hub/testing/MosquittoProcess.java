package dev.baton.hub.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A real mosquitto (Debian package) on a loopback port, as the external broker of a hub under test. */
public final class MosquittoProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private MosquittoProcess(final Process process, final int port) {
        this.process = process;
        this.port = port;
    }

    /** The installed binary; empty where mosquitto is not installed (CI installs it). */
    public static Optional<Path> binary() {
        return Stream.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Starts it with anonymous access on a free port and waits until it accepts connections. */
    public static MosquittoProcess start(final Path binary, final Path dir) throws IOException {
        final int port;
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(dir);
        final Path config = dir.resolve("mosquitto.conf");
        Files.writeString(
                config, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stdout\n");
        final Process process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile())
                .start();
        final MosquittoProcess mosquitto = new MosquittoProcess(process, port);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            }
        });
        return mosquitto;
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
