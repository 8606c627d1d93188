package dev.baton.adapters.host.internal;

import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.Observation;
import dev.baton.adapters.api.ProviderContext;
import dev.baton.adapters.host.internal.Supervision.Exited;
import dev.baton.adapters.host.internal.Supervision.Running;
import dev.baton.protocol.Texts;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises one long-running child process per component, for the providers that run one ({@code process},
 * {@code service}): started from a {@link Launch} with its {@code env} added to the agent's environment, restarted
 * with back-off when it exits, and adopted by a restarted agent rather than started twice.
 *
 * <h2>Lifecycle</h2>
 *
 * <ul>
 *   <li>{@link #ensureRunning} starts the process, or leaves it alone when it already runs the same
 *       {@link Launch#specHash()}, or stops it and starts the new launch. Output (stdout and stderr merged)
 *       goes to {@code output.log} in the component's state directory, which is rotated to {@code output.log.1}
 *       when it exceeds {@link #MAX_LOG_BYTES}: at a start, and every {@link #LOG_CHECK_PERIOD} while the process
 *       runs, so that a chatty long-lived process cannot fill the disk. After a start, {@code process.json} records
 *       the pid, the OS's start instant and the spec hash.
 *   <li>When the process exits on its own, the supervisor computes a delay with {@link RestartBackoff} and, once it
 *       has passed, calls {@link ProviderContext#requestReconcile}. Until then {@link #observe} reports the exit and
 *       when the restart is due, and {@link #ensureRunning} refuses to restart early with {@code APPLY_FAILED}, so
 *       the component shows as failed with that message.
 *   <li>A new supervisor (the agent restarted, perhaps after {@code kill -9}) adopts the process named in
 *       {@code process.json} when that pid is alive and has the recorded start instant, so that a reused pid is
 *       never mistaken for it. It is not the agent's child, so it is watched by polling every {@link #ADOPTED_POLL}
 *       and its exit code cannot be learnt.
 *   <li>{@link #remove} sends SIGTERM to the process and its descendants, SIGKILL after the stop grace.
 *   <li>{@link #close} stops watching and leaves the processes running, for the next agent to adopt. Under systemd
 *       that needs {@code KillMode=process} in the agent's unit, or systemd kills them with the agent.
 * </ul>
 *
 * <h2>Threading</h2>
 *
 * The reconciler thread calls every public method, one component at a time, as the provider SPI promises;
 * {@link #ensureRunning} and {@link #remove} block it for up to the stop grace (plus SIGKILL's wait) while they stop
 * a process. The JDK notices a child's exit on a thread of its own and the supervisor hands it to the agent's
 * scheduler at once; an adopted process is polled on the scheduler. There the supervisor swaps the component's
 * {@link Supervision} in {@link #supervisions} by compare-and-set and schedules the reconcile request, neither of
 * which blocks. A compare-and-set on that map of immutable values decides whether the reconciler or the scheduler
 * records an exit that both notice. The only other state they share is the log size checks: each runs on the
 * scheduler, its handle sits in {@link #logChecks}, and a rotation of {@code output.log} by a check and one by a start
 * on the reconciler both take {@link #logRotation}, so that they never interleave.
 */
public final class ProcessSupervisor implements AutoCloseable {

    /** How long a process may take to exit after SIGTERM before it gets SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** Size beyond which {@code output.log} is rotated, at a (re)start and while the process runs. */
    public static final long MAX_LOG_BYTES = 1024 * 1024;

    /**
     * How often the size of a running process's {@code output.log} is checked. The log can outgrow
     * {@link #MAX_LOG_BYTES} by what the process writes in this time.
     */
    public static final Duration LOG_CHECK_PERIOD = Duration.ofSeconds(10);

    /** How often an adopted process is checked; its exit is noticed this much later than a child's. */
    public static final Duration ADOPTED_POLL = Duration.ofSeconds(1);

    private static final int MAX_COMMAND_CHARS_SHOWN = 256;

    public static final String LOG_FILE = "output.log";
    public static final String PREVIOUS_LOG_FILE = "output.log.1";

    private static final Logger log = LoggerFactory.getLogger(ProcessSupervisor.class);

    private final ScheduledExecutorService scheduler;
    private final RestartBackoff backoff;
    private final ProcessTreeStopper stopper;
    private final Duration logCheckPeriod;

    /** Keyed by component name. Written by the reconciler thread, and by exit watchers through compare-and-set. */
    private final ConcurrentMap<String, Supervision> supervisions = new ConcurrentHashMap<>();

    /**
     * Keyed by component name: the periodic size check of the running process's {@code output.log}. Written by the
     * reconciler thread, and by an exit watcher that ends the check of the process that exited.
     */
    private final ConcurrentMap<String, LogCheck> logChecks = new ConcurrentHashMap<>();

    /** Held while {@code output.log} is rotated, whether by a start or by a periodic check. */
    private final Object logRotation = new Object();

    /**
     * @param scheduler the agent's shared scheduler; restart delays are scheduled on it, and nothing blocks it
     */
    public ProcessSupervisor(
            final @NotNull ScheduledExecutorService scheduler,
            final @NotNull RestartBackoff backoff,
            final @NotNull Duration stopGrace) {
        this(scheduler, backoff, stopGrace, LOG_CHECK_PERIOD);
    }

    public ProcessSupervisor(
            final @NotNull ScheduledExecutorService scheduler,
            final @NotNull RestartBackoff backoff,
            final @NotNull Duration stopGrace,
            final @NotNull Duration logCheckPeriod) {
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.stopper = new ProcessTreeStopper(stopGrace);
        this.logCheckPeriod = logCheckPeriod;
    }

    /**
     * Makes the component run {@code launch}: leaves a live process of the same {@link Launch#specHash()} alone,
     * stops one of another spec and starts {@code launch}, and restarts an exited one once its back-off has passed.
     *
     * @return a short description of what was done, for the component's reported message
     * @throws ComponentException with {@link ComponentException.Reason#APPLY_FAILED} while a restart is not yet due,
     *     or when the process cannot be started or the old one stopped
     */
    public @NotNull String ensureRunning(final @NotNull Launch launch, final @NotNull ProviderContext context) {
        final String specHash = launch.specHash();
        Supervision current = current(context);
        if (current instanceof Running running) {
            if (running.alive()) {
                if (running.specHash().equals(specHash)) {
                    return "running as pid " + running.pid();
                }
                // Detach first, so that the watcher does not take this deliberate stop for a crash.
                supervisions.remove(context.componentName(), running);
                endLogCheck(context.componentName(), running);
                stop(running.handle(), ComponentException.Reason.APPLY_FAILED, "to start the changed spec");
                return start(launch, context, 0, "replaced pid " + running.pid() + " (spec changed): ");
            }
            current = recordExit(context.componentName(), running);
        }
        int attempt = 0;
        if (current instanceof Exited exited && exited.specHash().equals(specHash)) {
            final Duration wait = exited.untilRestart(System.nanoTime());
            if (wait.compareTo(Duration.ZERO) > 0) {
                throw new ComponentException(
                        ComponentException.Reason.APPLY_FAILED,
                        "process " + exited.describe() + "; next restart (attempt " + exited.attempt() + ") in "
                                + ceilSeconds(wait) + " s; see "
                                + context.stateDirectory().resolve(LOG_FILE)
                                + " for its output");
            }
            attempt = exited.attempt();
        }
        return start(launch, context, attempt, attempt > 0 ? "restart attempt " + attempt + ": " : "");
    }

    /** Whether the component's process runs {@code specHash}, changing nothing but what it learns of an exit. */
    public @NotNull Observation observe(final @NotNull String specHash, final @NotNull ProviderContext context) {
        Supervision current = current(context);
        if (current instanceof Running running) {
            if (running.alive()) {
                if (running.specHash().equals(specHash)) {
                    return Observation.inSync();
                }
                return Observation.drifted("process pid " + running.pid() + " runs another spec (hash "
                        + shortHash(running.specHash()) + "…, the spec " + shortHash(specHash) + "…)");
            }
            current = recordExit(context.componentName(), running);
        }
        if (current instanceof Exited exited) {
            final Duration wait = exited.untilRestart(System.nanoTime());
            return Observation.drifted("process is not running (" + exited.describe() + "); "
                    + (wait.compareTo(Duration.ZERO) > 0
                            ? "restart scheduled in " + ceilSeconds(wait) + " s"
                            : "restart is due"));
        }
        return Observation.drifted("process is not running");
    }

    /**
     * Stops the component's process, whether this supervisor started it or finds it recorded by an earlier agent,
     * and forgets it. Stopping what is not running succeeds.
     *
     * @throws ComponentException with {@link ComponentException.Reason#REMOVE_FAILED} when it survives SIGKILL
     */
    public void remove(final @NotNull ProviderContext context) {
        final Supervision known = supervisions.remove(context.componentName());
        final Optional<ProcessHandle> process;
        if (known instanceof Running running) {
            endLogCheck(context.componentName(), running);
            process = Optional.of(running.handle());
        } else if (known == null) {
            process = recorded(context).map(RecordedProcess::handle);
        } else {
            process = Optional.empty();
        }
        process.filter(ProcessLiveness::isRunning)
                .ifPresent(handle -> stop(handle, ComponentException.Reason.REMOVE_FAILED, "to remove the component"));
        try {
            Files.deleteIfExists(recordFile(context));
        } catch (final IOException e) {
            throw new ComponentException(
                    ComponentException.Reason.REMOVE_FAILED,
                    "stopped the process but could not delete " + recordFile(context) + ": " + IoFailures.describe(e)
                            + "; check that the agent's data directory is writable",
                    e);
        }
    }

    /**
     * The pid of the component's live process and the spec hash it was started from, adopting it from
     * {@code process.json} if this is news; empty when none runs.
     */
    public @NotNull Optional<RunningProcess> running(final @NotNull ProviderContext context) {
        final Supervision current = current(context);
        if (current instanceof Running running && running.alive()) {
            return Optional.of(new RunningProcess(running.pid(), running.specHash()));
        }
        return Optional.empty();
    }

    /** A live supervised process: its pid and the hash of the spec it runs. */
    public record RunningProcess(long pid, @NotNull String specHash) {}

    /**
     * What to run for a component.
     *
     * @param command the executable (a path, or a name looked up on the agent's {@code PATH}) and its arguments
     * @param env variables added to, or overriding, the agent's own environment
     * @param workingDir the directory the process starts in; the agent's own when {@code null}
     * @param specHash identifies what runs: a different hash means the process must be replaced
     */
    public record Launch(
            @NotNull List<String> command,
            @NotNull Map<String, String> env,
            @Nullable Path workingDir,
            @NotNull String specHash) {

        public Launch {
            command = List.copyOf(command);
            env = Map.copyOf(env);
            Objects.requireNonNull(specHash, "specHash");
        }
    }

    /** Stops watching; the processes keep running so that the next agent adopts them. */
    @Override
    public void close() {
        // Exit watchers and scheduled reconcile requests find no entry any more and do nothing.
        supervisions.clear();
        logChecks.values().forEach(check -> check.future().cancel(false));
        logChecks.clear();
    }

    /** What is known about the component's process, adopting it from {@code process.json} if this is news. */
    private @Nullable Supervision current(final ProviderContext context) {
        final Supervision known = supervisions.get(context.componentName());
        if (known != null) {
            return known;
        }
        final Optional<RecordedProcess> recorded = recorded(context);
        if (recorded.isEmpty()) {
            return null;
        }
        final ProcessRecord record = recorded.get().record();
        final Running adopted = new Running(
                context,
                recorded.get().handle(),
                null,
                record.startInstant(),
                Objects.requireNonNull(record.startInstant(), "a matching record has a start instant"),
                record.specHash(),
                0);
        supervisions.put(context.componentName(), adopted);
        watch(context.componentName(), adopted);
        log.info(
                "Component {}: adopted running process pid {} started at {}",
                context.componentName(),
                record.pid(),
                record.startInstant());
        return adopted;
    }

    /** A live process together with the {@code process.json} record that it matches. */
    private record RecordedProcess(ProcessRecord record, ProcessHandle handle) {}

    /**
     * The live process that {@code process.json} names, when its start instant matches the record. A record that
     * names no such process is deleted, so that it is reported once rather than at every observation.
     */
    private Optional<RecordedProcess> recorded(final ProviderContext context) {
        final ProcessRecord record = readRecordOrNull(context);
        if (record == null) {
            return Optional.empty();
        }
        final Optional<ProcessHandle> handle = ProcessHandle.of(record.pid()).filter(ProcessLiveness::isRunning);
        if (handle.isPresent() && record.describes(handle.get())) {
            return Optional.of(new RecordedProcess(record, handle.get()));
        }
        log.info(
                "Component {}: not adopting pid {} from {}: {}",
                context.componentName(),
                record.pid(),
                recordFile(context),
                handle.map(live -> "it started at "
                                + live.info()
                                        .startInstant()
                                        .map(Instant::toString)
                                        .orElse("an unknown time")
                                + ", not at " + record.startInstant()
                                + " as recorded, so another program has reused the pid")
                        .orElse("it is no longer running"));
        deleteRecord(context);
        return Optional.empty();
    }

    private @Nullable ProcessRecord readRecordOrNull(final ProviderContext context) {
        try {
            return ProcessRecord.read(recordFile(context)).orElse(null);
        } catch (final IOException e) {
            log.warn(
                    "Component {}: ignoring unreadable {}; a process it named is not adopted: {}",
                    context.componentName(),
                    recordFile(context),
                    IoFailures.describe(e));
            deleteRecord(context);
            return null;
        }
    }

    private void deleteRecord(final ProviderContext context) {
        try {
            Files.deleteIfExists(recordFile(context));
        } catch (final IOException e) {
            log.warn(
                    "Component {}: could not delete stale {}: {}",
                    context.componentName(),
                    recordFile(context),
                    IoFailures.describe(e));
        }
    }

    private String start(final Launch launch, final ProviderContext context, final int attempt, final String prefix) {
        // Bounded, since it goes into reported messages, which the protocol limits.
        final String commandLine = Texts.truncate(String.join(" ", launch.command()), MAX_COMMAND_CHARS_SHOWN);
        if (launch.workingDir() != null && !Files.isDirectory(launch.workingDir())) {
            throw new ComponentException(
                    ComponentException.Reason.APPLY_FAILED,
                    "cannot start `" + commandLine + "`: workingDir " + launch.workingDir()
                            + " is not an existing directory; create it, or change 'workingDir'");
        }
        final Path output;
        try {
            synchronized (logRotation) {
                output = prepareOutput(context.stateDirectory());
            }
        } catch (final IOException e) {
            throw new ComponentException(
                    ComponentException.Reason.APPLY_FAILED,
                    "cannot start `" + commandLine + "`: could not prepare its output log in "
                            + context.stateDirectory() + ": " + IoFailures.describe(e)
                            + "; check that the agent's data directory is writable and not full",
                    e);
        }
        final ProcessBuilder builder = new ProcessBuilder(launch.command())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().putAll(launch.env());
        if (launch.workingDir() != null) {
            builder.directory(launch.workingDir().toFile());
        }
        final Process child;
        try {
            child = builder.start();
        } catch (final IOException e) {
            throw new ComponentException(
                    ComponentException.Reason.APPLY_FAILED,
                    "could not start `" + commandLine + "`: " + e.getMessage()
                            + "; check that the executable exists and the agent's user may run it (a bare name is"
                            + " looked up on the agent's PATH)",
                    e);
        }
        closeStandardInput(child);
        final ProcessHandle handle = child.toHandle();
        final Instant startInstant = handle.info().startInstant().orElse(null);
        try {
            new ProcessRecord(handle.pid(), startInstant, launch.specHash()).write(recordFile(context));
        } catch (final IOException e) {
            // Without the record a restarted agent would start a second copy, so do not leave this one running.
            stopper.stop(handle);
            throw new ComponentException(
                    ComponentException.Reason.APPLY_FAILED,
                    "started `" + commandLine + "` but could not record it in " + recordFile(context) + ": "
                            + IoFailures.describe(e) + "; stopped it again; check that the agent's data directory is"
                            + " writable and not full",
                    e);
        }
        final Running running = new Running(
                context,
                handle,
                child,
                startInstant,
                startInstant != null ? startInstant : Instant.now(),
                launch.specHash(),
                attempt);
        supervisions.put(context.componentName(), running);
        watch(context.componentName(), running);
        return prefix + "started pid " + handle.pid() + ": " + commandLine;
    }

    private void watch(final String component, final Running running) {
        startLogCheck(component, running);
        if (running.child() == null) {
            scheduleLivenessCheck(component, running);
            return;
        }
        // The JDK completes the future on a thread of its choosing; move to the scheduler, a thread the agent owns.
        running.child()
                .onExit()
                .thenRunAsync(() -> recordExit(component, running), scheduler)
                .whenComplete((ignored, failure) -> {
                    if (failure instanceof CompletionException
                            && failure.getCause() instanceof RejectedExecutionException) {
                        log.debug(
                                "Component {}: exit of pid {} not handled: the agent is stopping",
                                component,
                                running.pid());
                    } else if (failure != null) {
                        log.error(
                                "Component {}: could not handle the exit of pid {}", component, running.pid(), failure);
                    }
                });
    }

    /** The periodic size check of {@code running}'s {@code output.log}. */
    private record LogCheck(Running running, ScheduledFuture<?> future) {}

    /**
     * Checks the size of {@code running}'s {@code output.log} every {@link #logCheckPeriod} on the shared scheduler,
     * until {@link #endLogCheck} or {@link #close}. An adopted process writes to the same log, so it is checked too.
     */
    private void startLogCheck(final String component, final Running running) {
        final Path output = running.context().stateDirectory().resolve(LOG_FILE);
        final ScheduledFuture<?> future;
        try {
            future = scheduler.scheduleWithFixedDelay(
                    () -> {
                        // A check that a stop or an exit ended, but that had already begun, leaves the log alone.
                        if (supervisions.get(component) == running) {
                            limitLog(component, output);
                        }
                    },
                    logCheckPeriod.toNanos(),
                    logCheckPeriod.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (final RejectedExecutionException e) {
            log.debug("Component {}: not checking the size of {}: the agent is stopping", component, output);
            return;
        }
        final LogCheck previous = logChecks.put(component, new LogCheck(running, future));
        if (previous != null) {
            previous.future().cancel(false);
        }
    }

    /** Ends the log size check of {@code running}, and leaves that of a later process of the component alone. */
    private void endLogCheck(final String component, final Running running) {
        logChecks.computeIfPresent(component, (name, check) -> {
            if (check.running() != running) {
                return check;
            }
            check.future().cancel(false);
            return null;
        });
    }

    /**
     * Rotates {@code output} when it has outgrown {@link #MAX_LOG_BYTES} while its process runs: copies it to
     * {@code output.log.1}, then truncates it in place. The process keeps its file descriptor, so the log cannot be
     * moved away; since it appends ({@link ProcessBuilder.Redirect#appendTo}), its next write lands at the new end,
     * offset 0, rather than leaving a hole. What it writes between the copy and the truncation is lost.
     */
    private void limitLog(final String component, final Path output) {
        synchronized (logRotation) {
            try {
                final long size = Files.size(output);
                if (size <= MAX_LOG_BYTES) {
                    return;
                }
                Files.copy(output, output.resolveSibling(PREVIOUS_LOG_FILE), StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel channel = FileChannel.open(output, StandardOpenOption.WRITE)) {
                    channel.truncate(0);
                }
                log.debug("Component {}: rotated {} at {} bytes", component, output, size);
            } catch (final NoSuchFileException e) {
                // Deleted by hand; the process writes to an unlinked file that no check can bound.
                log.debug("Component {}: {} is gone; nothing to rotate", component, output);
            } catch (final IOException e) {
                log.warn(
                        "Component {}: could not rotate {}: {}; it grows until the process restarts; check that the"
                                + " agent's data directory is writable and not full",
                        component,
                        output,
                        IoFailures.describe(e));
            }
        }
    }

    /**
     * Watches an adopted process, which is not this JVM's child, by polling on the shared scheduler. The JDK's
     * {@code onExit()} would poll as well, but on a thread per process, and never notice a zombie that init has
     * not reaped. The check stops once the component's entry no longer holds {@code running}.
     */
    private void scheduleLivenessCheck(final String component, final Running running) {
        try {
            scheduler.schedule(
                    () -> {
                        if (supervisions.get(component) != running) {
                            return;
                        }
                        if (running.alive()) {
                            scheduleLivenessCheck(component, running);
                        } else {
                            recordExit(component, running);
                        }
                    },
                    ADOPTED_POLL.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (final RejectedExecutionException e) {
            log.debug("Component {}: not watching pid {}: the agent is stopping", component, running.pid());
        }
    }

    /**
     * Turns {@code running} into {@link Exited} if it is still the component's current process, and if so schedules
     * the reconcile request. Called by the exit watcher, and by the reconciler when it notices the exit first; the
     * compare-and-set lets exactly one of them win.
     *
     * @return what is now known about the component
     */
    private @Nullable Supervision recordExit(final String component, final Running running) {
        final Instant now = Instant.now();
        final int attempt = backoff.nextAttempt(running.attempt(), Duration.between(running.startedAt(), now));
        final Duration delay =
                backoff.delay(attempt, ThreadLocalRandom.current().nextDouble());
        final Exited exited = new Exited(
                running.specHash(),
                running.pid(),
                running.exitCode(),
                now,
                attempt,
                delay,
                System.nanoTime() + delay.toNanos());
        final Supervision after =
                supervisions.computeIfPresent(component, (name, known) -> known == running ? exited : known);
        if (after == exited) {
            endLogCheck(component, running);
            log.info(
                    "Component {}: process pid {} {}; restart attempt {} in {} ms",
                    component,
                    exited.pid(),
                    exited.describe(),
                    attempt,
                    delay.toMillis());
            scheduleReconcile(component, running.context(), exited);
        }
        return after;
    }

    private void scheduleReconcile(final String component, final ProviderContext context, final Exited exited) {
        final String exitedWith =
                exited.exitCode() == null ? "exited (exit code unknown)" : "exited with code " + exited.exitCode();
        try {
            scheduler.schedule(
                    () -> {
                        if (supervisions.get(component) == exited) {
                            context.requestReconcile(
                                    "process " + exitedWith + "; restarting (attempt " + exited.attempt() + ")");
                        }
                    },
                    exited.delay().toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (final RejectedExecutionException e) {
            // The agent is stopping; the next agent finds the recorded pid gone and starts the process again.
            log.debug("Component {}: scheduler refused the restart timer", component, e);
        }
    }

    private void stop(final ProcessHandle handle, final ComponentException.Reason reason, final String purpose) {
        final List<Long> survivors = stopper.stop(handle);
        if (!survivors.isEmpty()) {
            throw new ComponentException(
                    reason,
                    "could not stop pid " + handle.pid() + " " + purpose + ": pids " + survivors
                            + " survived SIGTERM and, after " + stopper.grace().toSeconds()
                            + " s, SIGKILL; check whether"
                            + " they hang in uninterruptible I/O (state D in ps) or belong to another user");
        }
    }

    private static Path prepareOutput(final Path stateDirectory) throws IOException {
        Files.createDirectories(stateDirectory);
        final Path output = stateDirectory.resolve(LOG_FILE);
        try {
            if (Files.size(output) > MAX_LOG_BYTES) {
                // Keep one previous generation: it holds the output of the run that just ended, often a crash.
                Files.move(output, stateDirectory.resolve(PREVIOUS_LOG_FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (final NoSuchFileException e) {
            // First start: appendTo creates the file.
        }
        return output;
    }

    private static void closeStandardInput(final Process child) {
        try {
            // End-of-file on stdin, rather than a pipe nobody writes to and a child that may block reading it.
            child.getOutputStream().close();
        } catch (final IOException e) {
            log.debug("Could not close stdin of pid {}", child.pid(), e);
        }
    }

    private static Path recordFile(final ProviderContext context) {
        return context.stateDirectory().resolve(ProcessRecord.FILE_NAME);
    }

    private static long ceilSeconds(final Duration duration) {
        return (duration.toMillis() + 999) / 1000;
    }

    private static String shortHash(final String hash) {
        return hash.substring(0, Math.min(12, hash.length()));
    }
}
