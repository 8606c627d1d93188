package dev.baton.hub.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jetbrains.annotations.Nullable;

/**
 * A throw-away PostgreSQL cluster (the Debian {@code postgresql} package's binaries): {@code initdb} into a temporary
 * directory, {@code pg_ctl start} on a free loopback port with the socket in that directory, a role {@code baton}
 * with a password, and a fresh database per {@link #createDatabase()}. {@link #close()} stops it and deletes
 * everything.
 *
 * <p>{@code initdb} refuses to run as root; as root (tests and CI here) the cluster runs as the {@code postgres} user
 * the package creates, through {@code runuser}, in a directory that user owns.
 */
public final class PostgresCluster implements AutoCloseable {

    /** The role the hub connects as; it may create databases. */
    public static final String ROLE = "baton";

    private static final String SUPERUSER = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path bin;
    private final Path root;
    private final int port;
    private final String password;
    private final boolean asPostgresUser;
    private final Thread shutdownHook;
    private boolean stopped;

    private PostgresCluster(
            final Path bin, final Path root, final int port, final String password, final boolean asPostgresUser) {
        this.bin = bin;
        this.root = root;
        this.port = port;
        this.password = password;
        this.asPostgresUser = asPostgresUser;
        this.shutdownHook = new Thread(this::stopQuietly, "postgres-cluster-stop");
    }

    /**
     * The directory holding {@code initdb} and {@code pg_ctl}.
     *
     * @throws IllegalStateException when PostgreSQL is not installed: the tests that need it fail, they do not skip
     */
    public static Path binaries() {
        final Optional<Path> fromPgConfig = pgConfigBindir();
        if (fromPgConfig.isPresent()) {
            return fromPgConfig.get();
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(dir -> Files.isExecutable(dir.resolve("initdb")))
                    .max(Comparator.comparing(dir -> Integer.parseInt(
                            dir.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElseThrow(PostgresCluster::notInstalled);
        } catch (final IOException e) {
            throw notInstalled();
        }
    }

    private static @Nullable PostgresCluster shared;

    /**
     * The cluster of this test JVM, started on first use and stopped by its shutdown hook: initdb and start take a
     * second or two, so test classes share one and isolate themselves with {@link #createDatabase()} instead.
     */
    public static synchronized PostgresCluster shared() throws IOException, InterruptedException {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** Starts a new cluster and waits until it takes connections. */
    public static PostgresCluster start() throws IOException, InterruptedException {
        final Path bin = binaries();
        final boolean root = "root".equals(System.getProperty("user.name"));
        final Path dir = Files.createTempDirectory("baton-pg-");
        final String password = UUID.randomUUID().toString();
        final int port = freePort();
        final PostgresCluster cluster = new PostgresCluster(bin, dir, port, password, root);
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            Files.writeString(dir.resolve("pwfile"), password + "\n", StandardCharsets.UTF_8);
            if (root) {
                giveToPostgresUser(dir);
                giveToPostgresUser(dir.resolve("pwfile"));
            }
            cluster.run(
                    bin.resolve("initdb").toString(),
                    "-D",
                    dir.resolve("data").toString(),
                    "-U",
                    SUPERUSER,
                    "--pwfile=" + dir.resolve("pwfile"),
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--no-sync");
            cluster.run(
                    bin.resolve("pg_ctl").toString(),
                    "-D",
                    dir.resolve("data").toString(),
                    "-l",
                    dir.resolve("server.log").toString(),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                            + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=100",
                    "start");
            try (Connection admin = cluster.connect("postgres", SUPERUSER);
                    Statement statement = admin.createStatement()) {
                statement.execute("CREATE ROLE " + ROLE + " LOGIN CREATEDB PASSWORD '" + password + "'");
            }
            return cluster;
        } catch (final IOException | InterruptedException | SQLException | RuntimeException e) {
            cluster.close();
            throw new IOException("cannot start a PostgreSQL cluster in " + dir + ": " + e, e);
        }
    }

    /** A new empty database owned by {@link #ROLE}; returns its JDBC URL (without the password). */
    public String createDatabase() {
        final String name = "baton_" + DATABASES.incrementAndGet();
        try (Connection admin = connect("postgres", ROLE);
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return jdbcUrl(name);
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/NAME?user=baton}. */
    public String jdbcUrl(final String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + ROLE;
    }

    /** The password of {@link #ROLE} (and of the superuser). */
    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    /** A connection to {@code database} as {@code role}, over TCP with the password, as the hub connects. */
    public Connection connect(final String database, final String role) throws SQLException {
        final Properties properties = new Properties();
        properties.setProperty("user", role);
        properties.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, properties);
    }

    /** Stops the server at once and deletes its files. Idempotent. */
    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (final IllegalStateException e) {
            // The JVM is shutting down and the hook runs anyway.
        }
    }

    private synchronized void stopQuietly() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (Files.exists(root.resolve("data").resolve("postmaster.pid"))) {
            try {
                run(
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        root.resolve("data").toString(),
                        "-m",
                        "immediate",
                        "-w",
                        "stop");
            } catch (final IOException | InterruptedException e) {
                System.err.println("PostgresCluster: cannot stop the cluster in " + root + ": " + e);
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (final IOException e) {
            System.err.println("PostgresCluster: cannot delete " + root + ": " + e);
        }
    }

    private void run(final String... command) throws IOException, InterruptedException {
        final List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", SUPERUSER, "--"));
        }
        full.addAll(List.of(command));
        final Path log = Files.createTempFile("baton-pg-cmd-", ".log");
        try {
            final Process process = new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", full) + " did not finish within 120 s");
            }
            if (process.exitValue() != 0) {
                final Path serverLog = root.resolve("server.log");
                throw new IOException(String.join(" ", full) + " failed with exit code " + process.exitValue() + ": "
                        + Files.readString(log)
                        + (Files.isReadable(serverLog) ? "\nserver log:\n" + Files.readString(serverLog) : ""));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static void giveToPostgresUser(final Path path) throws IOException {
        final UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        final UserPrincipal user = users.lookupPrincipalByName(SUPERUSER);
        final GroupPrincipal group = users.lookupPrincipalByGroupName(SUPERUSER);
        final PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(user);
        view.setGroup(group);
    }

    private static Optional<Path> pgConfigBindir() {
        try {
            final Process process = new ProcessBuilder("pg_config", "--bindir")
                    .redirectErrorStream(true)
                    .start();
            final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0) {
                final Path dir = Path.of(out);
                if (Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"))) {
                    return Optional.of(dir);
                }
            }
        } catch (final IOException e) {
            return Optional.empty();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static IllegalStateException notInstalled() {
        return new IllegalStateException("PostgreSQL's initdb and pg_ctl were not found (pg_config --bindir,"
                + " /usr/lib/postgresql/*/bin): install postgresql (apt-get install postgresql)");
    }
}
