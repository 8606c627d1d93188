package dev.baton.hub.internal;

import dev.baton.hub.HubStartException;
import dev.baton.hub.internal.security.SecretTokens;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's data directory, held with an exclusive lock ({@code hub.lock}) while the hub runs so that two hubs never
 * share one store:
 *
 * <pre>
 * hub.db        SQLite store (with -wal and -shm files); not used with --database (PostgreSQL)
 * admin.token   admin API token, mode 0600; on a database shared by hubs, the same in each hub's directory
 * artifacts/    artifact files, unless --artifact-dir puts them elsewhere
 * hub.id        this hub's instance id (its MQTT client identifier), made once
 * hub.lock      held while the hub runs
 * broker/       embedded broker: conf/config.xml, data/, extensions/
 * </pre>
 */
public final class DataDirectory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final String instanceId;

    private DataDirectory(
            final Path root, final FileChannel lockChannel, final FileLock lock, final String instanceId) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.instanceId = instanceId;
    }

    /**
     * Creates the directory if needed and locks it.
     *
     * @throws HubStartException when it cannot be created or written, or another hub holds it
     */
    public static @NotNull DataDirectory open(final @NotNull Path root) {
        final FileChannel channel;
        try {
            Files.createDirectories(root);
            channel = FileChannel.open(root.resolve("hub.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (final IOException e) {
            throw new HubStartException(
                    HubStartException.Reason.DATA_DIR_UNUSABLE,
                    "cannot use data directory " + root + ": " + e + "; check that the hub's user may write there",
                    e);
        }
        final FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (final IOException | OverlappingFileLockException e) {
            closeQuietly(channel);
            throw inUse(root, e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw inUse(root, null);
        }
        try {
            return new DataDirectory(root, channel, lock, instanceId(root.resolve("hub.id")));
        } catch (final IOException e) {
            closeQuietly(channel);
            throw new HubStartException(
                    HubStartException.Reason.DATA_DIR_UNUSABLE, "cannot read or write " + root.resolve("hub.id"), e);
        }
    }

    public @NotNull Path database() {
        return root.resolve("hub.db");
    }

    public @NotNull Path adminTokenFile() {
        return root.resolve("admin.token");
    }

    /** The artifact store's files: {@code artifacts/<tenant>/<sha256>}, uploads in progress in {@code tmp/}. */
    public @NotNull Path artifacts() {
        return root.resolve("artifacts");
    }

    public @NotNull Path brokerFolder() {
        return root.resolve("broker");
    }

    /** Random hex, made at first start and kept. */
    public @NotNull String instanceId() {
        return instanceId;
    }

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (final IOException e) {
            log.warn("cannot release {}: {}", root.resolve("hub.lock"), e.getMessage());
        }
        closeQuietly(lockChannel);
    }

    private static String instanceId(final Path file) throws IOException {
        if (Files.exists(file)) {
            final String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (id.matches("[0-9a-f]{16}")) {
                return id;
            }
            log.warn("{} does not hold a 16-digit hex id; making a new one", file);
        }
        final String id = SecretTokens.newId("");
        Files.writeString(file, id + '\n', StandardCharsets.UTF_8);
        return id;
    }

    private static HubStartException inUse(final Path root, final Exception cause) {
        return new HubStartException(
                HubStartException.Reason.DATA_DIR_IN_USE,
                "data directory " + root + " is in use by another hub (" + root.resolve("hub.lock")
                        + " is locked); stop that hub or choose another --data-dir",
                cause);
    }

    private static void closeQuietly(final FileChannel channel) {
        try {
            channel.close();
        } catch (final IOException e) {
            log.debug("closing lock file failed", e);
        }
    }
}
