package dev.baton.bench.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jetbrains.annotations.NotNull;

/**
 * Reads what Linux knows about a process and the machine from {@code /proc}: CPU time ({@code stat} fields 14 and 15,
 * utime + stime, in clock ticks of {@code getconf CLK_TCK}), resident set ({@code status} VmRSS and its peak VmHWM),
 * open descriptors, and the load average. The Java heap of another JVM comes from {@code jcmd PID GC.heap_info}.
 *
 * <p>Stateless apart from the tick rate read once; thread-safe.
 */
public final class ProcessMeter {

    private static final Pattern HEAP = Pattern.compile("total (\\d+)K, used (\\d+)K");
    private final long ticksPerSecond = clockTicks();

    /** A process's CPU time so far (user + system), in nanoseconds. */
    public long cpuNanos(final long pid) {
        return cpuNanos(Path.of("/proc/" + pid + "/stat"));
    }

    private long cpuNanos(final Path statFile) {
        final String stat = read(statFile);
        // The command name (field 2) may contain spaces; fields after it are counted from its closing parenthesis.
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        final long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * TimeUnit.SECONDS.toNanos(1) / ticksPerSecond;
    }

    /**
     * CPU time per thread group of a process, in nanoseconds: threads are grouped by their name as Linux shows it
     * ({@code /proc/PID/task/TID/comm}, at most 15 characters) with digits replaced by {@code #}, so that the eight
     * threads of one pool add up. Threads that ended since are missing, which is why the caller subtracts two
     * samples taken while the pools are up.
     */
    public Map<String, Long> cpuNanosByThread(final long pid) {
        final Map<String, Long> byGroup = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (final Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    final String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8)
                            .strip()
                            .replaceAll("[0-9]+", "#");
                    byGroup.merge(name, cpuNanos(task.resolve("stat")), Long::sum);
                } catch (final IOException | UncheckedIOException ended) {
                    // The thread ended between listing and reading.
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return byGroup;
    }

    /** VmRSS and VmHWM in KiB. */
    long[] residentKib(final long pid) {
        long rss = -1;
        long peak = -1;
        for (final String line : read(Path.of("/proc/" + pid + "/status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
            } else if (line.startsWith("VmHWM:")) {
                peak = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return new long[] {rss, peak};
    }

    long openDescriptors(final long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        } catch (final IOException e) {
            return -1;
        }
    }

    /**
     * CPU time the whole machine spent busy so far (every core; {@code /proc/stat} line {@code cpu}, all fields but
     * idle and iowait), in nanoseconds: busy minus the hub's and the load generator's is what others used meanwhile.
     */
    long machineBusyNanos() {
        final String[] fields =
                read(Path.of("/proc/stat")).lines().findFirst().orElseThrow().split("\\s+");
        long busy = 0;
        // cpu user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
        for (int i = 1; i <= 8 && i < fields.length; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(fields[i]);
            }
        }
        return busy * TimeUnit.SECONDS.toNanos(1) / ticksPerSecond;
    }

    /** The soft limit on open descriptors of this process ({@code /proc/self/limits}, "Max open files"). */
    long openFileLimit() {
        for (final String line : read(Path.of("/proc/self/limits")).split("\n")) {
            if (line.startsWith("Max open files")) {
                final String soft =
                        line.substring("Max open files".length()).strip().split("\\s+")[0];
                return "unlimited".equals(soft) ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return Long.MAX_VALUE;
    }

    /** "1.23 0.98 0.70" — the 1, 5 and 15 minute load averages. */
    @NotNull
    String loadAverage() {
        final String[] fields = read(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + ' ' + fields[1] + ' ' + fields[2];
    }

    /** Heap of the JVM {@code pid} as {@code jcmd} reports it: "used X MiB of Y MiB", or why it is unknown. */
    @NotNull
    String heapOf(final long pid) {
        final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            final Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info")
                    .redirectErrorStream(true)
                    .start();
            final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            final Matcher heap = HEAP.matcher(out);
            if (heap.find()) {
                return "used " + Long.parseLong(heap.group(2)) / 1024 + " MiB of "
                        + Long.parseLong(heap.group(1)) / 1024 + " MiB committed";
            }
            return "unknown (jcmd said: " + out.strip().lines().findFirst().orElse("") + ")";
        } catch (final IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        }
    }

    private static long clockTicks() {
        try {
            final Process getconf = new ProcessBuilder(List.of("getconf", "CLK_TCK")).start();
            final String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            getconf.waitFor(10, TimeUnit.SECONDS);
            return Long.parseLong(out.strip());
        } catch (final IOException | NumberFormatException e) {
            return 100; // the value on every Linux architecture Baton runs on
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    private static String read(final Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
