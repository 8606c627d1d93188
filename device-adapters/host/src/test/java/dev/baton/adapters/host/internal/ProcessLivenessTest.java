package dev.baton.adapters.host.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProcessLivenessTest {

    private Process parent;

    @AfterEach
    void killParent() {
        if (parent != null) {
            parent.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly();
        }
    }

    @Test
    void aRunningProcessIsRunning() throws IOException {
        parent = new ProcessBuilder("sleep", "30").start();

        assertThat(ProcessLiveness.isRunning(parent.toHandle())).isTrue();
    }

    @Test
    void aZombieIsNotRunningAlthoughTheJdkCallsItAlive() throws IOException {
        // The shell becomes a `sleep` that never collects the short sleep it forked, which then stays a zombie.
        parent = new ProcessBuilder("sh", "-c", "sleep 0.1 & exec sleep 30").start();
        final ProcessHandle zombie = await().atMost(Duration.ofSeconds(5))
                .until(() -> parent.toHandle().children().findFirst().orElse(null), child -> child != null);

        await().atMost(Duration.ofSeconds(5)).until(() -> stateOf(zombie.pid()) == 'Z');

        assertThat(zombie.isAlive()).isTrue();
        assertThat(ProcessLiveness.isRunning(zombie)).isFalse();
    }

    private static char stateOf(final long pid) throws IOException {
        final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }
}
