package dev.baton.adapters.host.process;

import dev.baton.adapters.api.ComponentProvider;
import dev.baton.adapters.api.Observation;
import dev.baton.adapters.api.ProviderContext;
import dev.baton.adapters.host.internal.ProcessSupervisor;
import dev.baton.adapters.host.internal.RestartBackoff;
import dev.baton.protocol.ComponentSpec;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import org.jetbrains.annotations.NotNull;

/**
 * Applies {@code process} components: one long-running child process per component, started from {@code command}
 * with {@code env} added to the agent's environment, in {@code workingDir}, and supervised by a
 * {@link ProcessSupervisor}: restarted with back-off when it exits, replaced when the spec changes, adopted by a
 * restarted agent, stopped with its descendants on removal. {@link ProcessSupervisor} describes the lifecycle and
 * the threading; the spec hash ({@link ComponentSpec#specHash()}) decides whether the running process matches.
 */
public final class ProcessProvider implements ComponentProvider {

    /** The component kind this provider applies. */
    public static final String KIND = "process";

    /** How long a process may take to exit after SIGTERM before it gets SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final ProcessSupervisor supervisor;

    /**
     * @param scheduler the agent's shared scheduler; restart delays are scheduled on it, and nothing blocks it
     */
    public ProcessProvider(final @NotNull ScheduledExecutorService scheduler) {
        this(scheduler, RestartBackoff.DEFAULT, STOP_GRACE, ProcessSupervisor.LOG_CHECK_PERIOD);
    }

    ProcessProvider(
            final @NotNull ScheduledExecutorService scheduler,
            final @NotNull RestartBackoff backoff,
            final @NotNull Duration stopGrace) {
        this(scheduler, backoff, stopGrace, ProcessSupervisor.LOG_CHECK_PERIOD);
    }

    ProcessProvider(
            final @NotNull ScheduledExecutorService scheduler,
            final @NotNull RestartBackoff backoff,
            final @NotNull Duration stopGrace,
            final @NotNull Duration logCheckPeriod) {
        this.supervisor = new ProcessSupervisor(scheduler, backoff, stopGrace, logCheckPeriod);
    }

    @Override
    public @NotNull String kind() {
        return KIND;
    }

    @Override
    public void validate(final @NotNull ComponentSpec spec) {
        ProcessConfig.decode(spec);
    }

    @Override
    public @NotNull String apply(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        final ProcessConfig config = ProcessConfig.decode(spec);
        return supervisor.ensureRunning(
                new ProcessSupervisor.Launch(config.command(), config.env(), config.workingDir(), spec.specHash()),
                context);
    }

    @Override
    public @NotNull Observation observe(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        ProcessConfig.decode(spec);
        return supervisor.observe(spec.specHash(), context);
    }

    /** Does not decode the spec: a process is stopped the same way whatever its spec, even one no longer valid. */
    @Override
    public void remove(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        supervisor.remove(context);
    }

    /** Stops watching; the processes keep running so that the next agent adopts them. */
    @Override
    public void close() {
        supervisor.close();
    }
}
