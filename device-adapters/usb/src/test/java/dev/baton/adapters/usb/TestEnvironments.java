package dev.baton.adapters.usb;

import dev.baton.adapters.api.discovery.DiscoveryEnvironment;
import dev.baton.adapters.api.discovery.DiscoveryListener;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import org.jetbrains.annotations.NotNull;

/** A discovery environment for handlers that use none of it (the {@code usb} handler starts no timer). */
final class TestEnvironments {

    private TestEnvironments() {}

    static DiscoveryEnvironment of() {
        return new DiscoveryEnvironment(
                Path.of("secrets-unused"),
                Executors.newSingleThreadScheduledExecutor(r -> {
                    final Thread thread = new Thread(r, "usb-test-scheduler");
                    thread.setDaemon(true);
                    return thread;
                }),
                new DiscoveryListener() {
                    @Override
                    public void rescan(final @NotNull String handler) {}

                    @Override
                    public void departed(final @NotNull String handler, final @NotNull String deviceId) {}
                });
    }
}
