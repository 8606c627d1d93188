package dev.baton.adapters.api.discovery;

import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import org.jetbrains.annotations.NotNull;

/**
 * What the agent gives a discovery handler when creating it.
 *
 * @param secretsDirectory the agent's {@code <data>/secrets}; a handler reads its credentials file there (e.g.
 *     {@code onvif.json}) at each scan, so that an edited file takes effect without a restart. Secrets never
 *     leave the host and never reach a log or a device property.
 * @param scheduler the agent's shared scheduler for small timers; never block it
 * @param listener where unsolicited news goes (Hello, Bye)
 */
public record DiscoveryEnvironment(
        @NotNull Path secretsDirectory,
        @NotNull ScheduledExecutorService scheduler,
        @NotNull DiscoveryListener listener) {}
