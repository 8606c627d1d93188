package dev.baton.adapters.mcu.external.internal;

import dev.baton.adapters.mcu.FlashProgress;
import dev.baton.adapters.mcu.FlashProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/**
 * Runs one tool: argv straight to {@link ProcessBuilder} (no shell), stdin closed, stdout and stderr merged and read
 * by one thread that feeds the parser and keeps only the last {@link #TAIL_LINES} lines of at most
 * {@link #MAX_LINE} characters, so a chatty tool cannot make the agent hold unbounded output. Progress reaches the
 * listener on the calling thread, as {@link FlashProgressListener} promises. On timeout or interruption the tool
 * and every process it started are killed.
 */
public final class ToolProcess {

    /** Output lines kept for failure classification; the message shows the last {@link #MESSAGE_LINES}. */
    public static final int TAIL_LINES = 200;

    public static final int MESSAGE_LINES = 20;

    /** Longer lines are cut: no tool prints a meaningful line this long. */
    public static final int MAX_LINE = 1024;

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

    /**
     * How a run ended.
     *
     * @param exitCode the exit code, or -1 when the tool was killed
     * @param timedOut whether the timeout killed it
     * @param tail the last output lines (complete lines; a last unterminated line included)
     */
    public record Result(int exitCode, boolean timedOut, @NotNull List<String> tail) {}

    private ToolProcess() {}

    /**
     * Runs {@code command} until it ends or {@code timeout} passes.
     *
     * @param parserFactory makes the parser with the sink that forwards progress to the calling thread
     * @throws IOException when the process cannot be started
     * @throws InterruptedException when the calling thread is interrupted; the tool was killed
     */
    public static @NotNull Result run(
            final @NotNull List<String> command,
            final @NotNull Map<String, String> environment,
            final @NotNull Duration timeout,
            final @NotNull Function<java.util.function.Consumer<FlashProgress>, OutputParser> parserFactory,
            final @NotNull FlashProgressListener listener)
            throws IOException, InterruptedException {
        final BlockingQueue<FlashProgress> progress = new LinkedBlockingQueue<>();
        final OutputParser parser = parserFactory.apply(progress::add);
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        final Process process = builder.start();
        process.getOutputStream().close();
        final OutputReader reader = new OutputReader(process.getInputStream(), parser);
        final Thread readerThread = new Thread(reader, "external-tool-output-" + process.pid());
        readerThread.setDaemon(true);
        readerThread.start();

        final long deadline = System.nanoTime() + timeout.toNanos();
        final Set<ProcessHandle> seen = new HashSet<>();
        long nextSnapshot = 0;
        try {
            while (process.isAlive()) {
                if (System.nanoTime() >= nextSnapshot) {
                    // children are remembered while the tool lives: once it is gone they can no longer be found
                    process.descendants().forEach(seen::add);
                    nextSnapshot = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                }
                if (System.nanoTime() - deadline >= 0) {
                    killTree(process, seen);
                    readerThread.join(2000);
                    drain(progress, listener);
                    return new Result(-1, true, reader.tail());
                }
                final FlashProgress next = progress.poll(50, TimeUnit.MILLISECONDS);
                if (next != null) {
                    listener.onProgress(next);
                }
            }
        } catch (final InterruptedException e) {
            killTree(process, seen);
            throw e;
        }
        // a child that outlived the tool keeps the pipe open and the reader waiting: end it
        readerThread.join(2000);
        if (readerThread.isAlive()) {
            seen.forEach(ProcessHandle::destroyForcibly);
            readerThread.join(2000);
        }
        drain(progress, listener);
        return new Result(process.exitValue(), false, reader.tail());
    }

    private static void drain(final BlockingQueue<FlashProgress> progress, final FlashProgressListener listener) {
        final List<FlashProgress> rest = new ArrayList<>();
        progress.drainTo(rest);
        rest.forEach(listener::onProgress);
    }

    /** Kills the tool and its children, children first so that none is orphaned and missed. */
    static void killTree(final Process process, final Set<ProcessHandle> seen) {
        process.descendants().forEach(seen::add);
        seen.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads the merged output on its own thread; splits lines at \n and \r (progress bars redraw with \r). */
    private static final class OutputReader implements Runnable {

        private final InputStream in;
        private final OutputParser parser;
        private final ArrayDeque<String> tail = new ArrayDeque<>();
        private final StringBuilder line = new StringBuilder();

        OutputReader(final InputStream in, final OutputParser parser) {
            this.in = in;
            this.parser = parser;
        }

        @Override
        public void run() {
            final Reader reader = new InputStreamReader(
                    in,
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPLACE)
                            .onUnmappableCharacter(CodingErrorAction.REPLACE));
            final char[] buffer = new char[4096];
            try (reader) {
                int n;
                while ((n = reader.read(buffer)) >= 0) {
                    for (int i = 0; i < n; i++) {
                        final char c = buffer[i];
                        if (c == '\n' || c == '\r') {
                            endLine();
                        } else if (line.length() < MAX_LINE) {
                            line.append(c);
                        }
                    }
                    if (line.length() > 0) {
                        parser.onLine(clean(line), false);
                    }
                }
            } catch (final IOException e) {
                // the pipe closes when the tool is killed; what was read so far stands
            }
            endLine();
        }

        private void endLine() {
            if (line.length() == 0) {
                return;
            }
            final String complete = clean(line);
            line.setLength(0);
            parser.onLine(complete, true);
            synchronized (tail) {
                if (tail.size() == TAIL_LINES) {
                    tail.removeFirst();
                }
                tail.addLast(complete);
            }
        }

        List<String> tail() {
            synchronized (tail) {
                return List.copyOf(tail);
            }
        }

        private static String clean(final CharSequence text) {
            return ANSI.matcher(text).replaceAll("").stripTrailing();
        }
    }
}
