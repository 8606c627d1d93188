package dev.baton.sim.mcu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Two pseudo-terminals joined by socat ({@code socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B}): a
 * simulator holds one end, the client under test (stm32flash, avrdude, Baton's flashers) opens the other. Killing
 * socat is how a simulator "unplugs": the client's next read fails with EIO, as with a USB adapter pulled out.
 *
 * <p>Ptys carry 8N1 only (parity is dropped) and have no DTR/RTS.
 */
public final class PtyPair implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Process socat;
    private final Path simulatorEnd;
    private final Path clientEnd;
    private final Path log;

    private PtyPair(final Process socat, final Path simulatorEnd, final Path clientEnd, final Path log) {
        this.socat = socat;
        this.simulatorEnd = simulatorEnd;
        this.clientEnd = clientEnd;
        this.log = log;
    }

    /** The socat binary, or empty where it is not installed (CI installs it). */
    public static Optional<Path> socat() {
        return Stream.of("/usr/bin/socat", "/usr/local/bin/socat", "/bin/socat")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * Starts socat and waits until both links exist and it relays. The links are {@code NAME-sim} and
     * {@code NAME-client} in {@code directory}.
     */
    public static PtyPair open(final Path directory, final String name) throws IOException {
        final Path binary = socat().orElseThrow(() -> new IllegalStateException("socat is not installed"));
        final Path simulatorEnd = directory.resolve(name + "-sim");
        final Path clientEnd = directory.resolve(name + "-client");
        final Path log = directory.resolve(name + "-socat.log");
        final Process socat = new ProcessBuilder(
                        binary.toString(),
                        "-d",
                        "-d",
                        "pty,raw,echo=0,link=" + simulatorEnd,
                        "pty,raw,echo=0,link=" + clientEnd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        final PtyPair pair = new PtyPair(socat, simulatorEnd, clientEnd, log);
        final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!socat.isAlive()) {
                throw new IOException("socat exited with " + socat.exitValue() + ": " + pair.logText());
            }
            if (pair.logText().contains("starting data transfer loop")
                    && Files.exists(simulatorEnd)
                    && Files.exists(clientEnd)) {
                return pair;
            }
            if (System.nanoTime() - deadline > 0) {
                pair.close();
                throw new IOException("socat did not start within " + START_TIMEOUT + ": " + pair.logText());
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }

    /** The end a simulator opens. */
    public Path simulatorEnd() {
        return simulatorEnd;
    }

    /** The end the client under test opens, as its serial port. */
    public Path clientEnd() {
        return clientEnd;
    }

    public boolean plugged() {
        return socat.isAlive();
    }

    /** Cuts the link: socat ends, both ptys hang up. */
    public void unplug() {
        socat.destroy();
        try {
            if (!socat.waitFor(5, TimeUnit.SECONDS)) {
                socat.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        unplug();
        try {
            Files.deleteIfExists(simulatorEnd);
            Files.deleteIfExists(clientEnd);
        } catch (final IOException e) {
            // socat removes its links when it ends; a leftover one in a temporary directory does no harm
        }
    }

    private String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (final IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return "PtyPair[" + simulatorEnd + " <-> " + clientEnd + "]";
    }
}
