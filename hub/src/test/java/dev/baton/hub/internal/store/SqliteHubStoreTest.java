package dev.baton.hub.internal.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link HubStoreTest} on a SQLite file, the hub's default store. */
final class SqliteHubStoreTest extends HubStoreTest {

    @TempDir
    Path tmp;

    @Override
    HubStore openEmptyStore() {
        return HubStore.openSqlite(tmp.resolve("hub.db"), CLOCK);
    }
}
